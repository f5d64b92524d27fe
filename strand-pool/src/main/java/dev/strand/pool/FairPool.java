package dev.strand.pool;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import dev.strand.reactor.Deadline;
import dev.strand.reactor.EventLoop;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link Pool}. While nobody waits, taking and returning a resource needs no lock: the idle
 * resources are lock-free stacks ({@link IdleResources}). Once anyone waits, a lock orders the
 * rest: waiters park in an intrusive FIFO queue, and whoever frees or creates a resource hands it
 * straight to the oldest of them.
 *
 * <p>Why lock-free there: with thousands of fibers on a few carriers, a fiber that finds a lock
 * taken parks and queues behind every other runnable fiber before it runs again, holding its
 * resource all the while; that, not the resources, set the tail of the wait times.
 *
 * <p>No newcomer overtakes a waiter: a caller takes an idle resource directly only when nobody
 * waits, and a resource returned while someone waits is handed over. The two races in between
 * (a return that sees no waiter as a caller begins to wait, and a wait that sees no idle resource
 * as one is returned) are closed by each side checking the other after its own step: the returner
 * pushes, then looks for waiters; the waiter enqueues, then looks for idle resources; whichever
 * sees the other hands the resource over under the lock.
 *
 * <p>The lock is never held while parking, creating, validating or destroying; under it the pool
 * only moves entries, counts, unparks and starts fibers, none of which blocks.
 */
final class FairPool<R> implements Pool<R> {

    private static final System.Logger LOG = System.getLogger(Pool.class.getName());
    private static final long BACKOFF_MIN = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long BACKOFF_MAX = TimeUnit.SECONDS.toNanos(1);
    /** Durations are cut to this (about 73 years), so that deadline arithmetic cannot overflow. */
    private static final long NEVER = Long.MAX_VALUE / 4;

    private final String name;
    private final ResourceFactory<R> factory;
    private final int maxSize;
    private final int minIdle;
    private final int maxWaiters;
    private final int maxCreations;
    private final long acquireTimeout;
    private final long validateAfterIdle;
    private final long maxLifetime;
    private final long idleTimeout;
    private final long leakThreshold;
    private final boolean detectLeaks;
    private final ThreadFactory creatorFibers;
    private final ThreadFactory destroyerFibers;
    private final Thread housekeeper;
    private final WaitTimes.Recorder waitTimes = new WaitTimes.Recorder();

    // Without the lock:
    private final IdleResources<R> idle = new IdleResources<>();
    /** Every live resource, idle or lent; the upkeep fiber looks through it for leaks. */
    private final Set<Entry<R>> all = ConcurrentHashMap.newKeySet();
    private final AtomicInteger size = new AtomicInteger();
    /** Waiters in the queue; changed under the lock, read without it to know whether anyone waits. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongAdder destructions = new LongAdder();
    /** Written under the lock; read without it. */
    private volatile boolean closed;
    private volatile int creating;

    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock:
    private Waiter<R> oldest;
    private Waiter<R> newest;
    private long creations;
    private long creationFailures;
    private long timeouts;
    private long rejections;
    /** The latest creation failure since the last success; null when creating works. */
    private Throwable creationFailure;
    private int failuresInARow;

    FairPool(String name, ResourceFactory<R> factory, Builder<R> settings) {
        this.name = name;
        this.factory = factory;
        this.maxSize = settings.maxSize;
        this.minIdle = settings.minIdle;
        this.maxWaiters = settings.maxWaiters;
        this.maxCreations = settings.maxConcurrentCreations;
        this.acquireTimeout = nanos(settings.acquireTimeout);
        this.validateAfterIdle = nanos(settings.validateAfterIdle);
        this.maxLifetime = settings.maxLifetime == null ? NEVER : nanos(settings.maxLifetime);
        this.idleTimeout = settings.idleTimeout == null ? NEVER : nanos(settings.idleTimeout);
        this.detectLeaks = settings.leakThreshold != null;
        this.leakThreshold = detectLeaks ? nanos(settings.leakThreshold) : NEVER;
        this.creatorFibers = Thread.ofVirtual().name(name + "-create-", 1).factory();
        this.destroyerFibers = Thread.ofVirtual().name(name + "-destroy-", 1).factory();
        long period = Math.clamp(Math.min(maxLifetime, Math.min(idleTimeout, leakThreshold)) / 4,
                TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(30));
        this.housekeeper = Thread.ofVirtual().name(name + "-upkeep").unstarted(() -> upkeep(period));
        housekeeper.start();
        startCreations();
    }

    /**
     * Takes the lock. An event-loop thread (a lease given back from an async callback on a loop)
     * never queues on it: queued behind a fiber that it carries itself, it would wait for work only
     * it can run. It spins on {@code tryLock} instead, which does not queue; holders never park
     * under the lock, so it waits for a running thread, briefly.
     */
    private void lock() {
        if (lock.tryLock()) {
            return;
        }
        if (!Thread.currentThread().isVirtual() && EventLoop.current().isPresent()) {
            while (!lock.tryLock()) {
                Thread.onSpinWait();
            }
            return;
        }
        lock.lock();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Lease<R> acquire() {
        return acquire(acquireTimeout, Limit.POOL_TIMEOUT);
    }

    @Override
    public Lease<R> acquire(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        return acquire(nanos(timeout), Limit.GIVEN_TIMEOUT);
    }

    private Lease<R> acquire(long timeout, Limit timeoutLimit) {
        Thread self = Thread.currentThread();
        EventLoop loop = EventLoop.current().orElse(null);
        if (loop != null && !self.isVirtual()) {
            throw new IllegalStateException("pool '" + name + "': acquiring would block " + loop + "; acquire on a fiber");
        }
        long start = System.nanoTime();
        long wait = timeout;
        Limit limit = timeoutLimit;
        Optional<Deadline> deadlineInForce = Deadline.current();
        if (deadlineInForce.isPresent()) {
            long left = deadlineInForce.get().remaining().toNanos();
            if (left < wait) {
                wait = left;
                limit = Limit.DEADLINE;
            }
        }
        long deadline = start + wait;
        Throwable from = detectLeaks ? new Throwable("lease of pool '" + name + "' taken here, by " + self) : null;
        while (true) {
            if (closed) {
                throw new PoolClosedException(name);
            }
            // Nobody waits, so nobody is overtaken: take an idle one without the lock.
            Entry<R> entry = waiting.get() == 0 ? idle.poll(loop) : null;
            if (entry != null) {
                lend(entry, from);
                if (minIdle > 0 && idle.size() < minIdle && size.get() + creating < maxSize) {
                    startCreations();
                }
            } else {
                entry = acquireInLine(self, loop, from, start, deadline, limit, timeout);
            }
            if (usable(entry)) {
                waitTimes.record(System.nanoTime() - start);
                return new PooledLease<>(this, entry);
            }
            // Destroyed: take another, or wait, within the same time limit.
        }
    }

    /** Under the lock: an idle one if nobody waits, else a place in the queue and the wait. */
    private Entry<R> acquireInLine(Thread self, EventLoop loop, Throwable from, long start, long deadline, Limit limit, long timeout) {
        Waiter<R> waiter;
        lock();
        try {
            if (closed) {
                throw new PoolClosedException(name);
            }
            if (oldest == null) {
                Entry<R> entry = idle.poll(loop);
                if (entry != null) {
                    lend(entry, from);
                    return entry;
                }
            }
            if (deadline - System.nanoTime() <= 0) {
                timeouts++;
                throw timeoutLocked(start, waiting.get(), limit, timeout);
            }
            if (waiting.get() >= maxWaiters) {
                rejections++;
                throw new PoolSaturatedException(name, "pool '" + name + "': " + waiting.get()
                        + " callers are waiting already, the most allowed; " + stateLocked());
            }
            waiter = enqueueLocked(new Waiter<>(self, loop, from, waiting.get()));
            // A resource returned just before the queue had anyone in it went to the idle ones.
            handIdleToWaitersLocked();
            startCreationsLocked();
        } finally {
            lock.unlock();
        }
        return await(waiter, start, deadline, limit, timeout);
    }

    /** Parks until a resource is handed over, the pool closes or the time is up. */
    private Entry<R> await(Waiter<R> waiter, long start, long deadline, Limit limit, long timeout) {
        boolean interrupted = false;
        while (waiter.handed == null && !waiter.closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                interrupted = true;
                break;
            }
        }
        if (waiter.handed == null && !waiter.closed) {
            lock();
            try {
                // Still nothing under the lock: nobody can hand it a resource any more once unlinked.
                if (waiter.handed == null && !waiter.closed) {
                    unlinkLocked(waiter);
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                        throw new PoolException(name, "pool '" + name + "': interrupted after waiting "
                                + millis(System.nanoTime() - start) + " for a resource", new InterruptedException());
                    }
                    timeouts++;
                    throw timeoutLocked(start, waiter.ahead, limit, timeout);
                }
            } finally {
                lock.unlock();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt(); // it got a resource anyway; the interrupt is the caller's
        }
        if (waiter.handed == null) {
            throw new PoolClosedException(name);
        }
        return waiter.handed;
    }

    /**
     * Whether an entry just taken may be lent: not past its lifetime, and valid if it has been idle
     * long enough to need checking. If not, it is destroyed.
     */
    private boolean usable(Entry<R> entry) {
        long now = System.nanoTime();
        boolean usable;
        if (entry.expired(now)) {
            usable = false;
        } else if (now - entry.idleSince < validateAfterIdle) {
            usable = true;
        } else {
            try {
                usable = factory.validate(entry.resource);
            } catch (Exception e) {
                LOG.log(DEBUG, () -> "pool '" + name + "': validating a resource failed", e);
                usable = false;
            } catch (Error e) {
                giveBack(entry, true);
                throw e;
            }
            if (!usable) {
                LOG.log(DEBUG, () -> "pool '" + name + "': an idle resource failed validation; destroying it");
            }
        }
        if (!usable) {
            giveBack(entry, true);
        }
        return usable;
    }

    /**
     * Takes back a lent entry: destroys it when asked to, when it has outlived its lifetime or the
     * pool is closed; else hands it to the oldest waiter, or makes it idle as its loop's.
     */
    void giveBack(Entry<R> entry, boolean destroy) {
        if (detectLeaks) {
            entry.lease = null;
        }
        long now = System.nanoTime();
        if (destroy || closed || entry.expired(now)) {
            retire(entry);
            if (waiting.get() > 0 || minIdle > 0) {
                startCreations(); // a replacement may be wanted
            }
            return;
        }
        entry.loop = EventLoop.current().orElse(null);
        entry.idleSince = now;
        if (waiting.get() > 0 && handOver(entry)) {
            return;
        }
        idle.push(entry);
        // Then look again: a caller may have begun to wait, or the pool closed, just before the push.
        if (waiting.get() > 0 || closed) {
            lock();
            try {
                handIdleToWaitersLocked();
            } finally {
                lock.unlock();
            }
            if (closed) {
                idle.drain().forEach(this::retire);
            }
        }
    }

    /** Hands {@code entry} to the oldest waiter; false when there is none any more. */
    private boolean handOver(Entry<R> entry) {
        lock();
        try {
            if (oldest == null) {
                return false;
            }
            handLocked(entry, oldest);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Runs on a creator fiber: creates while resources are wanted, backing off after failures. */
    private void create() {
        long backoff = BACKOFF_MIN;
        while (true) {
            Entry<R> created = null;
            Exception failure = null;
            try {
                R resource = Objects.requireNonNull(factory.create(), "the factory created null");
                created = newEntry(resource);
            } catch (Exception e) {
                failure = e;
            } catch (Error e) {
                lock();
                try {
                    creating--;
                } finally {
                    lock.unlock();
                }
                throw e;
            }
            int failedBefore;
            boolean more;
            lock();
            try {
                failedBefore = failuresInARow;
                if (created != null) {
                    creations++;
                    creationFailure = null;
                    failuresInARow = 0;
                    if (closed) {
                        destructions.increment();
                        destroyLater(created);
                    } else {
                        size.incrementAndGet();
                        all.add(created);
                        if (oldest != null) {
                            handLocked(created, oldest);
                        } else {
                            idle.push(created);
                        }
                    }
                } else {
                    creationFailures++;
                    creationFailure = failure;
                    failuresInARow++;
                }
                // Carry on while more are wanted than the other creators will bring.
                more = !closed && wantedLocked() > creating - 1 && size.get() + creating - 1 < maxSize;
                if (!more) {
                    creating--;
                }
            } finally {
                lock.unlock();
            }
            if (failure != null) {
                // The first failure of a run is news; the rest of the run would only repeat it.
                LOG.log(failedBefore == 0 ? WARNING : DEBUG, "pool '" + name + "': creating a resource failed"
                        + (more ? "; retrying in " + millis(backoff) : ""), failure);
            } else if (failedBefore > 0) {
                LOG.log(INFO, "pool '" + name + "': creating resources works again, after " + failedBefore + " failures");
            }
            if (!more) {
                return;
            }
            if (failure != null) {
                LockSupport.parkNanos(this, backoff);
                backoff = Math.min(BACKOFF_MAX, backoff * 2);
            } else {
                backoff = BACKOFF_MIN;
            }
        }
    }

    private Entry<R> newEntry(R resource) {
        long now = System.nanoTime();
        long lifetime = maxLifetime == NEVER ? NEVER : maxLifetime - ThreadLocalRandom.current().nextLong(maxLifetime / 40 + 1);
        return new Entry<>(resource, now, now + lifetime);
    }

    /** Runs on the upkeep fiber until the pool closes. */
    private void upkeep(long period) {
        while (!closed) {
            LockSupport.parkNanos(this, period);
            if (closed) {
                return;
            }
            try {
                keepHouse();
            } catch (RuntimeException e) {
                LOG.log(ERROR, "pool '" + name + "': upkeep failed", e);
            }
        }
    }

    /** Retires expired and surplus idle resources, reports leaks, and tops up the idle ones. */
    private void keepHouse() {
        long now = System.nanoTime();
        idle.retireIf(entry -> entry.expired(now) || now - entry.idleSince >= idleTimeout && idle.size() > minIdle,
                this::retire);
        if (detectLeaks) {
            for (Entry<R> entry : all) {
                Entry.LeaseOrigin lease = entry.lease;
                if (lease != null && !lease.reported && now - lease.at >= leakThreshold) {
                    lease.reported = true;
                    LOG.log(WARNING, "pool '" + name + "': a lease has been held for " + millis(now - lease.at)
                            + ", longer than the leak threshold of " + millis(leakThreshold)
                            + "; it was taken at the trace that follows", lease.from);
                }
            }
        }
        idle.forgetStoppedLoops();
        startCreations();
    }

    @Override
    public PoolMetrics metrics() {
        WaitTimes waits = waitTimes.snapshot();
        lock();
        try {
            int live = size.get();
            int idleNow = Math.min(live, idle.size());
            return new PoolMetrics(live, live - idleNow, idleNow, waiting.get(), creating, creations, creationFailures,
                    destructions.sum(), timeouts, rejections, waits);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Waiter<R> waiter = oldest; waiter != null; waiter = waiter.newer) {
                waiter.closed = true;
                LockSupport.unpark(waiter.thread);
            }
            oldest = newest = null;
            waiting.set(0);
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(housekeeper);
        // A resource returned while this runs either sees the pool closed or is drained here.
        for (Entry<R> entry : idle.drain()) {
            forget(entry);
            destroy(entry);
        }
    }

    @Override
    public String toString() {
        lock();
        try {
            return "pool '" + name + "' (" + stateLocked() + ")";
        } finally {
            lock.unlock();
        }
    }

    // ---- the lent entries ----

    private void lend(Entry<R> entry, Throwable from) {
        if (from != null) {
            entry.lease = new Entry.LeaseOrigin(System.nanoTime(), from);
        }
    }

    /** Gives up an entry no idle stack holds, and destroys it on a fiber of its own. */
    private void retire(Entry<R> entry) {
        forget(entry);
        destroyLater(entry);
    }

    private void forget(Entry<R> entry) {
        entry.markRetired();
        if (all.remove(entry)) {
            size.decrementAndGet();
        }
        destructions.increment();
    }

    private void destroyLater(Entry<R> entry) {
        destroyerFibers.newThread(() -> destroy(entry)).start();
    }

    private void destroy(Entry<R> entry) {
        try {
            factory.destroy(entry.resource);
        } catch (Exception e) {
            LOG.log(WARNING, "pool '" + name + "': destroying a resource failed", e);
        }
    }

    // ---- under the lock ----

    /** Resources wanted beyond those that exist: one per waiter, plus the idle ones short of min idle. */
    private int wantedLocked() {
        return waiting.get() + Math.max(0, minIdle - idle.size());
    }

    private void startCreations() {
        lock();
        try {
            startCreationsLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Starts creator fibers for what is wanted and not on its way, within the limits. */
    private void startCreationsLocked() {
        if (closed) {
            return;
        }
        int wanted = wantedLocked();
        while (creating < wanted && creating < maxCreations && size.get() + creating < maxSize) {
            creating++;
            creatorFibers.newThread(this::create).start();
        }
    }

    /** Hands idle resources to the waiters, oldest first, while there are both. */
    private void handIdleToWaitersLocked() {
        Entry<R> entry;
        while (oldest != null && (entry = idle.poll(oldest.loop)) != null) {
            handLocked(entry, oldest);
        }
    }

    /** Gives {@code entry}, owned by the caller, to {@code waiter}, the oldest, and wakes it. */
    private void handLocked(Entry<R> entry, Waiter<R> waiter) {
        unlinkLocked(waiter);
        lend(entry, waiter.from);
        waiter.handed = entry;
        LockSupport.unpark(waiter.thread);
    }

    private Waiter<R> enqueueLocked(Waiter<R> waiter) {
        if (newest == null) {
            oldest = newest = waiter;
        } else {
            waiter.older = newest;
            newest.newer = waiter;
            newest = waiter;
        }
        waiting.incrementAndGet();
        return waiter;
    }

    private void unlinkLocked(Waiter<R> waiter) {
        if (waiter.older == null) {
            oldest = waiter.newer;
        } else {
            waiter.older.newer = waiter.newer;
        }
        if (waiter.newer == null) {
            newest = waiter.older;
        } else {
            waiter.newer.older = waiter.older;
        }
        waiter.older = waiter.newer = null;
        waiting.decrementAndGet();
    }

    private PoolTimeoutException timeoutLocked(long start, int ahead, Limit limit, long timeout) {
        long waited = System.nanoTime() - start;
        String message = "pool '" + name + "': no resource within " + limit.describe(timeout) + "; waited " + millis(waited)
                + " with " + ahead + " callers ahead on arrival; " + stateLocked()
                + (creationFailure == null ? "" : "; creating resources fails: " + creationFailure);
        return new PoolTimeoutException(name, message, creationFailure, Duration.ofNanos(waited), ahead);
    }

    private String stateLocked() {
        int live = size.get();
        int idleNow = Math.min(live, idle.size());
        return (live - idleNow) + " of max " + maxSize + " in use, " + idleNow + " idle, " + creating + " being created, "
                + waiting.get() + " waiting";
    }

    // ---- helpers ----

    private static long nanos(Duration duration) {
        try {
            return Math.min(NEVER, duration.toNanos());
        } catch (ArithmeticException e) {
            return NEVER;
        }
    }

    private static String millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
    }

    /** What ended a wait, for the timeout's message. */
    private enum Limit {
        POOL_TIMEOUT, GIVEN_TIMEOUT, DEADLINE;

        String describe(long timeout) {
            return switch (this) {
                case POOL_TIMEOUT -> "the pool's acquire timeout of " + millis(timeout);
                case GIVEN_TIMEOUT -> "the timeout of " + millis(timeout);
                case DEADLINE -> "the deadline in force";
            };
        }
    }

    /** A parked caller, linked into the queue of waiters. */
    private static final class Waiter<R> {
        final Thread thread;
        /** The loop it waits on, if any: an idle resource handed to it is taken from that loop's first. */
        final EventLoop loop;
        /** Where its acquire was called, when leak detection is on; else null. */
        final Throwable from;
        /** How many waited when it arrived. */
        final int ahead;
        // Guarded by the lock:
        Waiter<R> older;
        Waiter<R> newer;
        // Set under the lock before the waiter is unparked; read by it without the lock.
        volatile Entry<R> handed;
        volatile boolean closed;

        Waiter(Thread thread, EventLoop loop, Throwable from, int ahead) {
            this.thread = thread;
            this.loop = loop;
            this.from = from;
            this.ahead = ahead;
        }
    }
}
