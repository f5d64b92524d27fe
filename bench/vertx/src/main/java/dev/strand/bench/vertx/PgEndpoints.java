package dev.strand.bench.vertx;

import dev.strand.bench.db.Fortune;
import dev.strand.bench.db.FortunesPage;
import dev.strand.bench.db.Rules;
import dev.strand.bench.db.World;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * TechEmpower's database endpoints for one verticle, on Vert.x's PostgreSQL client: a pipelined
 * client of its own (up to {@value #PIPELINING_LIMIT} statements in flight per connection, on this
 * verticle's event loop), prepared statements cached per connection, one statement per row read
 * and nothing cached. A failed query answers 500. Confined to the verticle's event loop.
 */
final class PgEndpoints {

    /** Statements in flight per connection, as Vert.x's TechEmpower entries pipeline. */
    static final int PIPELINING_LIMIT = 256;

    // Unquoted names, as TechEmpower's scripts create them: PostgreSQL folds them to lower case.
    private static final String SELECT_WORLD = "SELECT id, randomNumber FROM World WHERE id = $1";
    private static final String UPDATE_WORLD = "UPDATE World SET randomNumber = $1 WHERE id = $2";
    // No ORDER BY: the rules have the application sort.
    private static final String SELECT_FORTUNES = "SELECT id, message FROM Fortune";

    private static final CharSequence HTML = HttpHeaders.createOptimized(Rules.HTML_UTF8);
    private static final CharSequence TEXT = HttpHeaders.createOptimized("text/plain");

    /** How a response is finished: status, Content-Type, body; the verticle adds its headers. */
    interface Sender {
        void send(HttpServerResponse res, int status, CharSequence type, Buffer body);
    }

    private final SqlClient client;
    private final PreparedQuery<RowSet<Row>> selectWorld;
    private final PreparedQuery<RowSet<Row>> updateWorld;
    private final PreparedQuery<RowSet<Row>> selectFortunes;
    private final JsonMapper mapper;
    private final CharSequence json;
    private final Sender sender;
    private final FortunesPage page;

    /** On the verticle's event loop, from its {@code start}; connects lazily. */
    PgEndpoints(Vertx vertx, PgConnectOptions connect, int poolSize, FortunesPage page, JsonMapper mapper,
                CharSequence json, Sender sender) {
        PgConnectOptions options = new PgConnectOptions(connect)
                .setPipeliningLimit(PIPELINING_LIMIT)
                .setCachePreparedStatements(true);
        // PgBuilder.client(): a pool whose connections take concurrent statements (pipelined).
        this.client = PgBuilder.client()
                .with(new PoolOptions().setMaxSize(poolSize))
                .connectingTo(options)
                .using(vertx)
                .build();
        this.selectWorld = client.preparedQuery(SELECT_WORLD);
        this.updateWorld = client.preparedQuery(UPDATE_WORLD);
        this.selectFortunes = client.preparedQuery(SELECT_FORTUNES);
        this.page = page;
        this.mapper = mapper;
        this.json = json;
        this.sender = sender;
    }

    /** Reads one row: fails when the database cannot be reached or has no {@code World}. */
    Future<?> check() {
        return read(1);
    }

    /** Whether {@code path} is one of these endpoints; if so, it is answered. */
    boolean handle(String path, HttpServerRequest req, HttpServerResponse res) {
        switch (path) {
            case "/db" -> read(1).onComplete(ar -> reply(res, ar.succeeded() ? ar.result()[0] : null, ar.cause()));
            case "/queries" -> read(Rules.queries(req.getParam("queries")))
                    .onComplete(ar -> reply(res, ar.result(), ar.cause()));
            case "/updates" -> update(Rules.queries(req.getParam("queries")))
                    .onComplete(ar -> reply(res, ar.result(), ar.cause()));
            case "/fortunes" -> fortunes(res);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** {@code n} random rows, one pipelined {@code SELECT} each. */
    private Future<World[]> read(int n) {
        World[] rows = new World[n];
        List<Future<?>> reads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = i;
            int id = Rules.randomId();
            reads.add(selectWorld.execute(Tuple.of(id)).map(rs -> {
                if (rs.size() == 0) {
                    throw new IllegalStateException("World has no row " + id);
                }
                Row row = rs.iterator().next();
                return rows[at] = new World(row.getInteger(0), row.getInteger(1));
            }));
        }
        return Future.all(reads).map(all -> rows);
    }

    private Future<World[]> update(int n) {
        return read(n).compose(read -> {
            World[] written = new World[n];
            for (int i = 0; i < n; i++) {
                written[i] = new World(read[i].id(), Rules.newRandomNumber(read[i].randomNumber()));
            }
            // One batch (one implicit transaction), in id order so that two requests updating the
            // same rows lock them in the same order and cannot deadlock.
            World[] byId = written.clone();
            Arrays.sort(byId, Comparator.comparingInt(World::id));
            List<Tuple> batch = new ArrayList<>(n);
            for (World w : byId) {
                batch.add(Tuple.of(w.randomNumber(), w.id()));
            }
            return updateWorld.executeBatch(batch).map(done -> written);
        });
    }

    private void fortunes(HttpServerResponse res) {
        selectFortunes.execute().onComplete(ar -> {
            if (ar.failed()) {
                failed(res, ar.cause());
                return;
            }
            List<Fortune> rows = new ArrayList<>(ar.result().size() + 1);
            for (Row row : ar.result()) {
                rows.add(new Fortune(row.getInteger(0), row.getString(1)));
            }
            sender.send(res, 200, HTML, Buffer.buffer(page.render(Rules.page(rows))));
        });
    }

    private void reply(HttpServerResponse res, Object value, Throwable failure) {
        if (failure != null) {
            failed(res, failure);
        } else {
            sender.send(res, 200, json, Buffer.buffer(mapper.writeValueAsBytes(value)));
        }
    }

    private void failed(HttpServerResponse res, Throwable e) {
        sender.send(res, 500, TEXT, Buffer.buffer("database error: " + e.getMessage()));
    }
}
