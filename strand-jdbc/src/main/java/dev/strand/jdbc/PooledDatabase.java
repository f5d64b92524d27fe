package dev.strand.jdbc;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import dev.strand.pool.Lease;
import dev.strand.pool.Pool;
import dev.strand.pool.PoolClosedException;
import dev.strand.pool.PoolException;
import dev.strand.pool.PoolTimeoutException;
import dev.strand.reactor.Deadline;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link Database}: a {@link Pool} of {@link PooledConnection}s, a {@link Runner} for their
 * statements, and the upkeep that keeps broken connections out of use.
 *
 * <p>Healing has four parts. A connection that reports a connection failure is discarded when its
 * holder gives it back. Every connection returned before the latest such failure, or idle past
 * {@code validateAfterIdle}, is checked when next borrowed, since whatever broke one may have
 * broken the others. While no connection is left and connecting fails, callers are refused at once,
 * while a probe fiber waits in the pool on their behalf: its wait keeps the pool retrying to connect
 * with back-off, and the first connection made (or any valid one it is lent) ends the outage. And
 * between a connection breaking and the first reconnect failing, callers wait in short turns, so
 * that they learn of an outage within a turn (see {@link #borrow}). The pool's own validation is
 * off: a check that fails inside the pool's acquire would leave the caller waiting in its queue,
 * where this class could no longer refuse it.
 */
final class PooledDatabase implements Database {

    private static final System.Logger LOG = System.getLogger(Database.class.getName());
    /** The pool never validates by itself; see the class comment. */
    private static final Duration POOL_NEVER_VALIDATES = ChronoUnit.FOREVER.getDuration();
    /** How long a validation may take, at most. */
    private static final int VALID_SECONDS = 5;
    /** How long a caller waits in the pool at a time while the database is suspect; see {@link #borrow}. */
    private static final Duration SUSPECT_TURN = Duration.ofMillis(50);
    /** How long the probe waits in the pool's queue before it queues again. */
    private static final Duration PROBE_WAIT = Duration.ofSeconds(5);

    private final String name;
    private final Counters counters = new Counters();
    private final Offload offload;
    private final Canceller canceller;
    private final ConnectionFactory factory;
    private final Pool<PooledConnection> pool;
    private final Runner runner;
    private final long acquireTimeout;
    private final long validateAfterIdle;
    private final AtomicBoolean probing = new AtomicBoolean();
    /** When a connection was last found broken; connections returned before then are checked. */
    private volatile long brokenAt;
    /** Whether calls are being refused as the database is unreachable; for logging the change once. */
    private final AtomicBoolean refusing = new AtomicBoolean();
    private volatile boolean closed;

    PooledDatabase(Database.Builder settings, Connector connector, boolean offloadCalls, int offloadThreads) {
        this.name = settings.name;
        this.offload = offloadCalls ? Offload.onPlatformThreads(name, offloadThreads, counters) : Offload.none(counters);
        this.canceller = new Canceller(name);
        this.factory = new ConnectionFactory(connector, offload, settings.statementCacheSize, counters);
        this.acquireTimeout = nanos(settings.acquireTimeout);
        this.validateAfterIdle = nanos(settings.validateAfterIdle);
        this.brokenAt = factory.reachableAt() - 1;
        this.runner = new Runner(name, offload, canceller, counters);
        this.pool = Pool.builder(name, factory)
                .maxSize(settings.poolSize)
                .minIdle(settings.minIdle)
                .acquireTimeout(settings.acquireTimeout)
                .validateAfterIdle(POOL_NEVER_VALIDATES)
                .maxLifetime(settings.maxLifetime)
                .idleTimeout(settings.idleTimeout)
                .build();
        LOG.log(DEBUG, () -> "database '" + name + "': pool of " + settings.poolSize + (offload.offloads()
                ? ", driver calls from fibers offloaded to at most " + offloadThreads + " threads"
                : ", driver calls on the caller"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(params, "params");
        return onConnection(sql, (pc, deadline) -> runner.query(pc, deadline, sql, mapper, params));
    }

    @Override
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(params, "params");
        return onConnection(sql, (pc, deadline) -> runner.queryOne(pc, deadline, sql, mapper, params));
    }

    @Override
    public int update(String sql, Object... params) {
        Objects.requireNonNull(params, "params");
        return onConnection(sql, (pc, deadline) -> runner.update(pc, deadline, sql, params));
    }

    @Override
    public int[] batch(String sql, List<Object[]> rows) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(rows, "rows");
        if (rows.isEmpty()) {
            return new int[0];
        }
        return onConnection(sql, (pc, deadline) -> runner.batch(pc, deadline, sql, rows));
    }

    /** Runs one statement on a borrowed connection, under the deadline in force, and gives the connection back. */
    private <T> T onConnection(String sql, BiFunction<PooledConnection, Deadline, T> statement) {
        Deadline deadline = deadline();
        Lease<PooledConnection> lease = borrow(sql, deadline);
        try {
            return statement.apply(lease.get(), deadline);
        } finally {
            giveBack(lease);
        }
    }

    @Override
    public <T> T transaction(Function<Transaction, ? extends T> work) {
        return transaction(TransactionOptions.defaults(), work);
    }

    @Override
    public void inTransaction(Consumer<Transaction> work) {
        inTransaction(TransactionOptions.defaults(), work);
    }

    @Override
    public void inTransaction(TransactionOptions options, Consumer<Transaction> work) {
        Objects.requireNonNull(work, "work");
        transaction(options, tx -> {
            work.accept(tx);
            return Boolean.TRUE;
        });
    }

    @Override
    public <T> T transaction(TransactionOptions options, Function<Transaction, ? extends T> work) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(work, "work");
        Deadline deadline = deadline();
        Lease<PooledConnection> lease = borrow("BEGIN", deadline);
        PooledConnection pc = lease.get();
        Settings changed = null;
        PooledTransaction tx = new PooledTransaction(name, runner, pc, Thread.currentThread(), "transaction");
        try {
            changed = begin(pc, options);
            T result;
            try {
                result = work.apply(tx);
            } finally {
                tx.end();
            }
            // Late work is rolled back, not committed: the caller has been told, or will be, that it failed.
            runner.refuseIfPast(deadline, "COMMIT", "not committed, rolled back");
            runner.control(pc, "COMMIT", () -> {
                pc.connection.commit();
                return null;
            });
            return result;
        } catch (Throwable failure) {
            if (changed != null) {
                rollback(pc, failure);
            }
            throw failure;
        } finally {
            try {
                if (changed != null) {
                    restore(pc, changed);
                }
            } finally {
                giveBack(lease);
            }
        }
    }

    @Override
    public <T> T session(Function<SqlOperations, ? extends T> work) {
        Objects.requireNonNull(work, "work");
        Lease<PooledConnection> lease = borrow("a session's first statement", deadline());
        PooledTransaction session = new PooledTransaction(name, runner, lease.get(), Thread.currentThread(), "session");
        try {
            return work.apply(session);
        } finally {
            session.end();
            giveBack(lease);
        }
    }

    @Override
    public DatabaseMetrics metrics() {
        return new DatabaseMetrics(pool.metrics(), counters.prepared.sum(), counters.reused.sum(),
                counters.refusedPastDeadline.sum(), counters.cancelledAtDeadline.sum(), counters.connectionsLost.sum(),
                counters.refusedUnreachable.sum(), counters.offloaded.sum());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.close();
        canceller.close();
        offload.close();
    }

    @Override
    public String toString() {
        return "database '" + name + "'";
    }

    // ---- borrowing and giving back ----

    /**
     * A connection fit to use: refused at once past the deadline or while the database is
     * unreachable; otherwise waits in the pool, then checks the connection if it may be stale.
     *
     * <p>While a connection has broken and none is left, whether the database is down is not yet
     * known: the probe's first attempt to connect will tell. Callers then wait in the pool in short
     * turns and look between them, so that they learn it within a turn instead of waiting out their
     * acquire timeout. Arrival order among them is kept only roughly, which matters little while
     * every one of them waits for a connection yet to be made.
     */
    private Lease<PooledConnection> borrow(String sql, Deadline deadline) {
        Objects.requireNonNull(sql, "sql");
        runner.refuseIfPast(deadline, sql, "not sent");
        long start = System.nanoTime();
        boolean first = true;
        while (true) {
            refuseIfUnreachable(sql);
            long left = Math.max(0, acquireTimeout - (System.nanoTime() - start));
            Lease<PooledConnection> lease;
            if (suspect() && pool.metrics().size() == 0) {
                try {
                    lease = pool.acquire(Duration.ofNanos(Math.min(left, SUSPECT_TURN.toNanos())));
                } catch (PoolTimeoutException e) {
                    if (left <= SUSPECT_TURN.toNanos() || deadline != null && deadline.isExpired()) {
                        throw e;
                    }
                    continue;
                }
            } else if (first) {
                lease = pool.acquire();
            } else {
                lease = pool.acquire(Duration.ofNanos(left));
            }
            first = false;
            if (isUsable(lease.get())) {
                return lease;
            }
            lease.discard();
        }
    }

    /** Whether a connection broke after the database was last known reachable. */
    private boolean suspect() {
        return brokenAt - factory.reachableAt() > 0;
    }

    /** Whether a just-borrowed connection may be used: checked first if it may have gone stale. */
    private boolean isUsable(PooledConnection pc) {
        long now = System.nanoTime();
        boolean stale = now - pc.returnedAt >= validateAfterIdle || pc.returnedAt - brokenAt < 0;
        if (!stale) {
            return true;
        }
        boolean valid;
        try {
            valid = offload.call(() -> pc.connection.isValid(VALID_SECONDS));
        } catch (java.sql.SQLException | RuntimeException e) {
            LOG.log(DEBUG, () -> "database '" + name + "': checking an idle connection failed", e);
            valid = false;
        }
        if (!valid) {
            lost("an idle connection failed its check");
            return false;
        }
        pc.returnedAt = now; // checked now: the next borrower need not check again at once
        factory.reachable();
        return true;
    }

    private void giveBack(Lease<PooledConnection> lease) {
        PooledConnection pc = lease.get();
        if (pc.broken) {
            lost("a connection broke");
            lease.discard();
        } else if (pc.retire) {
            lease.discard();
        } else {
            pc.returnedAt = System.nanoTime();
            lease.close();
        }
    }

    /** A connection was found broken: check the others before they are lent, and find out if it is all of them. */
    private void lost(String what) {
        counters.connectionsLost.increment();
        brokenAt = System.nanoTime();
        LOG.log(DEBUG, () -> "database '" + name + "': " + what + "; discarding it");
        startProbe();
    }

    // ---- outages ----

    /**
     * Refuses the call at once while connecting fails and no connection is left: waiting would only
     * end in a timeout. Otherwise (some connection left, or connecting not known to fail) lets it wait.
     */
    private void refuseIfUnreachable(String sql) {
        ConnectionFactory.Failure failing = factory.failing();
        if (failing == null || pool.metrics().size() > 0) {
            return;
        }
        counters.refusedUnreachable.increment();
        startProbe();
        long downFor = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failing.since());
        if (refusing.compareAndSet(false, true)) {
            LOG.log(WARNING, "database '" + name + "': unreachable, connecting fails (" + failing.cause().getMessage()
                    + "); calls fail at once until a connection is made");
        }
        throw new DatabaseException("database '" + name + "': unreachable, connecting has failed for " + downFor
                + " ms and no connection is left (" + failing.cause().getMessage() + "); not sent: " + SqlErrors.quote(sql),
                failing.cause().getSQLState(), failing.cause().getErrorCode(), true, failing.cause());
    }

    /** Starts the probe unless it runs: it waits in the pool until a valid connection is lent to it. */
    private void startProbe() {
        if (!closed && probing.compareAndSet(false, true)) {
            Thread.ofVirtual().name(name + "-probe").start(this::probe);
        }
    }

    private void probe() {
        try {
            while (!closed) {
                Lease<PooledConnection> lease;
                try {
                    lease = pool.acquire(PROBE_WAIT);
                } catch (PoolClosedException e) {
                    return;
                } catch (PoolException e) {
                    continue; // timed out; the pool retries connecting while anyone waits, so wait again
                }
                if (isUsable(lease.get())) {
                    giveBack(lease);
                    factory.reachable();
                    if (refusing.compareAndSet(true, false)) {
                        LOG.log(INFO, "database '" + name + "': reachable again; calls are served");
                    }
                    return;
                }
                lease.discard();
            }
        } finally {
            probing.set(false);
        }
    }

    // ---- transactions ----

    /** What {@link #begin} changed on a connection, to undo. */
    private record Settings(boolean isolation, boolean readOnly) {
    }

    private Settings begin(PooledConnection pc, TransactionOptions options) {
        try {
            return runner.control(pc, "BEGIN", () -> {
                // Isolation and read-only first: some drivers refuse to change them once a transaction is open.
                boolean isolation = options.isolation().isPresent() && options.isolation().get().jdbcLevel() != pc.ownIsolation;
                if (isolation) {
                    pc.connection.setTransactionIsolation(options.isolation().get().jdbcLevel());
                }
                boolean readOnly = options.readOnly() != pc.ownReadOnly;
                if (readOnly) {
                    pc.connection.setReadOnly(options.readOnly());
                }
                pc.connection.setAutoCommit(false);
                return new Settings(isolation, readOnly);
            });
        } catch (RuntimeException e) {
            retireUnlessBroken(pc); // half-begun, its settings unknown: not to be lent again
            throw e;
        }
    }

    /** Rolls back after {@code failure}, which gets a failed rollback added as suppressed. */
    private void rollback(PooledConnection pc, Throwable failure) {
        if (pc.broken) {
            return; // nothing to roll back on: the database ends the transaction of a lost session
        }
        try {
            runner.control(pc, "ROLLBACK", () -> {
                pc.connection.rollback();
                return null;
            });
        } catch (RuntimeException | Error e) {
            retireUnlessBroken(pc); // a transaction that may still be open must not be lent
            failure.addSuppressed(e);
        }
    }

    /** Back to auto-commit with the connection's own settings; a connection that refuses is discarded. */
    private void restore(PooledConnection pc, Settings changed) {
        if (pc.broken) {
            return;
        }
        try {
            runner.control(pc, "restoring auto-commit", () -> {
                pc.connection.setAutoCommit(true);
                restoreSettings(pc, changed);
                return null;
            });
        } catch (RuntimeException e) {
            retireUnlessBroken(pc);
            LOG.log(WARNING, "database '" + name + "': a connection could not be reset after a transaction; discarding it", e);
        }
    }

    /** Not to be lent again: destroyed when given back, and counted as lost only if it broke. */
    private static void retireUnlessBroken(PooledConnection pc) {
        if (!pc.broken) {
            pc.retire = true;
        }
    }

    private static void restoreSettings(PooledConnection pc, Settings changed) throws java.sql.SQLException {
        if (changed.isolation()) {
            pc.connection.setTransactionIsolation(pc.ownIsolation);
        }
        if (changed.readOnly()) {
            pc.connection.setReadOnly(pc.ownReadOnly);
        }
    }

    private static Deadline deadline() {
        return Deadline.current().orElse(null);
    }

    private static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4; // centuries: never
        }
    }
}
