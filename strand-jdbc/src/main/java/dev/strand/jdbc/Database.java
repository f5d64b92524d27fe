package dev.strand.jdbc;

import dev.strand.reactor.LoopSocketFactory;
import dev.strand.reactor.Reactor;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * A database reached over JDBC through a pool of connections:
 *
 * <pre>{@code
 * Database db = Database.builder().url("jdbc:postgresql://127.0.0.1:5432/test").user("postgres")
 *         .poolSize(8).build();
 * List<String> names = db.query("SELECT name FROM users WHERE age > ?", rs -> rs.getString(1), 18);
 * db.inTransaction(tx -> {
 *     tx.update("UPDATE account SET balance = balance - ? WHERE id = ?", 10, from);
 *     tx.update("UPDATE account SET balance = balance + ? WHERE id = ?", 10, to);
 * });
 * }</pre>
 *
 * <p><b>Connections.</b> Each call outside a transaction borrows a connection from the pool (a
 * {@link dev.strand.pool.Pool}: waiters park in arrival order), runs one statement in auto-commit
 * mode and returns the connection. A transaction keeps one connection until it ends. Prepared
 * statements are kept per connection, up to {@link Builder#statementCacheSize} of them, least
 * recently used out first, so the same SQL is prepared once per connection.
 *
 * <p><b>Waiting.</b> A call waits for a connection at most {@link Builder#acquireTimeout}, or less
 * if the {@link dev.strand.reactor.Deadline} in force comes first, and then fails with the pool's
 * {@link dev.strand.pool.PoolTimeoutException}. A call never waits on an event loop's own thread:
 * there it throws {@link IllegalStateException}; call from a fiber.
 *
 * <p><b>Deadlines.</b> A statement whose deadline has passed is not sent; one that runs past it is
 * cancelled at the deadline by a timer ({@link java.sql.Statement#cancel()}). Both fail with a
 * {@link DeadlineExceededException}. A commit is never cancelled, but is not begun past the
 * deadline: the transaction is rolled back instead.
 *
 * <p><b>Broken connections and outages.</b> A connection that reports a connection failure is
 * discarded, never reused, and the call fails with a {@link DatabaseException} whose
 * {@link DatabaseException#isConnectionFailure()} is true. A connection idle for
 * {@link Builder#validateAfterIdle} or longer, or idle since another connection broke, is checked
 * ({@link java.sql.Connection#isValid}) before it is lent. While no connection is left and making
 * one fails, calls fail at once with a connection failure instead of waiting, and one background
 * fiber keeps trying to connect (10 ms, doubling to 1 s, between attempts); the first connection
 * made ends that. Nothing needs restarting when the database comes back. Calls already waiting for
 * a connection when the database went away wait out their time.
 *
 * <p><b>Offload.</b> Drivers whose I/O is Java socket I/O (pgjdbc, MariaDB Connector/J, H2 in
 * memory or over TCP) park a fiber while they wait, and run on the caller. Others may hold the
 * thread that carries the fiber (an embedded database on files, native code), which on an event
 * loop would stall every connection of that loop; their calls run on a bounded pool of platform
 * threads while the calling fiber parks. See {@link Builder#offload(boolean)} for the rule.
 *
 * <p>Thread-safe: every method may be called from any thread but an event loop's own.
 */
public interface Database extends SqlOperations, AutoCloseable {

    /** A builder for a database; {@link Builder#url} or {@link Builder#dataSource} is required. */
    static Builder builder() {
        return new Builder();
    }

    /** The database's name, as given to {@link Builder#name}: in log lines, exceptions and thread names. */
    String name();

    /**
     * {@inheritDoc}
     *
     * <p>Borrows a connection for the statement and returns it when the rows are read.
     *
     * @throws dev.strand.pool.PoolException when no connection could be borrowed (timeout, closed)
     */
    @Override
    <T> List<T> query(String sql, RowMapper<T> mapper, Object... params);

    /**
     * {@inheritDoc}
     *
     * <p>Borrows a connection for the statement and returns it when the row is read.
     *
     * @throws dev.strand.pool.PoolException when no connection could be borrowed (timeout, closed)
     */
    @Override
    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params);

    /**
     * {@inheritDoc}
     *
     * <p>Runs in auto-commit mode on a borrowed connection.
     *
     * @throws dev.strand.pool.PoolException when no connection could be borrowed (timeout, closed)
     */
    @Override
    int update(String sql, Object... params);

    /**
     * {@inheritDoc}
     *
     * <p>Runs in auto-commit mode on a borrowed connection; to have all runs or none, call it in a
     * transaction.
     *
     * @throws dev.strand.pool.PoolException when no connection could be borrowed (timeout, closed)
     */
    @Override
    int[] batch(String sql, List<Object[]> rows);

    /**
     * Runs {@code work} in a transaction and returns its result: every statement of the
     * {@link Transaction} it is given runs on one connection, and they are committed when the work
     * returns. When the work or the commit throws, the transaction is rolled back and the exception
     * propagates as is (a failed rollback is added to it as suppressed). The connection goes back to
     * the pool in auto-commit mode with its own settings, or is discarded if they cannot be
     * restored.
     *
     * <p>The work runs on the calling thread. Statements it runs through this {@code Database}
     * rather than through the transaction borrow other connections and are not part of it.
     *
     * @throws dev.strand.pool.PoolException when no connection could be borrowed (timeout, closed)
     * @throws DeadlineExceededException     when the deadline in force passed before the transaction
     *                                       began or was committed, or while a statement ran
     * @throws DatabaseException             when beginning or committing fails
     */
    <T> T transaction(Function<Transaction, ? extends T> work);

    /**
     * Runs {@code work} with one connection of the pool held for all its statements, in auto-commit
     * mode: each statement commits by itself, as on the {@code Database}, but none waits for a
     * connection after the first. For a request that runs several statements in a row (say twenty
     * reads): one wait for a connection instead of twenty, and the connection is not handed to
     * someone else between them. The connection goes back to the pool when {@code work} returns or
     * throws; using the session after that, or from another thread, fails.
     *
     * <p>The work runs on the calling thread. A statement of the session honours the deadline in force
     * as the {@code Database}'s do.
     *
     * @throws dev.strand.pool.PoolException when no connection could be borrowed (timeout, closed)
     * @throws DeadlineExceededException     when the deadline in force passed before the session began
     *                                       or while a statement ran
     */
    <T> T session(Function<SqlOperations, ? extends T> work);

    /**
     * As {@link #transaction(Function)}, with the isolation level and read-only mode of
     * {@code options}; the connection's own are restored afterwards.
     */
    <T> T transaction(TransactionOptions options, Function<Transaction, ? extends T> work);

    /** As {@link #transaction(Function)}, for work that returns nothing. */
    void inTransaction(Consumer<Transaction> work);

    /** As {@link #transaction(TransactionOptions, Function)}, for work that returns nothing. */
    void inTransaction(TransactionOptions options, Consumer<Transaction> work);

    /** A snapshot of the database's counters and of its pool's; see {@link DatabaseMetrics}. Any thread. */
    DatabaseMetrics metrics();

    /**
     * Closes the database: its pool closes (waiting callers fail, idle connections are closed,
     * borrowed ones are closed when they come back), and its timer and offload threads end once
     * their work is done. Idempotent; any thread.
     */
    @Override
    void close();

    /**
     * Builds a {@link Database}. Not thread-safe. Every setter throws {@link NullPointerException}
     * for a null argument and {@link IllegalArgumentException} for a value out of its range.
     */
    final class Builder {
        String name = "db";
        String url;
        DataSource dataSource;
        String user;
        String password;
        final Properties properties = new Properties();
        int poolSize = 10;
        int minIdle;
        Duration acquireTimeout = Duration.ofSeconds(30);
        Duration validateAfterIdle = Duration.ofSeconds(1);
        Duration maxLifetime = Duration.ofMinutes(30);
        Duration idleTimeout = Duration.ofMinutes(10);
        int statementCacheSize = 64;
        /** Null: decided by the URL. */
        Boolean offload;
        /** Zero: as many as connections. */
        int offloadThreads;

        private Builder() {
        }

        /** The database's name, in log lines, exceptions and thread names; default {@code db}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The JDBC URL to connect to; the driver that accepts it must be on the class or module
         * path. Replaces a {@link #dataSource} set before.
         */
        public Builder url(String url) {
            this.url = Objects.requireNonNull(url, "url");
            this.dataSource = null;
            return this;
        }

        /**
         * Where connections come from, instead of a {@link #url}: for a driver's own data source, or
         * one that wraps connections. Its connections are offloaded unless {@link #offload(boolean)}
         * says otherwise, since which driver it uses is unknown. Replaces a URL set before.
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.url = null;
            return this;
        }

        /** The user to connect as; default: none given (the driver's default). */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /** The password to connect with; default: none. */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * A driver property passed when connecting by URL, e.g. {@code property("connectTimeout",
         * "5")} for pgjdbc. Ignored with a {@link #dataSource}, which is configured directly.
         */
        public Builder property(String key, String value) {
            properties.setProperty(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The most connections open at once; default 10. */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be at least 1: " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /** Connections kept open and idle, made in the background; default 0. At most {@link #poolSize}. */
        public Builder minIdle(int minIdle) {
            if (minIdle < 0) {
                throw new IllegalArgumentException("minIdle must not be negative: " + minIdle);
            }
            this.minIdle = minIdle;
            return this;
        }

        /** How long a call waits for a connection at most; default 30 s. Zero: never wait. */
        public Builder acquireTimeout(Duration timeout) {
            this.acquireTimeout = notNegative(timeout, "acquireTimeout");
            return this;
        }

        /**
         * A connection idle this long or longer is checked with {@link java.sql.Connection#isValid}
         * before it is lent; default 1 s. Zero: every time.
         */
        public Builder validateAfterIdle(Duration idle) {
            this.validateAfterIdle = notNegative(idle, "validateAfterIdle");
            return this;
        }

        /** How long a connection lives at most; default 30 min. Never taken from a caller using it. */
        public Builder maxLifetime(Duration lifetime) {
            this.maxLifetime = positive(lifetime, "maxLifetime");
            return this;
        }

        /** Idle connections beyond {@link #minIdle} are closed after this long; default 10 min. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        /**
         * How many prepared statements each connection keeps for reuse, keyed by their SQL; the least
         * recently used is closed to make room. Default 64; zero prepares every statement anew.
         */
        public Builder statementCacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("statementCacheSize must not be negative: " + size);
            }
            this.statementCacheSize = size;
            return this;
        }

        /**
         * Whether driver calls made on fibers run on offload threads (platform threads; the fiber
         * parks until the call is done) instead of on the fiber. Calls made on platform threads
         * always run on the caller.
         *
         * <p>Default, by URL: off for {@code jdbc:postgresql:}, {@code jdbc:mariadb:},
         * {@code jdbc:mysql:}, {@code jdbc:h2:mem:}, {@code jdbc:h2:tcp:} and {@code jdbc:h2:ssl:},
         * whose drivers wait only in Java socket I/O, which parks a fiber; on for every other URL
         * (H2 on files, whose file I/O holds the carrier, and drivers not known here) and for a
         * {@link #dataSource}. Turn it on also for long CPU-bound work in an in-memory database.
         */
        public Builder offload(boolean offload) {
            this.offload = offload;
            return this;
        }

        /** The most offload threads; default: {@link #poolSize} (each runs one connection's call). */
        public Builder offloadThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("offloadThreads must be at least 1: " + threads);
            }
            this.offloadThreads = threads;
            return this;
        }

        /**
         * Builds the database. It does not connect; with {@link #minIdle} above zero it starts
         * connecting in the background.
         *
         * @throws IllegalStateException    when neither a URL nor a data source was given, or no
         *                                  driver on the path accepts the URL (the message names the
         *                                  dependency to add)
         * @throws IllegalArgumentException when {@link #minIdle} exceeds {@link #poolSize}
         */
        public Database build() {
            if (minIdle > poolSize) {
                throw new IllegalArgumentException("minIdle " + minIdle + " exceeds poolSize " + poolSize);
            }
            Connector connector;
            boolean offloadCalls;
            if (dataSource != null) {
                DataSource source = dataSource;
                String u = user;
                String p = password == null ? "" : password;
                connector = u == null ? source::getConnection : () -> source.getConnection(u, p);
                offloadCalls = offload == null || offload;
            } else if (url != null) {
                Driver driver = driverFor(url);
                Properties props = new Properties();
                props.putAll(properties);
                if (user != null) {
                    props.setProperty("user", user);
                }
                if (password != null) {
                    props.setProperty("password", password);
                }
                loopPolledSockets(url, props);
                String u = url;
                connector = () -> {
                    var connection = driver.connect(u, props);
                    if (connection == null) {
                        throw new SQLException("the driver " + driver.getClass().getName() + " refused the URL " + scheme(u), "08001");
                    }
                    return connection;
                };
                offloadCalls = offload == null ? offloadsByDefault(url) : offload;
            } else {
                throw new IllegalStateException("database '" + name + "': give a url(...) or a dataSource(...)");
            }
            return new PooledDatabase(this, connector, offloadCalls, offloadThreads == 0 ? poolSize : offloadThreads);
        }

        /**
         * pgjdbc's and MariaDB Connector/J's sockets are polled by the loop that carries the waiting fiber
         * ({@link LoopSocketFactory}) unless the properties name a factory of their own, or loops
         * cannot carry fibers in this JVM (then the JDK's sockets are as good).
         */
        static void loopPolledSockets(String url, Properties props) {
            boolean takesAFactory = url.regionMatches(true, 0, "jdbc:postgresql:", 0, "jdbc:postgresql:".length())
                    || url.regionMatches(true, 0, "jdbc:mariadb:", 0, "jdbc:mariadb:".length());
            if (takesAFactory && !props.containsKey("socketFactory") && !url.contains("socketFactory=")
                    && Reactor.carrierHookAvailable()) {
                props.setProperty("socketFactory", LoopSocketFactory.class.getName());
            }
        }

        /** The rule of {@link #offload(boolean)}: off only for drivers known to wait in socket I/O. */
        static boolean offloadsByDefault(String url) {
            String u = url.toLowerCase(Locale.ROOT);
            if (u.startsWith("jdbc:postgresql:") || u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
                return false;
            }
            if (u.startsWith("jdbc:h2:")) {
                String rest = u.substring("jdbc:h2:".length());
                return !(rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:"));
            }
            return true;
        }

        private Driver driverFor(String url) {
            try {
                return DriverManager.getDriver(url);
            } catch (SQLException e) {
                throw new IllegalStateException("database '" + name + "': no JDBC driver on the class or module path accepts "
                        + scheme(url) + " URLs; add one" + dependencyHint(url), e);
            }
        }

        /** The URL up to its second colon: {@code jdbc:postgresql:}, without host, user or password. */
        private static String scheme(String url) {
            int first = url.indexOf(':');
            int second = first < 0 ? -1 : url.indexOf(':', first + 1);
            return second < 0 ? "'" + url.substring(0, Math.min(url.length(), 12)) + "…'" : "'" + url.substring(0, second + 1) + "'";
        }

        private static String dependencyHint(String url) {
            String u = url.toLowerCase(Locale.ROOT);
            String coordinates;
            if (u.startsWith("jdbc:postgresql:")) {
                coordinates = "<groupId>org.postgresql</groupId><artifactId>postgresql</artifactId>";
            } else if (u.startsWith("jdbc:mariadb:")) {
                coordinates = "<groupId>org.mariadb.jdbc</groupId><artifactId>mariadb-java-client</artifactId>";
            } else if (u.startsWith("jdbc:h2:")) {
                coordinates = "<groupId>com.h2database</groupId><artifactId>h2</artifactId>";
            } else if (u.startsWith("jdbc:mysql:")) {
                coordinates = "<groupId>com.mysql</groupId><artifactId>mysql-connector-j</artifactId>";
            } else {
                return "";
            }
            return ", e.g. <dependency>" + coordinates + "<version>…</version></dependency>";
        }

        private static Duration notNegative(Duration value, String what) {
            if (value.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: " + value);
            }
            return value;
        }

        private static Duration positive(Duration value, String what) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + value);
            }
            return value;
        }
    }
}
