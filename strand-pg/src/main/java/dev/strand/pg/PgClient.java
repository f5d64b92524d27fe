package dev.strand.pg;

import dev.strand.jdbc.Database;
import dev.strand.jdbc.DatabaseException;
import dev.strand.jdbc.DatabaseMetrics;
import dev.strand.jdbc.DeadlineExceededException;
import dev.strand.jdbc.SqlOperations;
import dev.strand.jdbc.Transaction;
import dev.strand.jdbc.TransactionOptions;
import dev.strand.pool.Lease;
import dev.strand.pool.Pool;
import dev.strand.pool.PoolTimeoutException;
import dev.strand.pool.ResourceFactory;
import dev.strand.reactor.Deadline;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * PostgreSQL spoken natively on Strand's event loops, with the statements of concurrent callers
 * pipelined on a few connections, behind the same synchronous {@link Database} API as the JDBC
 * layer: code written against {@code Database} runs on either, row mappers included.
 *
 * <pre>{@code
 * Database db = PgClient.builder().url("postgresql://postgres@127.0.0.1:5432/test").build();
 * List<String> names = db.query("SELECT name FROM users WHERE age > ?", rs -> rs.getString(1), 18);
 * }</pre>
 *
 * <p><b>Pipelining.</b> Each event loop that calls gets its own connections (up to
 * {@link Builder#connectionsPerLoop}, opened as load asks for them) owned by that loop: a call
 * appends its statement to the least busy one and parks; at the end of the loop's turn every
 * statement queued in that turn leaves in one write; the answers are read in the loop's I/O phase
 * and the callers resume in the same turn. The server reads many statements per wake-up instead of
 * one, which is where most of its time per statement went. Each statement ends with its own Sync,
 * so a failing statement fails only its caller. Calls from threads that are not on a loop (platform
 * threads, fibers of the JDK's scheduler) use one loop of the client's own, started on first use.
 *
 * <p><b>Transactions</b> need a connection to themselves: they take one from a pool of
 * {@link Builder#transactionConnections} (a {@link dev.strand.pool.Pool}: waiters park in arrival
 * order) and return it clean; {@link #session} does not need one, its statements go to one
 * pipelined connection in order.
 *
 * <p><b>Deadlines.</b> A statement whose {@link Deadline} has passed is not sent. One still
 * unanswered when it passes fails at once with a {@link DeadlineExceededException}, and the server
 * is asked to cancel it (a CancelRequest) when it is the statement the session runs; one queued
 * behind it is cancelled when it gets there. A cancel that arrives after its statement finished can
 * hit the next statement of the pipeline, which is then run again: harmless, as each ran alone up
 * to its Sync.
 *
 * <p><b>Outages.</b> A connection that breaks fails the statements it carried with a
 * {@link DatabaseException} whose {@link DatabaseException#isConnectionFailure()} is true; the next
 * call opens another. While none is open and opening one fails, calls fail at once (10 ms, doubling
 * to 1 s, between attempts) instead of queueing for a server that is not there.
 *
 * <p><b>Types.</b> Parameters travel as text and the server infers their types from the statement;
 * rows come as text and are read by the mapper through a {@link java.sql.ResultSet} that supports
 * the getters a mapper uses (see the module's documentation). Statements are prepared once per
 * connection, up to {@link Builder#statementCacheSize}; beyond that they are parsed each time.
 *
 * <p>Not yet: TLS to the server, COPY, LISTEN/NOTIFY, binary transfer. Authentication: trust,
 * password, MD5 and SCRAM-SHA-256.
 *
 * <p>Thread-safe: every method may be called from any thread but an event loop's own (a handler
 * running inline on the loop must not wait: it throws {@link IllegalStateException}).
 */
public final class PgClient extends PgOperations implements Database {

    private static final System.Logger LOG = System.getLogger(PgClient.class.getName());
    private static final long FIRST_BACKOFF_NANOS = 10_000_000L;
    private static final long MAX_BACKOFF_NANOS = 1_000_000_000L;
    /** While PostgreSQL is unreachable, a transaction waits for a connection in turns this long, and looks between them. */
    private static final long UNREACHABLE_TURN_NANOS = 100_000_000L;

    private final PgSettings settings;
    private final int connectionsPerLoop;
    private final int statementCacheSize;
    private final Counters counters = new Counters();
    private final ConcurrentHashMap<EventLoop, LoopConnections> loops = new ConcurrentHashMap<>();
    private final Pool<PgConnection> transactionPool;
    private final long acquireTimeoutNanos;
    private final Object lock = new Object();
    private Reactor ownReactor; // guarded by lock
    private volatile boolean closed;
    private volatile long retryAtNanos;
    private volatile long backoffNanos;
    private volatile Throwable lastConnectFailure;

    /** Counters behind {@link #metrics()}; written from any thread without contention. */
    static final class Counters {
        final LongAdder prepared = new LongAdder();
        final LongAdder reused = new LongAdder();
        final LongAdder refusedPastDeadline = new LongAdder();
        final LongAdder cancelledAtDeadline = new LongAdder();
        final LongAdder connectionsLost = new LongAdder();
        final LongAdder refusedUnreachable = new LongAdder();
    }

    private PgClient(Builder builder) {
        this.settings = new PgSettings(builder.name, builder.host, builder.port, builder.database, builder.user,
                Optional.ofNullable(builder.password), builder.applicationName, builder.connectTimeout,
                Map.copyOf(builder.parameters));
        this.connectionsPerLoop = builder.connectionsPerLoop;
        this.statementCacheSize = builder.statementCacheSize;
        this.acquireTimeoutNanos = builder.acquireTimeout.toNanos();
        this.transactionPool = Pool.builder(builder.name + "-transactions", new TransactionConnections())
                .maxSize(builder.transactionConnections)
                .acquireTimeout(builder.acquireTimeout)
                .build();
    }

    /** A builder; {@link Builder#url} or {@link Builder#host} and the rest say where the server is. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return settings.name();
    }

    PgSettings settings() {
        return settings;
    }

    Counters counters() {
        return counters;
    }

    int statementCacheSize() {
        return statementCacheSize;
    }

    @Override
    PgClient client() {
        return this;
    }

    @Override
    PgConnection pinned() {
        return null;
    }

    /** The deadline in force, after refusing a statement whose deadline has already passed. */
    Deadline deadlineForNewStatement(String sql) {
        Objects.requireNonNull(sql, "sql");
        Deadline deadline = Deadline.current().orElse(null);
        if (deadline != null && deadline.isExpired()) {
            counters.refusedPastDeadline.increment();
            throw new DeadlineExceededException(name() + ": the deadline passed before the statement was sent: " + quote(sql), false, null, null);
        }
        return deadline;
    }

    /**
     * Hands {@code command} to {@code pinned}, or to a connection of the caller's loop, waits for its
     * answer and turns failures into exceptions.
     */
    Command run(Command command, PgConnection pinned) {
        if (closed) {
            throw new IllegalStateException(name() + " is closed");
        }
        EventLoop current = EventLoop.current().orElse(null);
        if (current != null && !Thread.currentThread().isVirtual()) {
            throw new IllegalStateException(name() + ": a statement may not wait on an event loop's own thread; call it from a fiber");
        }
        EventLoop loop = pinned != null ? pinned.loop : current != null ? current : ownLoop();
        if (loop.inLoop()) {
            dispatch(command, pinned, loop);
        } else {
            try {
                loop.execute(() -> dispatch(command, pinned, loop));
            } catch (RejectedExecutionException e) {
                throw new DatabaseException(name() + ": the loop of the connection has stopped", "08003", 0, true, e);
            }
        }
        command.await();
        if (!command.done || command.expired && command.wantRows) {
            // Done but expired: the deadline passed first and the loop dropped the rows that came
            // after it, for a caller it took to be gone; the answer is incomplete.
            if (Thread.currentThread().isInterrupted()) {
                abandon(command, loop);
                throw new DatabaseException(name() + ": interrupted while waiting for: " + quote(command.sql), null, 0, false, null);
            }
            throw new DeadlineExceededException(name() + ": the deadline passed before PostgreSQL answered: " + quote(command.sql),
                    command.sentToServer, null, null);
        }
        if (command.lost != null) {
            throw new DatabaseException(name() + ": " + lostMessage(command.lost) + "; statement: " + quote(command.sql),
                    sqlStateOf(command.lost), 0, true, command.lost);
        }
        ServerError error = command.error;
        if (error != null) {
            if (command.cancelRequested && "57014".equals(error.sqlState())) {
                throw new DeadlineExceededException(name() + ": the deadline passed and PostgreSQL cancelled: " + quote(command.sql),
                        true, error.sqlState(), null);
            }
            throw new DatabaseException(name() + ": " + error.describe() + " (SQLSTATE " + error.sqlState() + ") in: " + quote(command.sql),
                    error.sqlState(), 0, error.isConnectionFailure(), null);
        }
        return command;
    }

    /** Tells the connection that {@code command}'s caller has left, so that the server stops running it. */
    private static void abandon(Command command, EventLoop loop) {
        try {
            loop.execute(() -> {
                PgConnection connection = command.connection;
                if (connection != null) {
                    connection.abandon(command);
                }
            });
        } catch (RejectedExecutionException stopped) {
            // its loop has stopped, and closed the connection with it
        }
    }

    private void dispatch(Command command, PgConnection pinned, EventLoop loop) {
        if (!loop.inLoop()) {
            // A task handed in as the loop stopped runs elsewhere: the loop's connections are gone with it.
            command.lost = new java.io.EOFException("the loop of the connection has stopped");
            command.finish();
            return;
        }
        PgConnection connection = pinned;
        if (connection == null) {
            connection = loops.computeIfAbsent(loop, l -> new LoopConnections(l, this, connectionsPerLoop)).pick();
        }
        if (connection == null) {
            counters.refusedUnreachable.increment();
            Throwable cause = lastConnectFailure;
            command.lost = new UnreachableException(cause);
            command.finish();
            return;
        }
        connection.submit(command);
    }

    private static String lostMessage(Throwable lost) {
        if (lost instanceof UnreachableException) {
            return lost.getMessage();
        }
        if (lost instanceof StartupException) {
            return "PostgreSQL refused the connection: " + lost.getMessage();
        }
        return "the connection to PostgreSQL failed: " + lost.getMessage();
    }

    private static String sqlStateOf(Throwable lost) {
        if (lost instanceof StartupException refused && refused.sqlState() != null) {
            return refused.sqlState();
        }
        if (lost instanceof PgConnection.ServerClosedException ended && ended.error.sqlState() != null) {
            return ended.error.sqlState();
        }
        return "08006";
    }

    /** No connection is open and the last attempt to open one failed: calls fail at once until the next attempt. */
    private static final class UnreachableException extends Exception {
        UnreachableException(Throwable cause) {
            super("PostgreSQL is unreachable" + (cause != null ? ": " + cause.getMessage() : ""), cause, false, false);
        }
    }

    /** The loop that serves callers not on a loop, started on first use. */
    private EventLoop ownLoop() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException(name() + " is closed");
            }
            if (ownReactor == null) {
                ownReactor = Reactor.builder().loops(1).name(name() + "-pg").build();
            }
            return ownReactor.loops().getFirst();
        }
    }

    // Connection events, from the connections' loops

    boolean mayConnect() {
        return lastConnectFailure == null || System.nanoTime() - retryAtNanos >= 0;
    }

    void connected(PgConnection connection) {
        if (lastConnectFailure != null) {
            LOG.log(Level.INFO, () -> name() + ": PostgreSQL is reachable again");
        }
        lastConnectFailure = null;
        backoffNanos = 0;
    }

    void connectFailed(PgConnection connection, Throwable cause) {
        boolean first = lastConnectFailure == null;
        lastConnectFailure = cause;
        long backoff = backoffNanos == 0 ? FIRST_BACKOFF_NANOS : Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        backoffNanos = backoff;
        retryAtNanos = System.nanoTime() + backoff;
        LOG.log(first ? Level.WARNING : Level.DEBUG, () -> name() + ": could not connect to PostgreSQL at " + settings.host() + ":"
                + settings.port() + ": " + cause);
    }

    void lost(PgConnection connection, Throwable cause) {
        counters.connectionsLost.increment();
        if (!closed) {
            LOG.log(Level.WARNING, () -> name() + ": " + connection + " broke: " + cause);
        }
    }

    // Transactions and sessions

    @Override
    public <T> T transaction(Function<Transaction, ? extends T> work) {
        return transaction(TransactionOptions.defaults(), work);
    }

    @Override
    public <T> T transaction(TransactionOptions options, Function<Transaction, ? extends T> work) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(work, "work");
        if (closed) {
            throw new IllegalStateException(name() + " is closed"); // as every other call says, not the pool's PoolClosedException
        }
        Deadline deadline = deadlineForNewStatement("BEGIN");
        try (Lease<PgConnection> lease = acquireForTransaction()) {
            PgConnection connection = lease.get();
            PgTransaction transaction = new PgTransaction(this, connection);
            boolean clean = false;
            try {
                control(connection, begin(options), deadline);
                T result = work.apply(transaction);
                transaction.end();
                if (deadline != null && deadline.isExpired()) {
                    throw new DeadlineExceededException(name() + ": the deadline passed before the commit; rolled back", false, null, null);
                }
                Command commit = control(connection, "COMMIT", null);
                if (transaction.failed()) {
                    // PostgreSQL answers COMMIT of a failed transaction with a rollback, not an error.
                    throw new DatabaseException(name() + ": the transaction failed earlier and was rolled back", "25P02", 0, false, null);
                }
                clean = commit.transactionStatus == 'I';
                return result;
            } catch (RuntimeException | Error e) {
                transaction.end();
                clean = rollback(connection, e);
                throw e;
            } finally {
                if (!clean || !connection.isOpen()) {
                    lease.discard();
                }
            }
        }
    }

    /**
     * A connection for a transaction, in arrival order. While the last attempt to open a connection
     * failed, the wait goes in short turns with a look between them, and a transaction finding the
     * server unreachable and no connection idle fails at once, as a statement does, instead of
     * waiting out the acquire timeout while the pool's attempts to connect fail.
     */
    private Lease<PgConnection> acquireForTransaction() {
        if (lastConnectFailure == null) {
            return transactionPool.acquire();
        }
        long start = System.nanoTime();
        while (true) {
            Throwable failure = lastConnectFailure;
            if (failure != null && !mayConnect() && transactionPool.metrics().idle() == 0) {
                counters.refusedUnreachable.increment();
                UnreachableException unreachable = new UnreachableException(failure);
                throw new DatabaseException(name() + ": " + lostMessage(unreachable) + "; transaction not begun", sqlStateOf(unreachable), 0,
                        true, unreachable);
            }
            long left = acquireTimeoutNanos - (System.nanoTime() - start);
            if (failure == null) {
                return transactionPool.acquire(Duration.ofNanos(Math.max(0, left)));
            }
            try {
                return transactionPool.acquire(Duration.ofNanos(Math.max(0, Math.min(left, UNREACHABLE_TURN_NANOS))));
            } catch (PoolTimeoutException e) {
                if (left <= UNREACHABLE_TURN_NANOS) {
                    throw e;
                }
            }
        }
    }

    private Command control(PgConnection connection, String sql, Deadline deadline) {
        return run(new Command(sql, Collections.singletonList(new byte[0][]), false, deadline), connection);
    }

    private boolean rollback(PgConnection connection, Throwable failure) {
        if (!connection.isOpen()) {
            return false;
        }
        try {
            return control(connection, "ROLLBACK", null).transactionStatus == 'I';
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            return false;
        }
    }

    private static String begin(TransactionOptions options) {
        StringBuilder sql = new StringBuilder("BEGIN");
        options.isolation().ifPresent(level -> sql.append(" ISOLATION LEVEL ").append(level.name().replace('_', ' ')));
        if (options.readOnly()) {
            sql.append(" READ ONLY");
        }
        return sql.toString();
    }

    @Override
    public void inTransaction(Consumer<Transaction> work) {
        Objects.requireNonNull(work, "work");
        transaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    @Override
    public void inTransaction(TransactionOptions options, Consumer<Transaction> work) {
        Objects.requireNonNull(work, "work");
        transaction(options, tx -> {
            work.accept(tx);
            return null;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here no connection is held to itself: the session's statements go, in order, to the
     * pipelined connection its first statement went to, so they never wait for a connection.
     */
    @Override
    public <T> T session(Function<SqlOperations, ? extends T> work) {
        Objects.requireNonNull(work, "work");
        PgSession session = new PgSession(this);
        try {
            return work.apply(session);
        } finally {
            session.end();
        }
    }

    @Override
    public DatabaseMetrics metrics() {
        return new DatabaseMetrics(transactionPool.metrics(), counters.prepared.sum(), counters.reused.sum(),
                counters.refusedPastDeadline.sum(), counters.cancelledAtDeadline.sum(), counters.connectionsLost.sum(),
                counters.refusedUnreachable.sum(), 0);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Closes every connection (ending its session with Terminate); statements in flight fail.
     */
    @Override
    public void close() {
        Reactor own;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            own = ownReactor;
        }
        transactionPool.close();
        for (LoopConnections connections : loops.values()) {
            try {
                connections.loop.schedule(connections::closeAll);
            } catch (RejectedExecutionException stopped) {
                // its loop has stopped, and closed its channels with it
            }
        }
        if (own != null) {
            own.close();
        }
    }

    static String quote(String sql) {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() <= 160 ? line : line.substring(0, 160) + "…";
    }

    /** Opens the connections that transactions take to themselves, on the loop of the pool's creating fiber. */
    private final class TransactionConnections implements ResourceFactory<PgConnection> {
        @Override
        public PgConnection create() throws Exception {
            EventLoop loop = EventLoop.current().orElseGet(PgClient.this::ownLoop);
            try {
                return PgConnection.open(loop, PgClient.this, statementCacheSize, false).opened().join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }

        @Override
        public boolean validate(PgConnection connection) {
            return connection.isOpen();
        }

        @Override
        public void destroy(PgConnection connection) {
            try {
                connection.loop.schedule(connection::close);
            } catch (RejectedExecutionException stopped) {
                // its loop has stopped, and closed its channel with it
            }
        }
    }

    /**
     * Builds a {@link PgClient}. Not thread-safe. Every setter throws {@link NullPointerException}
     * for a null argument and {@link IllegalArgumentException} for a value out of its range.
     */
    public static final class Builder {
        String name = "pg";
        String host = "127.0.0.1";
        int port = 5432;
        String database = "postgres";
        String user = System.getProperty("user.name", "postgres");
        String password;
        String applicationName = "strand";
        int connectionsPerLoop = 4;
        int transactionConnections = 4;
        int statementCacheSize = 256;
        Duration connectTimeout = Duration.ofSeconds(10);
        Duration acquireTimeout = Duration.ofSeconds(30);
        final Map<String, String> parameters = new LinkedHashMap<>();

        private Builder() {
        }

        /** The client's name, in log lines and exceptions; default {@code pg}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Where the server is, as {@code postgresql://[user[:password]@]host[:port][/database]} or
         * pgjdbc's {@code jdbc:postgresql://host[:port]/database[?user=…&password=…]}. Sets the host,
         * port, database and whichever of user and password it names; {@code currentSchema} (or
         * {@code search_path}) and {@code applicationName} are read too, other parameters ignored.
         *
         * @throws IllegalArgumentException when it is neither form, or asks for TLS ({@code sslmode=require} or
         *                                  stricter, {@code ssl=true}), which this client does not speak yet
         */
        public Builder url(String url) {
            Objects.requireNonNull(url, "url");
            String rest = url.startsWith("jdbc:") ? url.substring(5) : url;
            if (!rest.startsWith("postgresql://") && !rest.startsWith("postgres://")) {
                throw new IllegalArgumentException("not a PostgreSQL URL (postgresql://host:port/database): " + redacted(url));
            }
            URI uri;
            try {
                uri = URI.create(rest);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a valid PostgreSQL URL: " + redacted(url)); // the cause quotes the URL
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host in PostgreSQL URL: " + redacted(url));
            }
            host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
            if (uri.getPort() >= 0) {
                port(uri.getPort());
            }
            if (uri.getPath() != null && uri.getPath().length() > 1) {
                database = uri.getPath().substring(1);
            }
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = decode(parts[0]);
                if (parts.length == 2) {
                    password = decode(parts[1]);
                }
            }
            if (uri.getRawQuery() != null) {
                for (String pair : uri.getRawQuery().split("&")) {
                    String[] kv = pair.split("=", 2);
                    String value = kv.length == 2 ? decode(kv[1]) : "";
                    switch (kv[0].toLowerCase(Locale.ROOT)) {
                        case "user" -> user = value;
                        case "password" -> password = value;
                        case "applicationname", "application_name" -> applicationName = value;
                        case "currentschema", "search_path" -> parameter("search_path", value);
                        case "sslmode" -> {
                            if (!value.equals("disable") && !value.equals("allow") && !value.equals("prefer")) {
                                throw new IllegalArgumentException("sslmode=" + value + " asks for TLS, which Strand's PostgreSQL client does not"
                                        + " speak yet; it will not connect without it: " + redacted(url));
                            }
                        }
                        case "ssl" -> {
                            if (!value.equals("false")) {
                                throw new IllegalArgumentException("ssl=" + value + " asks for TLS, which Strand's PostgreSQL client does not"
                                        + " speak yet; it will not connect without it: " + redacted(url));
                            }
                        }
                        default -> {
                            // pgjdbc's other settings (prepareThreshold…) have no meaning here
                        }
                    }
                }
            }
            return this;
        }

        /** The URL without its password, for messages: the user info's and the query's. */
        private static String redacted(String url) {
            return url.replaceFirst("(//[^/@?#]*?:)[^/@?#]*@", "$1***@").replaceAll("(?i)([?&]password=)[^&#]*", "$1***");
        }

        private static String decode(String s) {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        }

        /** The server's host name or address; default {@code 127.0.0.1}. Every address of a name is tried. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The server's port; default 5432. */
        public Builder port(int port) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be 1..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** The database; default {@code postgres}. */
        public Builder database(String database) {
            this.database = Objects.requireNonNull(database, "database");
            return this;
        }

        /** The user; default the operating system's user, as for psql and pgjdbc. */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /** The password, when the server asks for one; none by default. */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * A run-time parameter set for every session at its start, as {@code SET name = value} would:
         * {@code search_path}, {@code TimeZone}, {@code statement_timeout}… The server refuses the
         * session when it does not know the name or the value.
         */
        public Builder parameter(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty() || List.of("user", "database", "client_encoding", "datestyle", "application_name", "replication")
                    .contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("parameter " + name + " is set by the client itself or through its own setter");
            }
            parameters.put(name, value);
            return this;
        }

        /** The {@code application_name} the server shows for the sessions; default {@code strand}. */
        public Builder applicationName(String applicationName) {
            this.applicationName = Objects.requireNonNull(applicationName, "applicationName");
            return this;
        }

        /**
         * The most pipelined connections per event loop, opened as load needs them; default 4. A few
         * suffice: each carries every statement its loop's callers have in flight.
         */
        public Builder connectionsPerLoop(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("connectionsPerLoop must be at least 1: " + connections);
            }
            this.connectionsPerLoop = connections;
            return this;
        }

        /** The most connections held by transactions at once; default 4. */
        public Builder transactionConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("transactionConnections must be at least 1: " + connections);
            }
            this.transactionConnections = connections;
            return this;
        }

        /** How long a transaction waits for a connection at most (less if its deadline comes first); default 30 s. */
        public Builder acquireTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("acquireTimeout must not be negative: " + timeout);
            }
            this.acquireTimeout = timeout;
            return this;
        }

        /** How long opening a connection may take; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connectTimeout must be positive and under 24 days: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** The most statements kept prepared per connection; default 256. Beyond, statements are parsed each time. */
        public Builder statementCacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("statementCacheSize must not be negative: " + size);
            }
            this.statementCacheSize = size;
            return this;
        }

        /** The client. It opens no connection until the first call. */
        public PgClient build() {
            return new PgClient(this);
        }
    }
}
