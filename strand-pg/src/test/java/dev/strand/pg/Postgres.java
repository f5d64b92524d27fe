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
