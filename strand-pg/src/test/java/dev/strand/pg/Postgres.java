package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL on loopback the tests talk to (5432, user postgres, database test). When it does
 * not answer, the tests skip with the reason, except under CI ({@code CI=true}, as {@code .ci/run}
 * sets), which provides it: there they fail, so that they are never skipped unnoticed.
 */
final class Postgres {

    static final String URL = "postgresql://postgres@127.0.0.1:5432/test";
    private static volatile Boolean available;

    private Postgres() {
    }

    /** A client builder for the test database, once it is known to answer. */
    static PgClient.Builder client() {
        assumeAvailable();
        return PgClient.builder().url(URL);
    }

    /** A plain pgjdbc connection, to check from outside what the client did. */
    static Connection jdbc() throws SQLException {
        assumeAvailable();
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
    }

    private static final java.util.concurrent.atomic.AtomicInteger TABLES = new java.util.concurrent.atomic.AtomicInteger();

    /** A table name no other test, nor another run of this one at the same time, uses. */
    static String table(String name) {
        return name + "_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
    }

    /** Runs {@code sql} on a pgjdbc connection of its own. */
    static void execute(String sql) {
        try (Connection connection = jdbc(); java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of {@code sql} as a long, read over pgjdbc. */
    static long queryLong(String sql, Object... params) {
        try (Connection connection = jdbc(); java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (java.sql.ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("no row from " + sql);
                }
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** How many sessions named {@code applicationName} are running a statement that contains {@code text}. */
    static long running(String applicationName, String text) {
        return queryLong("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ? AND state = 'active' AND position(? in query) > 0",
                applicationName, text);
    }

    /** Ends every session named {@code applicationName}: what a test left running. */
    static long terminate(String applicationName) {
        return queryLong("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ? AND pid <> pg_backend_pid()",
                applicationName);
    }

    /** An application name of its own, to find the client's sessions in pg_stat_activity. */
    static String applicationName(String test) {
        return test + "-" + ProcessHandle.current().pid() + "-" + TABLES.incrementAndGet();
    }

    static void assumeAvailable() {
        if (available == null) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", 5432), 2_000);
                available = true;
            } catch (IOException e) {
                available = false;
            }
        }
        if (!available) {
            if ("true".equals(System.getenv("CI"))) {
                fail("PostgreSQL is not answering on 127.0.0.1:5432, and CI provides it");
            }
            Assumptions.abort("PostgreSQL is not answering on 127.0.0.1:5432");
        }
    }
}
