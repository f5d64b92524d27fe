package dev.strand.admission;

import dev.strand.reactor.Deadline;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The machinery every limit shares: in-flight count, the two queues (critical work, the rest),
 * timeouts, QoS scaling and the figures. A subclass only says what its figure is
 * ({@link #permits()}) and learns from each sample ({@link #sample}); both are called under the lock.
 *
 * <p>One lock guards it all, held for a few field updates at a time: futures are completed and
 * timeouts scheduled after it is released, so no callback runs and nothing parks under it.
 *
 * <p>Why a spin lock rather than a {@code ReentrantLock}: the lock is taken by event-loop threads
 * (admission at a request's head) and by the fibers those loops carry (permits given back). A loop
 * thread queued on a parking lock behind a fiber that it carries itself waits for a fiber that only
 * it can run: a deadlock. A holder here never parks, so a waiter only ever waits for a thread that
 * is running, for the few hundred nanoseconds of a critical section.
 */
abstract sealed class QueuedLimit implements Limit permits FixedLimit, AimdLimit, GradientLimit {

    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final String name;
    private final int queueLength;
    private final long queueTimeoutNanos;
    private final boolean lifo;
    private final Duration retryAfter;
    private final Optional<QosSwitch> qos;
    final LongSupplier clock;

    private final SpinLock lock = new SpinLock();
    private final WaitQueue critical = new WaitQueue();
    private final WaitQueue others = new WaitQueue();
    private int inFlight;
    private long admitted;
    private long rejected;
    private long timedOut;
    private long expired;
    private long dropped;

    QueuedLimit(LimitBuilder<?, ?> b) {
        this.name = b.name;
        this.queueLength = b.queueLength;
        this.queueTimeoutNanos = b.queueTimeout.toNanos();
        this.lifo = b.lifo;
        this.retryAfter = b.retryAfter;
        this.qos = b.qos;
        this.clock = b.clock;
        qos.ifPresent(s -> s.register(this));
    }

    /** The algorithm's figure now, before the QoS level scales it. Under the lock. */
    abstract int permits();

    /**
     * A permit came back after {@code rttNanos}: learn from it. {@code inFlightAtStart} is how many
     * permits were out, this one included, when it was granted; {@code dropped} says the work timed
     * out or missed its deadline. Under the lock.
     */
    abstract void sample(long rttNanos, int inFlightAtStart, boolean dropped, long now);

    @Override
    public final String name() {
        return name;
    }

    private QosLevel level() {
        return qos.isPresent() ? qos.get().level() : QosLevel.NORMAL;
    }

    @Override
    public final Optional<Permit> tryAcquire() {
        lock.lock();
        try {
            if (others.size + critical.size == 0 && inFlight < level().scale(permits())) {
                return Optional.of(grant());
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final Permit acquire(QosClass qos) {
        long since = System.nanoTime();
        CompletableFuture<Permit> future = acquireAsync(qos);
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AdmissionException rejection) {
                throw rejection;
            }
            throw new IllegalStateException("limit " + name + ": acquire failed", e.getCause());
        } catch (InterruptedException e) {
            if (!future.cancel(false) && future.state() == Future.State.SUCCESS) {
                future.resultNow().ignore(); // granted in the same instant: give it back
            }
            Thread.currentThread().interrupt();
            throw new AdmissionException(name, AdmissionException.Reason.CANCELLED,
                    "interrupted while waiting for a permit", retryAfter, Duration.ofNanos(System.nanoTime() - since));
        }
    }

    @Override
    public final CompletableFuture<Permit> acquireAsync(QosClass qos) {
        Objects.requireNonNull(qos, "qos");
        long deadline = NO_DEADLINE;
        Optional<Deadline> bound = Deadline.current();
        long now = System.nanoTime();
        if (bound.isPresent()) {
            deadline = now + bound.get().remaining().toNanos();
        }
        Waiter waiter;
        lock.lock();
        try {
            QosLevel level = level();
            int ahead = qos == QosClass.CRITICAL ? critical.size : critical.size + others.size;
            if (ahead == 0 && inFlight < level.scale(permits())) {
                return CompletableFuture.completedFuture(grant());
            }
            if (deadline != NO_DEADLINE && deadline - now <= 0) {
                expired++;
                return CompletableFuture.failedFuture(rejection(AdmissionException.Reason.DEADLINE,
                        "the deadline passed before the work could start", 0));
            }
            int queued = critical.size + others.size;
            if (qos == QosClass.SHEDDABLE && (level != QosLevel.NORMAL || queued * 2 >= queueLength)) {
                rejected++;
                return CompletableFuture.failedFuture(rejection(AdmissionException.Reason.SHED,
                        "sheddable work shed (QoS level " + level + ", " + queued + " queued)", 0));
            }
            if (queued >= queueLength) {
                rejected++;
                return CompletableFuture.failedFuture(rejection(AdmissionException.Reason.QUEUE_FULL,
                        queueLength == 0 ? "all " + inFlight + " permits in use and no queue"
                                : "queue full (" + queueLength + " waiting, " + inFlight + " in flight)", 0));
            }
            waiter = new Waiter(qos, now, deadline);
            (qos == QosClass.CRITICAL ? critical : others).addLast(waiter);
        } finally {
            lock.unlock();
        }
        arm(waiter, now);
        waiter.future.whenComplete((permit, error) -> {
            if (error instanceof CancellationException) {
                cancelled(waiter);
            }
        });
        return waiter.future;
    }

    /**
     * Schedules the end of {@code waiter}'s wait: its queue timeout or its deadline. Not under the
     * lock. A waiter that leaves the queue earlier leaves its timeout behind, which then finds it
     * gone and does nothing: cheaper than cancelling, and nothing to lock; the waiter stays reachable
     * until then (at most the queue timeout).
     */
    private void arm(Waiter waiter, long now) {
        long at = now + queueTimeoutNanos;
        if (waiter.deadline != NO_DEADLINE && waiter.deadline - at < 0) {
            at = waiter.deadline;
        }
        Timeouts.at(at, () -> timedOut(waiter));
    }

    private void timedOut(Waiter waiter) {
        long now = System.nanoTime();
        lock.lock();
        try {
            if (!waiter.waiting()) {
                return;
            }
            if (waiter.deadline != NO_DEADLINE && waiter.deadline - now <= 0) {
                expired++;
                waiter.rejection = rejection(AdmissionException.Reason.DEADLINE,
                        "the deadline passed while the work waited in the queue", now - waiter.since);
            } else if (level() == QosLevel.PAUSED) {
                waiter.rejection = null; // while paused, waiting work is not turned away for waiting
            } else {
                timedOut++;
                waiter.rejection = rejection(AdmissionException.Reason.QUEUE_TIMEOUT,
                        "no permit within the queue timeout", now - waiter.since);
            }
            if (waiter.rejection != null) {
                unlink(waiter);
            }
        } finally {
            lock.unlock();
        }
        if (waiter.rejection == null) {
            arm(waiter, now);
        } else {
            waiter.future.completeExceptionally(waiter.rejection);
        }
    }

    private void cancelled(Waiter waiter) {
        lock.lock();
        try {
            if (waiter.waiting()) {
                unlink(waiter);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code waiter} out of its queue. Under the lock. */
    private void unlink(Waiter waiter) {
        (waiter.qos == QosClass.CRITICAL ? critical : others).remove(waiter);
    }

    /** A permit, counted. Under the lock. */
    private Grant grant() {
        inFlight++;
        admitted++;
        return new Grant(this, clock.getAsLong(), inFlight);
    }

    private AdmissionException rejection(AdmissionException.Reason reason, String message, long waitedNanos) {
        return new AdmissionException(name, reason, message, retryAfter, Duration.ofNanos(waitedNanos));
    }

    /** Gives back {@code grant}; {@code outcome}: 0 done, 1 dropped, 2 ignored. */
    private void release(Grant grant, int outcome) {
        long now = outcome == Grant.IGNORED ? 0 : clock.getAsLong();
        List<Waiter> woken;
        lock.lock();
        try {
            inFlight--;
            if (outcome == Grant.DROPPED) {
                dropped++;
            }
            if (outcome != Grant.IGNORED) {
                sample(now - grant.start, grant.inFlightAtStart, outcome == Grant.DROPPED, now);
            }
            woken = drain();
        } finally {
            lock.unlock();
        }
        complete(woken);
    }

    /** The level changed: start what it now allows. */
    final void levelChanged() {
        List<Waiter> woken;
        lock.lock();
        try {
            woken = drain();
        } finally {
            lock.unlock();
        }
        complete(woken);
    }

    /**
     * Takes waiters off the queues while permits are free: each gets a permit, or a rejection when
     * its deadline passed while it waited (expired work is never started). Under the lock; the
     * futures are completed after it, by {@link #complete}.
     */
    private List<Waiter> drain() {
        if (critical.size + others.size == 0) {
            return List.of();
        }
        List<Waiter> woken = null;
        int allowed = level().scale(permits());
        long now = System.nanoTime();
        while (inFlight < allowed) {
            Waiter waiter = critical.size > 0 ? critical.head : others.size == 0 ? null : lifo ? others.tail : others.head;
            if (waiter == null) {
                break;
            }
            unlink(waiter);
            if (waiter.deadline != NO_DEADLINE && waiter.deadline - now <= 0) {
                expired++;
                waiter.rejection = rejection(AdmissionException.Reason.DEADLINE,
                        "the deadline passed while the work waited in the queue", now - waiter.since);
            } else {
                waiter.granted = grant();
            }
            if (woken == null) {
                woken = new ArrayList<>(2);
            }
            woken.add(waiter);
        }
        return woken == null ? List.of() : woken;
    }

    private static void complete(List<Waiter> woken) {
        for (int i = 0; i < woken.size(); i++) {
            Waiter waiter = woken.get(i);
            if (waiter.granted != null) {
                if (!waiter.future.complete(waiter.granted)) {
                    waiter.granted.ignore(); // cancelled in the same instant
                }
            } else {
                waiter.future.completeExceptionally(waiter.rejection);
            }
        }
    }

    @Override
    public final LimitStats stats() {
        lock.lock();
        try {
            QosLevel level = level();
            return new LimitStats(name, level, level.scale(permits()), inFlight, critical.size + others.size,
                    admitted, rejected, timedOut, expired, dropped);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        LimitStats s = stats();
        return getClass().getSimpleName() + "[" + name + ", " + s.inFlight() + "/" + s.limit() + " in flight, "
                + s.queued() + " queued, " + s.level() + "]";
    }

    /** A permit of this limit. */
    static final class Grant implements Permit {
        static final int DONE = 0;
        static final int DROPPED = 1;
        static final int IGNORED = 2;
        private static final VarHandle RETURNED;

        static {
            try {
                RETURNED = MethodHandles.lookup().findVarHandle(Grant.class, "returned", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final QueuedLimit limit;
        final long start;
        final int inFlightAtStart;
        @SuppressWarnings("unused") // through RETURNED
        private volatile boolean returned;

        Grant(QueuedLimit limit, long start, int inFlightAtStart) {
            this.limit = limit;
            this.start = start;
            this.inFlightAtStart = inFlightAtStart;
        }

        @Override
        public void close() {
            giveBack(DONE);
        }

        @Override
        public void dropped() {
            giveBack(DROPPED);
        }

        @Override
        public void ignore() {
            giveBack(IGNORED);
        }

        private void giveBack(int outcome) {
            if (RETURNED.compareAndSet(this, false, true)) {
                limit.release(this, outcome);
            }
        }

        @Override
        public String toString() {
            return "Permit[" + limit.name + "]";
        }
    }

    /** Work waiting in a queue; its links and fields are guarded by the limit's lock. */
    static final class Waiter {
        final CompletableFuture<Permit> future = new CompletableFuture<>();
        final QosClass qos;
        final long since;
        final long deadline;
        Waiter prev;
        Waiter next;
        boolean linked;
        Grant granted;
        AdmissionException rejection;

        Waiter(QosClass qos, long since, long deadline) {
            this.qos = qos;
            this.since = since;
            this.deadline = deadline;
        }

        boolean waiting() {
            return linked;
        }
    }

    /** A doubly linked queue of waiters: O(1) at both ends and for a waiter that leaves early. */
    static final class WaitQueue {
        Waiter head;
        Waiter tail;
        int size;

        void addLast(Waiter w) {
            w.prev = tail;
            w.next = null;
            if (tail == null) {
                head = w;
            } else {
                tail.next = w;
            }
            tail = w;
            w.linked = true;
            size++;
        }

        void remove(Waiter w) {
            if (!w.linked) {
                return;
            }
            if (w.prev == null) {
                head = w.next;
            } else {
                w.prev.next = w.next;
            }
            if (w.next == null) {
                tail = w.prev;
            } else {
                w.next.prev = w.prev;
            }
            w.prev = null;
            w.next = null;
            w.linked = false;
            size--;
        }
    }

    /**
     * A lock of a few field updates that never parks its holder nor its waiters (see the class
     * comment). A waiter spins, and after a while yields its thread now and then, in case the holder
     * is a platform thread the OS has descheduled.
     */
    static final class SpinLock {
        private static final VarHandle HELD;

        static {
            try {
                HELD = MethodHandles.lookup().findVarHandle(SpinLock.class, "held", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") // through HELD
        private volatile boolean held;

        void lock() {
            if (!HELD.compareAndSet(this, false, true)) {
                contended();
            }
        }

        private void contended() {
            int spins = 0;
            do {
                if ((++spins & 0xff) == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            } while ((boolean) HELD.getOpaque(this) || !HELD.compareAndSet(this, false, true));
        }

        void unlock() {
            HELD.setRelease(this, false);
        }
    }

    /**
     * The one platform thread that ends waits that ran out of time. Timeouts come in through a
     * lock-free queue, for the same reason as {@link SpinLock}; the thread keeps them in a heap of its
     * own and parks until the earliest. A timeout whose waiter has already left runs and finds it gone.
     */
    static final class Timeouts {
        private record Entry(long at, Runnable task) {
        }

        private static final ConcurrentLinkedQueue<Entry> INBOX = new ConcurrentLinkedQueue<>();
        /** When the thread will look again, in {@link System#nanoTime()} terms; MAX_VALUE when idle. */
        private static volatile long nextWake = Long.MAX_VALUE;
        private static final Thread THREAD = Thread.ofPlatform().daemon().name("strand-admission-timeouts")
                .start(Timeouts::run);

        private Timeouts() {
        }

        /** Runs {@code task} on the timeouts thread once {@link System#nanoTime()} reaches {@code at}. Any thread. */
        static void at(long at, Runnable task) {
            INBOX.add(new Entry(at, task));
            if (at < nextWake) { // the thread sleeps past it, or may be about to: wake it to look again
                LockSupport.unpark(THREAD);
            }
        }

        private static void run() {
            PriorityQueue<Entry> due = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
            while (true) {
                for (Entry e; (e = INBOX.poll()) != null; ) {
                    due.add(e);
                }
                long now = System.nanoTime();
                while (!due.isEmpty() && due.peek().at <= now) {
                    try {
                        due.poll().task.run();
                    } catch (Throwable t) {
                        System.getLogger(Timeouts.class.getName()).log(System.Logger.Level.ERROR, "an admission timeout failed", t);
                    }
                }
                Entry next = due.peek();
                nextWake = next == null ? Long.MAX_VALUE : next.at;
                if (!INBOX.isEmpty()) {
                    continue; // came in while nextWake said otherwise: its adder may not have woken us
                }
                if (next == null) {
                    LockSupport.park();
                } else {
                    LockSupport.parkNanos(next.at - now);
                }
            }
        }
    }
}
