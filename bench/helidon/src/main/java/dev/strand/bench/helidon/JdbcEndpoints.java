package dev.strand.bench.helidon;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.strand.bench.db.DbOptions;
import dev.strand.bench.db.Fortune;
import dev.strand.bench.db.FortunesPage;
import dev.strand.bench.db.Rules;
import dev.strand.bench.db.World;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * TechEmpower's database endpoints on PostgreSQL through pgjdbc and a fixed-size HikariCP pool:
 * plain blocking JDBC on the request's virtual thread, one connection per request, one statement
 * per row read and nothing cached. A failed query answers 500.
 */
final class JdbcEndpoints implements AutoCloseable {

    // Unquoted names, as TechEmpower's scripts create them: PostgreSQL folds them to lower case.
    private static final String SELECT_WORLD = "SELECT id, randomNumber FROM World WHERE id = ?";
    private static final String UPDATE_WORLD = "UPDATE World SET randomNumber = ? WHERE id = ?";
    // No ORDER BY: the rules have the application sort.
    private static final String SELECT_FORTUNES = "SELECT id, message FROM Fortune";

    private static final Header HTML = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, Rules.HTML_UTF8);
    private static final Header TEXT = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "text/plain");

    private final HikariDataSource pool;
    private final JsonMapper mapper;
    private final Header server;
    private final FortunesPage fortunes = new FortunesPage();

    /**
     * Opens the pool (all of its connections) and reads {@code World} once, so that an unreachable
     * or unseeded database fails the start.
     *
     * @throws RuntimeException when the database cannot be reached or has no {@code World} table
     */
    JdbcEndpoints(DbOptions options, JsonMapper mapper, Header server) {
        this.mapper = mapper;
        this.server = server;
        HikariConfig config = new HikariConfig();
        config.setPoolName("helidon-bench");
        config.setJdbcUrl(options.url());
        if (!options.url().contains("user=")) {
            config.setUsername(System.getProperty("user.name")); // pgjdbc's own default, said aloud
        }
        config.setMaximumPoolSize(options.poolSize());
        config.setMinimumIdle(options.poolSize()); // a fixed pool, opened at start
        config.setAutoCommit(true);
        pool = new HikariDataSource(config);
        try (Connection c = pool.getConnection()) {
            query(c, 1);
        } catch (SQLException e) {
            pool.close();
            throw new IllegalStateException("cannot read World: " + e.getMessage(), e);
        }
    }

    /** Declares {@code /db}, {@code /queries}, {@code /fortunes} and {@code /updates} on {@code routing}. */
    void routes(HttpRouting.Builder routing) {
        routing.get("/db", this::db)
                .get("/queries", this::queries)
                .get("/fortunes", this::fortunes)
                .get("/updates", this::updates);
    }

    private void db(ServerRequest req, ServerResponse res) {
        try (Connection c = pool.getConnection()) {
            json(res, query(c, 1)[0]);
        } catch (SQLException e) {
            failed(res, e);
        }
    }

    private void queries(ServerRequest req, ServerResponse res) {
        int n = Rules.queries(req.query().first("queries").asOptional().orElse(null));
        try (Connection c = pool.getConnection()) {
            json(res, query(c, n));
        } catch (SQLException e) {
            failed(res, e);
        }
    }

    private void fortunes(ServerRequest req, ServerResponse res) {
        List<Fortune> rows = new ArrayList<>(16);
        try (Connection c = pool.getConnection();
             PreparedStatement s = c.prepareStatement(SELECT_FORTUNES);
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(new Fortune(rs.getInt(1), rs.getString(2)));
            }
        } catch (SQLException e) {
            failed(res, e);
            return;
        }
        res.status(Status.OK_200).header(HTML).header(server).send(fortunes.render(Rules.page(rows)));
    }

    private void updates(ServerRequest req, ServerResponse res) {
        int n = Rules.queries(req.query().first("queries").asOptional().orElse(null));
        try (Connection c = pool.getConnection()) {
            World[] read = query(c, n);
            World[] written = new World[n];
            for (int i = 0; i < n; i++) {
                written[i] = new World(read[i].id(), Rules.newRandomNumber(read[i].randomNumber()));
            }
            // One batch (one implicit transaction under auto-commit), in id order so that two
            // requests updating the same rows lock them in the same order and cannot deadlock.
            World[] byId = written.clone();
            Arrays.sort(byId, Comparator.comparingInt(World::id));
            try (PreparedStatement s = c.prepareStatement(UPDATE_WORLD)) {
                for (World w : byId) {
                    s.setInt(1, w.randomNumber());
                    s.setInt(2, w.id());
                    s.addBatch();
                }
                s.executeBatch();
            }
            json(res, written);
        } catch (SQLException e) {
            failed(res, e);
        }
    }

    /** {@code n} random rows, one {@code SELECT} each, on {@code c}. */
    private static World[] query(Connection c, int n) throws SQLException {
        World[] rows = new World[n];
        try (PreparedStatement s = c.prepareStatement(SELECT_WORLD)) {
            for (int i = 0; i < n; i++) {
                int id = Rules.randomId();
                s.setInt(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("World has no row " + id);
                    }
                    rows[i] = new World(rs.getInt(1), rs.getInt(2));
                }
            }
        }
        return rows;
    }

    private void json(ServerResponse res, Object value) {
        res.status(Status.OK_200).header(HelidonBench.JSON).header(server).send(mapper.writeValueAsBytes(value));
    }

    private void failed(ServerResponse res, SQLException e) {
        res.status(Status.INTERNAL_SERVER_ERROR_500).header(TEXT).header(server)
                .send(("database error: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        pool.close();
    }
}
