package dev.strand.bench.vertx;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import tools.jackson.databind.json.JsonMapper;

/**
 * One HTTP server on this verticle's event loop. {@code /sleep} is answered by a timer
 * ({@code vertx.setTimer}) on the same loop. With a database, also {@code /db}, {@code /queries},
 * {@code /fortunes} and {@code /updates} ({@link PgEndpoints}, a pipelined client of this verticle's).
 */
final class ServerVerticle extends VerticleBase {

    static final int MAX_SLEEP_MS = 60_000;

    private static final CharSequence SERVER = HttpHeaders.createOptimized("Vert.x");
    private static final CharSequence TEXT = HttpHeaders.createOptimized("text/plain");
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final Buffer HELLO = Buffer.buffer("Hello, World!");
    /** Thread-safe once built; shared by every request. */
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    record Message(String message) {
    }

    /**
     * The database this verticle serves from, with the connections it may hold; null for none.
     *
     * @param connect  where and as whom to connect
     * @param poolSize this verticle's connections
     * @param page     the fortunes page, shared by every verticle
     */
    record Database(PgConnectOptions connect, int poolSize, dev.strand.bench.db.FortunesPage page) {
    }

    private final String host;
    private final int port;
    private final Database database;
    private PgEndpoints db;
    /** The {@code Date} value; refreshed every second by a timer on this verticle's loop. */
    private CharSequence date;

    ServerVerticle(String host, int port, Database database) {
        this.host = host;
        this.port = port;
        this.database = database;
    }

    @Override
    public Future<?> start() {
        date = formatDate();
        vertx.setPeriodic(1000, id -> date = formatDate());
        Future<?> ready = Future.succeededFuture();
        if (database != null) {
            db = new PgEndpoints(vertx, database.connect(), database.poolSize(), database.page(), MAPPER, JSON, this::send);
            ready = db.check(); // an unreachable or unseeded database fails the start
        }
        return ready.compose(ok -> vertx.createHttpServer().requestHandler(this::handle).listen(port, host));
    }

    private static CharSequence formatDate() {
        return HttpHeaders.createOptimized(DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochSecond(System.currentTimeMillis() / 1000).atOffset(ZoneOffset.UTC)));
    }

    private void handle(HttpServerRequest req) {
        HttpServerResponse res = req.response();
        if (req.method() != HttpMethod.GET) {
            send(res, 405, TEXT, Buffer.buffer("method not allowed"));
            return;
        }
        String path = req.path();
        switch (path) {
            case "/plaintext" -> send(res, 200, TEXT, HELLO);
            case "/json" -> send(res, 200, JSON,
                    Buffer.buffer(MAPPER.writeValueAsBytes(new Message("Hello, World!"))));
            case "/sleep" -> sleep(req, res);
            default -> {
                if (db == null || !db.handle(path, req, res)) {
                    send(res, 404, TEXT, Buffer.buffer("not found"));
                }
            }
        }
    }

    private void sleep(HttpServerRequest req, HttpServerResponse res) {
        String value = req.getParam("ms");
        int ms = value == null ? -1 : sleepMillis(value);
        if (ms < 0) {
            send(res, 400, TEXT, Buffer.buffer("ms must be an integer from 0 to " + MAX_SLEEP_MS));
            return;
        }
        if (ms == 0) { // setTimer refuses a zero delay
            send(res, 200, TEXT, Buffer.buffer("slept 0 ms"));
            return;
        }
        vertx.setTimer(ms, id -> send(res, 200, TEXT, Buffer.buffer("slept " + ms + " ms")));
    }

    /** {@code value} as 0 to {@link #MAX_SLEEP_MS}, or -1 when it is not such a decimal integer. */
    static int sleepMillis(String value) {
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int ms = Integer.parseInt(value);
        return ms > MAX_SLEEP_MS ? -1 : ms;
    }

    private void send(HttpServerResponse res, int status, CharSequence type, Buffer body) {
        MultiMap h = res.setStatusCode(status).headers();
        h.add(HttpHeaders.CONTENT_TYPE, type)
                .add(HttpHeaders.SERVER, SERVER)
                .add(HttpHeaders.DATE, date);
        res.end(body); // sets Content-Length
    }
}
