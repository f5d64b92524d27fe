package dev.strand.pool;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import dev.strand.reactor.Deadline;
import dev.strand.reactor.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link Pool}: one lock over the idle resources and an intrusive FIFO queue of parked waiters,
 * with direct hand-off from whoever frees or creates a resource to the oldest waiter.
 *
 * <p>The lock is never held while parking, creating, validating or destroying; under it the pool
 * only moves entries between lists, counts, unparks and starts fibers (none of which blocks).
 * Invariant: while anyone waits, nothing is idle, so newcomers cannot overtake waiters.
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

    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock:
    private final IdleResources<R> idle = new IdleResources<>();
    /** Every live resource, idle or lent; the upkeep fiber looks through it for leaks. */
    private final Set<Entry<R>> all = new HashSet<>();
    private Waiter<R> oldest;
    private Waiter<R> newest;
    private int waiting;
    private int inUse;
    private int creating;
    private long creations;
    private long creationFailures;
    private long destructions;
    private long timeouts;
    private long rejections;
    /** The latest creation failure since the last success; null when creating works. */
    private Throwable creationFailure;
    private int failuresInARow;
    /** Written under the lock; read without it by the upkeep fiber, to know when to stop. */
    private volatile boolean closed;

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
        lock.lock();
        try {
            startCreationsLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Lease<R> acquire() {
        return acquire(acquireTimeout, "the pool's acquire timeout of " + millis(acquireTimeout));
    }

    @Override
    public Lease<R> acquire(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        return acquire(nanos(timeout), "the timeout of " + millis(nanos(timeout)));
    }

    private Lease<R> acquire(long timeout, String timeoutName) {
        Thread self = Thread.currentThread();
        EventLoop loop = EventLoop.current().orElse(null);
        if (loop != null && !self.isVirtual()) {
            throw new IllegalStateException("pool '" + name + "': acquiring would block " + loop + "; acquire on a fiber");
        }
        long start = System.nanoTime();
        long limit = timeout;
        String limitName = timeoutName;
        Optional<Deadline> deadlineInForce = Deadline.current();
        if (deadlineInForce.isPresent()) {
            long left = deadlineInForce.get().remaining().toNanos();
            if (left < limit) {
                limit = left;
                limitName = "the deadline in force";
            }
        }
        long deadline = start + limit;
        Throwable from = detectLeaks ? new Throwable("lease of pool '" + name + "' taken here, by " + self) : null;
        while (true) {
            Entry<R> entry;
            Waiter<R> waiter = null;
            lock.lock();
            try {
                if (closed) {
                    throw new PoolClosedException(name);
                }
                entry = idle.take(loop);
                if (entry != null) {
                    inUse++;
                    lendLocked(entry, from);
                    if (minIdle > 0) {
                        startCreationsLocked(); // keep min idle ready
                    }
                } else if (deadline - System.nanoTime() <= 0) {
                    timeouts++;
                    throw timeoutLocked(start, waiting, limitName);
                } else if (waiting >= maxWaiters) {
                    rejections++;
                    throw new PoolSaturatedException(name, "pool '" + name + "': " + waiting
                            + " callers are waiting already, the most allowed; " + stateLocked());
                } else {
                    waiter = enqueueLocked(new Waiter<>(self, from, waiting));
                    startCreationsLocked();
                }
            } finally {
                lock.unlock();
            }
            if (waiter != null) {
                entry = await(waiter, start, deadline, limitName);
            } else if (!usable(entry)) {
                continue; // destroyed: take another, or wait, within the same time limit
            }
            waitTimes.record(System.nanoTime() - start);
            return new PooledLease<>(this, entry);
        }
    }

    /** Parks until a resource is handed over, the pool closes or the time is up. */
    private Entry<R> await(Waiter<R> waiter, long start, long deadline, String limitName) {
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
            lock.lock();
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
                    throw timeoutLocked(start, waiter.ahead, limitName);
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
     * Whether an entry just taken from the idle ones may be lent: not past its lifetime, and valid
     * if it has been idle long enough to need checking. If not, it is destroyed.
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
     * pool is closed; else hands it to the oldest waiter, or keeps it idle as its loop's.
     */
    void giveBack(Entry<R> entry, boolean destroy) {
        EventLoop loop = EventLoop.current().orElse(null);
        long now = System.nanoTime();
        lock.lock();
        try {
            entry.leasedFrom = null;
            if (destroy || closed || entry.expired(now)) {
                inUse--;
                retireLocked(entry);
                startCreationsLocked(); // a waiter may need a replacement
                return;
            }
            Waiter<R> waiter = oldest;
            if (waiter != null) {
                handLocked(entry, waiter); // still in use, now by the waiter
                return;
            }
            inUse--;
            entry.loop = loop;
            entry.idleSince = now;
            idle.push(entry);
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
                lock.lock();
                try {
                    creating--;
                } finally {
                    lock.unlock();
                }
                throw e;
            }
            int failedBefore;
            boolean more;
            lock.lock();
            try {
                failedBefore = failuresInARow;
                if (created != null) {
                    creations++;
                    creationFailure = null;
                    failuresInARow = 0;
                    if (closed) {
                        destructions++;
                        destroyLater(created);
                    } else {
                        all.add(created);
                        Waiter<R> waiter = oldest;
                        if (waiter != null) {
                            inUse++;
                            handLocked(created, waiter);
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
                more = !closed && wantedLocked() > creating - 1 && sizeLocked() + creating - 1 < maxSize;
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
    void keepHouse() {
        long now = System.nanoTime();
        List<String> leaks = new ArrayList<>();
        List<Throwable> leakOrigins = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            idle.removeIf(entry -> {
                boolean retire = entry.expired(now) || now - entry.idleSince >= idleTimeout && idle.size() > minIdle;
                if (retire) {
                    retireLocked(entry);
                }
                return retire;
            });
            if (detectLeaks) {
                for (Entry<R> entry : all) {
                    if (entry.leasedFrom != null && !entry.leakReported && now - entry.leasedAt >= leakThreshold) {
                        entry.leakReported = true;
                        leaks.add("pool '" + name + "': a lease has been held for " + millis(now - entry.leasedAt)
                                + ", longer than the leak threshold of " + millis(leakThreshold)
                                + "; it was taken at the trace that follows");
                        leakOrigins.add(entry.leasedFrom);
                    }
                }
            }
            idle.forgetStoppedLoops();
            startCreationsLocked();
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < leaks.size(); i++) {
            LOG.log(WARNING, leaks.get(i), leakOrigins.get(i));
        }
    }

    @Override
    public PoolMetrics metrics() {
        WaitTimes waits = waitTimes.snapshot();
        lock.lock();
        try {
            return new PoolMetrics(sizeLocked(), inUse, idle.size(), waiting, creating, creations, creationFailures,
                    destructions, timeouts, rejections, waits);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        List<Entry<R>> idleOnes;
        lock.lock();
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
            waiting = 0;
            idleOnes = idle.drain();
            idleOnes.forEach(all::remove);
            destructions += idleOnes.size();
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(housekeeper);
        idleOnes.forEach(this::destroy);
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "pool '" + name + "' (" + stateLocked() + ")";
        } finally {
            lock.unlock();
        }
    }

    // ---- under the lock ----

    private int sizeLocked() {
        return idle.size() + inUse;
    }

    /** Resources wanted beyond those that exist: one per waiter, plus the idle ones short of min idle. */
    private int wantedLocked() {
        return waiting + Math.max(0, minIdle - idle.size());
    }

    /** Starts creator fibers for what is wanted and not on its way, within the limits. */
    private void startCreationsLocked() {
        if (closed) {
            return;
        }
        int wanted = wantedLocked();
        while (creating < wanted && creating < maxCreations && sizeLocked() + creating < maxSize) {
            creating++;
            creatorFibers.newThread(this::create).start();
        }
    }

    private void lendLocked(Entry<R> entry, Throwable from) {
        if (from != null) {
            entry.leasedAt = System.nanoTime();
            entry.leasedFrom = from;
            entry.leakReported = false;
        }
    }

    /** Gives {@code entry}, already counted in use, to {@code waiter}, the oldest, and wakes it. */
    private void handLocked(Entry<R> entry, Waiter<R> waiter) {
        unlinkLocked(waiter);
        lendLocked(entry, waiter.from);
        waiter.handed = entry;
        LockSupport.unpark(waiter.thread);
    }

    /** Drops an entry no longer idle or lent, and destroys it on a fiber of its own. */
    private void retireLocked(Entry<R> entry) {
        all.remove(entry);
        destructions++;
        destroyLater(entry);
    }

    private void destroyLater(Entry<R> entry) {
        destroyerFibers.newThread(() -> destroy(entry)).start();
    }

    private Waiter<R> enqueueLocked(Waiter<R> waiter) {
        if (newest == null) {
            oldest = newest = waiter;
        } else {
            waiter.older = newest;
            newest.newer = waiter;
            newest = waiter;
        }
        waiting++;
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
        waiting--;
    }

    private PoolTimeoutException timeoutLocked(long start, int ahead, String limitName) {
        long waited = System.nanoTime() - start;
        String message = "pool '" + name + "': no resource within " + limitName + "; waited " + millis(waited)
                + " with " + ahead + " callers ahead on arrival; " + stateLocked()
                + (creationFailure == null ? "" : "; creating resources fails: " + creationFailure);
        return new PoolTimeoutException(name, message, creationFailure, Duration.ofNanos(waited), ahead);
    }

    private String stateLocked() {
        return inUse + " of max " + maxSize + " in use, " + idle.size() + " idle, " + creating + " being created, "
                + waiting + " waiting";
    }

    // ---- no lock ----

    private void destroy(Entry<R> entry) {
        try {
            factory.destroy(entry.resource);
        } catch (Exception e) {
            LOG.log(WARNING, "pool '" + name + "': destroying a resource failed", e);
        }
    }

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

    /** A parked caller, linked into the queue of waiters. */
    private static final class Waiter<R> {
        final Thread thread;
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

        Waiter(Thread thread, Throwable from, int ahead) {
            this.thread = thread;
            this.from = from;
            this.ahead = ahead;
        }
    }
}
