package dev.strand.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the endpoint tests run against: H2 in memory always; PostgreSQL (through pgjdbc
 * and through Strand's pipelined client) and MariaDB on loopback (user postgres or root, no password) when they answer. When one does not, its tests
 * are skipped with the reason, except under CI ({@code CI=true}, as {@code .ci/run} sets), which
 * provides both: there they fail, so that they are never skipped unnoticed.
 *
 * <p>On the servers the tests keep to a schema of their own, {@value #SCHEMA} (in PostgreSQL's
 * database {@code test}; a database of that name in MariaDB), made when first needed: the seed
 * command then creates World and Fortune there, and the tests' updates never touch the tables in
 * {@code test} that someone may be benchmarking, nor do a benchmark's updates upset the tests'
 * checks of what changed.
 */
enum Backend {
    H2("jdbc:h2:mem:strand-demo-test;DB_CLOSE_DELAY=-1", "sa", 0, "", ""),
    POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + Backend.SCHEMA, "postgres", 5432,
            "jdbc:postgresql://127.0.0.1:5432/test", "CREATE SCHEMA IF NOT EXISTS " + Backend.SCHEMA),
    /** PostgreSQL through Strand's own pipelined client (strand-pg) instead of pgjdbc. */
    POSTGRESQL_PIPELINED("postgresql://127.0.0.1:5432/test?currentSchema=" + Backend.SCHEMA, "postgres", 5432,
            "jdbc:postgresql://127.0.0.1:5432/test", "CREATE SCHEMA IF NOT EXISTS " + Backend.SCHEMA),
    MARIADB("jdbc:mariadb://127.0.0.1:3306/" + Backend.SCHEMA + "?sslMode=disable", "root", 3306,
            "jdbc:mariadb://127.0.0.1:3306/test?sslMode=disable",
            "CREATE DATABASE IF NOT EXISTS " + Backend.SCHEMA + " CHARACTER SET utf8mb4");

    static final String SCHEMA = "strand_demo_test";

    private static final Map<Backend, Optional<String>> UNAVAILABLE = new ConcurrentHashMap<>();

    private final String url;
    private final String user;
    private final int port;
    /** Where to make the schema from, and how; empty for H2. */
    private final String serverUrl;
    private final String createSchema;

    Backend(String url, String user, int port, String serverUrl, String createSchema) {
        this.url = url;
        this.user = user;
        this.port = port;
        this.serverUrl = serverUrl;
        this.createSchema = createSchema;
    }

    String url() {
        return url;
    }

    /** Settings for the demo's own database over this backend. */
    DatabaseSettings settings(int poolSize) {
        return new DatabaseSettings(url, Optional.of(user), Optional.empty(), poolSize);
    }

    /**
     * Runs the demo's seed command against this backend, as a user would:
     * {@code strand-demo seed --db URL --db-user USER}; fails the test unless it succeeds.
     *
     * @return what it printed
     */
    String seed() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status;
        try (var o = new PrintStream(out, true, StandardCharsets.UTF_8); var e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = DemoMain.run(new String[] {"seed", "--db", url, "--db-user", user}, o, e);
        }
        assertEquals(0, status, "seed failed: " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Whether this database can be used here: probed once, then remembered. */
    boolean available() {
        return UNAVAILABLE.computeIfAbsent(this, Backend::probe).isEmpty();
    }

    /** Skips the calling test (or fails it under CI) when this database cannot be used here. */
    void assumeAvailable() {
        Optional<String> reason = UNAVAILABLE.computeIfAbsent(this, Backend::probe);
        if (reason.isPresent()) {
            if ("true".equals(System.getenv("CI"))) {
                fail(reason.get() + " (CI provides it, so this fails instead of skipping)");
            }
            Assumptions.abort(reason.get());
        }
    }

    /** Why this database cannot be used here, if it cannot: a quick connect check, then the schema. */
    private Optional<String> probe() {
        if (port == 0) {
            return Optional.empty();
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
        } catch (IOException e) {
            return Optional.of(this + " not reachable at 127.0.0.1:" + port + " (" + e.getMessage()
                    + "); start one (" + user + ", no password, database test) to run these tests");
        }
        try (Connection connection = DriverManager.getConnection(serverUrl, user, "");
             Statement statement = connection.createStatement()) {
            statement.execute(createSchema);
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(this + " at " + serverUrl + " refused user " + user + " or the schema " + SCHEMA + ": "
                    + e.getMessage());
        }
    }
}
