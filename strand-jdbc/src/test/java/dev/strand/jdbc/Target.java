package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the shared tests run against: H2 in memory always; PostgreSQL and MariaDB on
 * loopback when they answer. When one does not, its tests are skipped with the reason, except
 * under CI ({@code CI=true}, as {@code .ci/run} sets), which provides both: there they fail, so
 * that they can never be skipped unnoticed.
 */
enum Target {
    H2("jdbc:h2:mem:strand;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", 0),
    POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test", "postgres", 5432),
    MARIADB("jdbc:mariadb://127.0.0.1:3306/test?sslMode=disable", "root", 3306);

    private static final Map<Target, Optional<String>> UNAVAILABLE = new ConcurrentHashMap<>();
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final String url;
    private final String user;
    private final int port;

    Target(String url, String user, int port) {
        this.url = url;
        this.user = user;
        this.port = port;
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    int port() {
        return port;
    }

    /** The URL with its host and port replaced by {@code 127.0.0.1:port}: to go through a proxy. */
    String urlVia(int proxyPort) {
        return url.replace("127.0.0.1:" + port, "127.0.0.1:" + proxyPort);
    }

    /** A builder for this database, once it is known to answer; skips (or fails under CI) otherwise. */
    Database.Builder builder() {
        assumeAvailable();
        return Database.builder().name(name().toLowerCase(Locale.ROOT)).url(url).user(user);
    }

    /** A plain JDBC connection to check what the database layer did, from outside it. */
    Connection connect() throws SQLException {
        assumeAvailable();
        return DriverManager.getConnection(url, user, "");
    }

    /** A table name no other test, run or process uses. */
    static String uniqueTable(String what) {
        return "t_" + what + "_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet() + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    /** A query that runs about {@code seconds} (or, for H2, computes far longer) unless cancelled. */
    String longQuery(int seconds) {
        return switch (this) {
            case POSTGRESQL -> "SELECT pg_sleep(" + seconds + ")";
            case MARIADB -> "SELECT SLEEP(" + seconds + ")";
            // No sleep function: a cross join too large to finish, which H2 checks for cancels as it scans.
            case H2 -> "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 1000000) A, SYSTEM_RANGE(1, 1000000) B WHERE MOD(A.X * B.X, 7919) = 1";
        };
    }

    /** A query of the session's isolation level, as the database names it (lower case). */
    /** A query of the server session behind the connection it runs on: the same on one connection, different on two. */
    String sessionQuery() {
        return switch (this) {
            case POSTGRESQL -> "SELECT pg_backend_pid()";
            case MARIADB -> "SELECT CONNECTION_ID()";
            case H2 -> "SELECT SESSION_ID()";
        };
    }

    String isolationQuery() {
        return switch (this) {
            case POSTGRESQL -> "SELECT current_setting('transaction_isolation')";
            case MARIADB -> "SELECT @@session.tx_isolation";
            case H2 -> "SELECT ISOLATION_LEVEL FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()";
        };
    }

    /** A query of whether the session is read-only, for the databases that have one. */
    Optional<String> readOnlyQuery() {
        return switch (this) {
            case POSTGRESQL -> Optional.of("SELECT current_setting('transaction_read_only')");
            case MARIADB -> Optional.of("SELECT @@session.tx_read_only");
            case H2 -> Optional.empty();
        };
    }

    void assumeAvailable() {
        Optional<String> reason = UNAVAILABLE.computeIfAbsent(this, Target::probe);
        if (reason.isPresent()) {
            if ("true".equals(System.getenv("CI"))) {
                fail(reason.get() + " (CI provides it, so this fails instead of skipping)");
            }
            Assumptions.abort(reason.get());
        }
    }

    /** Why this database cannot be used here, if it cannot: a quick connect check. */
    private Optional<String> probe() {
        if (port != 0) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            } catch (IOException e) {
                return Optional.of(this + " not reachable at 127.0.0.1:" + port + " (" + e.getMessage()
                        + "); start one (" + user + ", no password, database test) to run these tests");
            }
        }
        try (Connection connection = DriverManager.getConnection(url, user, "");
             Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(this + " at " + url + " refused user " + user + ": " + e.getMessage());
        }
    }
}
