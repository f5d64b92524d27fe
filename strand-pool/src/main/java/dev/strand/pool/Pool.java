package dev.strand.pool;

import java.time.Duration;
import java.util.Objects;

/**
 * A pool of resources of any kind (connections, clients, buffers) lent to fibers and threads:
 *
 * <pre>{@code
 * Pool<Connection> pool = Pool.builder("db", dataSource::getConnection).maxSize(8).build();
 * try (var lease = pool.acquire()) {
 *     query(lease.get());
 * }
 * }</pre>
 *
 * <p><b>Waiting.</b> When no resource is idle, the caller parks (a fiber frees its carrier; a
 * platform thread blocks) in a queue served in arrival order: a returned resource goes straight to
 * the caller that has waited longest, and newcomers never overtake it. An acquire waits at most
 * its timeout or until the {@link dev.strand.reactor.Deadline} in force, whichever is earlier, and
 * then fails with a {@link PoolTimeoutException}; past {@link Builder#maxWaiters} waiting callers a
 * newcomer is refused at once ({@link PoolSaturatedException}).
 *
 * <p><b>Creation.</b> Resources are created on the pool's own fibers, never on a caller's, at most
 * {@link Builder#maxConcurrentCreations} at once, while callers wait or fewer than
 * {@link Builder#minIdle} are idle. A waiting caller takes whichever comes first, a returned
 * resource or a new one. A failed creation is logged and retried with back-off (10 ms doubling to
 * 1 s) while resources are still wanted; callers keep waiting until their time is up, and their
 * {@link PoolTimeoutException} then carries the latest failure as its cause.
 *
 * <p><b>Loop affinity.</b> A resource returned on an {@link dev.strand.reactor.EventLoop} (by a
 * fiber it carries) is remembered as that loop's; a caller on a loop takes an idle resource of its
 * own loop before any other, so that the resource's I/O wake-ups stay on the loop. When callers
 * wait, arrival order wins over affinity.
 *
 * <p><b>Upkeep.</b> One fiber per pool retires idle resources older than
 * {@link Builder#maxLifetime} (a leased one is retired when returned, never taken from its holder),
 * evicts those idle longer than {@link Builder#idleTimeout} beyond {@link Builder#minIdle}, and
 * reports leases held longer than {@link Builder#leakThreshold}. It wakes every quarter of the
 * shortest of those durations, at most every 30 s, and otherwise stays parked.
 *
 * <p>Thread-safe: every method may be called from any thread, except that {@link #acquire()} must
 * not be called on an event loop's own thread, which it could block.
 *
 * @param <R> the resource
 */
public interface Pool<R> extends AutoCloseable {

    /**
     * A builder for a pool named {@code name} (in log lines, exceptions and the names of its fibers)
     * whose resources {@code factory} makes.
     */
    static <R> Builder<R> builder(String name, ResourceFactory<R> factory) {
        return new Builder<>(name, factory);
    }

    /** The pool's name. Any thread. */
    String name();

    /**
     * Leases a resource, waiting up to the pool's {@link Builder#acquireTimeout}, or less if the
     * {@link dev.strand.reactor.Deadline} in force comes first. Any thread but an event loop's own.
     *
     * @throws PoolTimeoutException    when the time is up without a resource
     * @throws PoolSaturatedException  when no resource is idle and {@link Builder#maxWaiters} callers wait already
     * @throws PoolClosedException     when the pool is closed, or closes while the caller waits
     * @throws PoolException           when the caller is interrupted while it waits (its interrupt status is kept)
     * @throws IllegalStateException   when called on an event loop's own thread
     */
    Lease<R> acquire();

    /**
     * Leases a resource, waiting up to {@code timeout} instead of the pool's acquire timeout, or less
     * if the {@link dev.strand.reactor.Deadline} in force comes first. A zero timeout takes an idle
     * resource or fails at once. Otherwise as {@link #acquire()}.
     *
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    Lease<R> acquire(Duration timeout);

    /** A snapshot of the pool's gauges and counters; see {@link PoolMetrics}. Any thread. */
    PoolMetrics metrics();

    /**
     * Closes the pool: waiting callers fail with {@link PoolClosedException}, idle resources are
     * destroyed on the calling thread before this returns, and leased ones are destroyed when they
     * are returned; their holders may use them until then. Idempotent; any thread.
     */
    @Override
    void close();

    /**
     * Builds a {@link Pool}. Not thread-safe. Every setting is optional; each setter throws
     * {@link IllegalArgumentException} for a value out of its range.
     *
     * @param <R> the resource
     */
    final class Builder<R> {
        private final String name;
        private final ResourceFactory<R> factory;
        int maxSize = 10;
        int minIdle;
        int maxWaiters = Integer.MAX_VALUE;
        int maxConcurrentCreations = 2;
        Duration acquireTimeout = Duration.ofSeconds(30);
        Duration validateAfterIdle = Duration.ofSeconds(1);
        /** Null: not set. */
        Duration maxLifetime;
        Duration idleTimeout;
        Duration leakThreshold;

        private Builder(String name, ResourceFactory<R> factory) {
            this.name = Objects.requireNonNull(name, "name");
            this.factory = Objects.requireNonNull(factory, "factory");
        }

        /** The most resources that exist at once, lent or idle; default 10. */
        public Builder<R> maxSize(int maxSize) {
            this.maxSize = atLeast(1, maxSize, "maxSize");
            return this;
        }

        /**
         * How many idle resources the pool keeps ready, creating them in the background (from
         * {@link #build()} on) as long as it is below {@link #maxSize}; default 0.
         */
        public Builder<R> minIdle(int minIdle) {
            this.minIdle = atLeast(0, minIdle, "minIdle");
            return this;
        }

        /**
         * The most callers that wait at once; a caller beyond them is refused at once with
         * {@link PoolSaturatedException}. At least 1, since a caller also waits while a resource is
         * created for it. Default: no limit.
         */
        public Builder<R> maxWaiters(int maxWaiters) {
            this.maxWaiters = atLeast(1, maxWaiters, "maxWaiters");
            return this;
        }

        /** The most resources created at once; default 2. */
        public Builder<R> maxConcurrentCreations(int max) {
            this.maxConcurrentCreations = atLeast(1, max, "maxConcurrentCreations");
            return this;
        }

        /** How long {@link Pool#acquire()} waits at most; default 30 s. Zero: never wait. */
        public Builder<R> acquireTimeout(Duration timeout) {
            this.acquireTimeout = notNegative(timeout, "acquireTimeout");
            return this;
        }

        /**
         * An idle resource is {@linkplain ResourceFactory#validate validated} before it is lent again
         * when it has been idle at least this long; default 1 s. Zero: always.
         */
        public Builder<R> validateAfterIdle(Duration idle) {
            this.validateAfterIdle = notNegative(idle, "validateAfterIdle");
            return this;
        }

        /**
         * How long a resource lives at most, from its creation: older ones are destroyed when idle
         * or returned, never taken from a holder. Each resource's lifetime is shortened by up to
         * 2.5 % at random, so that resources created together do not all retire together. Default:
         * no limit.
         */
        public Builder<R> maxLifetime(Duration lifetime) {
            this.maxLifetime = positive(lifetime, "maxLifetime");
            return this;
        }

        /**
         * Idle resources beyond {@link #minIdle} are destroyed once idle this long. Default: never.
         */
        public Builder<R> idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        /**
         * A lease held longer than this is logged once, at WARNING, with the stack trace of the
         * acquire that took it. The stack is captured at every acquire only when this is set.
         * Default: off.
         */
        public Builder<R> leakThreshold(Duration threshold) {
            this.leakThreshold = positive(threshold, "leakThreshold");
            return this;
        }

        /**
         * Builds the pool and starts its upkeep fiber and, for {@link #minIdle}, its first
         * creations; returns without waiting for them.
         *
         * @throws IllegalArgumentException when {@link #minIdle} exceeds {@link #maxSize}
         */
        public Pool<R> build() {
            if (minIdle > maxSize) {
                throw new IllegalArgumentException("minIdle " + minIdle + " exceeds maxSize " + maxSize);
            }
            return new FairPool<>(name, factory, this);
        }

        private static int atLeast(int min, int value, String what) {
            if (value < min) {
                throw new IllegalArgumentException(what + " must be at least " + min + ": " + value);
            }
            return value;
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
