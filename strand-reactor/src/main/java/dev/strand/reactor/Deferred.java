package dev.strand.reactor;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A result that arrives later, with callbacks that run on one {@link EventLoop}: EventMachine's
 * deferrable. Whoever produces the result {@link #succeed succeeds} or {@link #fail fails} it, once;
 * whoever wants it adds {@link #callback callbacks} and {@link #errback errbacks}, before or after
 * that, or a fiber {@link #await awaits} it.
 *
 * <pre>{@code
 * Deferred<String> page = loop.defer(() -> Files.readString(path)) // blocking read, on the offload pool
 *         .timeout(Duration.ofSeconds(2));                          // else it fails with a DeferredTimeoutException
 * page.callback(text -> LOG.log(INFO, text))                        // on the loop
 *     .errback(failure -> LOG.log(WARNING, "no page", failure));    // on the loop: the read failed or timed out
 * // Or, on a fiber: park until it is done (the loop runs other fibers meanwhile).
 * String text = page.await();
 * }</pre>
 *
 * <p>Threading: every method may be called from any thread, unless it says otherwise. Callbacks and
 * errbacks always run on this deferred's loop, in a task of their own: never inside the call that
 * adds them or that completes the deferred, even on the loop (there, they run later in the same
 * turn). So a callback never runs while its adder or the completer still holds a lock or is half-way
 * through an update, whichever thread they are on. Callbacks added from one thread run in the order
 * they were added, those added before and those added after completion alike; the loop runs them
 * all, up to a budget per task, before other work queued after them.
 *
 * <p>Failures: the first completion wins; {@link #succeed} or {@link #fail} after it throws
 * {@link IllegalStateException} ({@link #trySucceed} and {@link #tryFail} return false instead).
 * Whatever a callback or errback throws, {@link Error}s included, is counted under
 * {@link Failure#CALLBACK} on the loop and logged (see {@link EventLoop}); the deferred stays as it
 * was and its next callbacks still run. Callbacks that can no longer run because the loop has
 * stopped are not run elsewhere: they are counted and logged the same way, with a
 * {@link RejectedExecutionException}. A failure with no errback yet is held by the deferred, for an
 * errback added later, {@link #await} or {@link #toCompletableFuture}.
 *
 * @param <T> the type of the value; {@code null} is a value only for {@code Deferred<Void>}
 */
public final class Deferred<T> {

    /** Callbacks run per task; the rest go to a new task, so a callback that adds callbacks cannot hold the loop. */
    private static final int CALLBACK_BUDGET = 1024;

    private final EventLoop loop;
    private final AtomicReference<Outcome<T>> outcome = new AtomicReference<>();
    /** Callbacks not run yet, in the order added; drained on the loop once there is an outcome. */
    private final ConcurrentLinkedQueue<Listener<? super T>> callbacks = new ConcurrentLinkedQueue<>();
    /** Whether a task to run the callbacks is queued on the loop or running. */
    private final AtomicBoolean draining = new AtomicBoolean();
    /**
     * Run by the completing thread right after the outcome is set, not on the loop: waking
     * {@link #await}ers and completing {@link #toCompletableFuture} futures must work when the loop
     * has stopped. Each is idempotent, as it may also be run by whoever added it.
     */
    private final ConcurrentLinkedQueue<Runnable> wakeUps = new ConcurrentLinkedQueue<>();
    private final AtomicReference<TimeoutTask> timeout = new AtomicReference<>();

    private Deferred(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /**
     * A deferred not yet completed, whose callbacks run on {@code loop}. Any thread.
     *
     * @throws NullPointerException when {@code loop} is null
     */
    public static <T> Deferred<T> create(EventLoop loop) {
        return new Deferred<>(loop);
    }

    /**
     * A deferred completed as {@code stage} completes, whose callbacks run on {@code loop}: with its
     * value, or failed with its exception (a {@link CompletionException} from the stage is unwrapped
     * to its cause). Completing the returned deferred first, say by its {@link #timeout}, does not
     * affect the stage. Any thread.
     *
     * @throws NullPointerException when an argument is null
     */
    public static <T> Deferred<T> of(CompletionStage<? extends T> stage, EventLoop loop) {
        Objects.requireNonNull(stage, "stage");
        Deferred<T> deferred = new Deferred<>(loop);
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                deferred.trySucceed(value);
            } else {
                deferred.tryFail(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
        });
        return deferred;
    }

    /** The loop this deferred's callbacks run on. Any thread. */
    public EventLoop loop() {
        return loop;
    }

    /** Whether it has succeeded or failed. Any thread. */
    public boolean isDone() {
        return outcome.get() != null;
    }

    /**
     * Adds {@code callback}, run on the loop with the value if this deferred succeeds: soon, when
     * it already has. Never run if it fails. Any thread.
     *
     * <p>What {@code callback} throws is counted under {@link Failure#CALLBACK} and logged; it does
     * not reach the errbacks, since the deferred has succeeded.
     *
     * @return this deferred
     * @throws NullPointerException when {@code callback} is null
     */
    public Deferred<T> callback(Consumer<? super T> callback) {
        add(new Listener<>(Objects.requireNonNull(callback, "callback"), null));
        return this;
    }

    /**
     * Adds {@code errback}, run on the loop with the failure if this deferred fails: soon, when it
     * already has. Never run if it succeeds. Any thread.
     *
     * <p>What {@code errback} throws is counted under {@link Failure#CALLBACK} and logged.
     *
     * @return this deferred
     * @throws NullPointerException when {@code errback} is null
     */
    public Deferred<T> errback(Consumer<? super Throwable> errback) {
        add(new Listener<>(null, Objects.requireNonNull(errback, "errback")));
        return this;
    }

    /**
     * Completes this deferred with {@code value}: its callbacks are queued to run on the loop, its
     * timeout is cancelled and its awaiters wake. Any thread.
     *
     * @throws IllegalStateException when it has already succeeded or failed (its outcome is kept)
     */
    public void succeed(T value) {
        if (!trySucceed(value)) {
            throw alreadyComplete();
        }
    }

    /**
     * Completes this deferred with {@code failure}: its errbacks are queued to run on the loop, its
     * timeout is cancelled and its awaiters wake. Any thread.
     *
     * @throws IllegalStateException when it has already succeeded or failed (its outcome is kept)
     * @throws NullPointerException  when {@code failure} is null
     */
    public void fail(Throwable failure) {
        if (!tryFail(failure)) {
            throw alreadyComplete();
        }
    }

    /**
     * {@link #succeed} unless already complete: for a result that may lose a race, say against
     * this deferred's {@link #timeout}. Any thread.
     *
     * @return whether this call completed it
     */
    public boolean trySucceed(T value) {
        return complete(new Outcome<>(value, null));
    }

    /**
     * {@link #fail} unless already complete. Any thread.
     *
     * @return whether this call completed it
     * @throws NullPointerException when {@code failure} is null
     */
    public boolean tryFail(Throwable failure) {
        return complete(new Outcome<>(null, Objects.requireNonNull(failure, "failure")));
    }

    /**
     * Fails this deferred with a {@link DeferredTimeoutException} (a {@link TimedOut}) unless it
     * completes within {@code after}, measured by one of the loop's timers; completing first
     * cancels that timer. Replaces a timeout set before; after completion it does nothing. Like
     * EventMachine's, it only fails the deferred: whatever was to complete it is not stopped (but
     * see {@link EventLoop#system}). Any thread.
     *
     * <p>Should the loop refuse the timer because {@link Reactor.Builder#maxPendingTimers} are
     * pending, the loop logs the refusal and this deferred has no timeout.
     *
     * @return this deferred
     * @throws RejectedExecutionException when the loop has stopped
     */
    public Deferred<T> timeout(Duration after) {
        Objects.requireNonNull(after, "after");
        TimeoutTask task = new TimeoutTask(after);
        TimeoutTask replaced = timeout.getAndSet(task);
        if (replaced != null) {
            replaced.cancel();
        }
        if (isDone()) {
            timeout.compareAndSet(task, null);
            return this;
        }
        try {
            task.timer = loop.addTimer(after, task);
        } catch (RuntimeException e) {
            timeout.compareAndSet(task, null);
            throw e;
        }
        if (timeout.get() != task) {
            task.cancel(); // completed, or replaced, while the timer was being added
        }
        return this;
    }

    /** Cancels the pending {@link #timeout}, if any. Never throws. Any thread. */
    public void cancelTimeout() {
        TimeoutTask task = timeout.getAndSet(null);
        if (task != null) {
            task.cancel();
        }
    }

    /**
     * Waits for this deferred to complete and returns its value. A fiber parks (its loop goes on
     * with other work); a platform thread blocks. Any thread but a loop's own.
     *
     * @throws CompletionException   when it failed: its cause is the failure, exactly as given to
     *                               {@link #fail} (a {@link DeferredTimeoutException} when its
     *                               {@link #timeout} ran out); also when the waiting thread is
     *                               interrupted: then the cause is an {@link InterruptedException}
     *                               and the thread's interrupt status is set again
     * @throws IllegalStateException when called on a loop's own thread, which it would stall
     */
    public T await() {
        return valueOf(waitFor(-1));
    }

    /**
     * {@link #await()}, waiting at most {@code timeout}. This deferred is left as it is when the
     * wait runs out. Any thread but a loop's own.
     *
     * @throws DeferredTimeoutException when it did not complete within {@code timeout}
     * @throws CompletionException      as {@link #await()} does
     * @throws IllegalStateException    when called on a loop's own thread
     */
    public T await(Duration timeout) {
        long nanos = Math.max(0, timeout.toNanos());
        Outcome<T> done = waitFor(nanos);
        if (done == null) {
            throw new DeferredTimeoutException("await on a deferred of " + loop + " timed out after "
                    + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms");
        }
        return valueOf(done);
    }

    /**
     * A future completed with this deferred's value or failure (as given, not wrapped). It is
     * completed on the thread that completes this deferred, which may be the loop's: give stages
     * that block to an {@code ...Async} method with an executor. Completing or cancelling the
     * future does not affect this deferred. Any thread.
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> future = new CompletableFuture<>();
        whenDone(() -> {
            Outcome<T> done = outcome.get();
            if (done.failure != null) {
                future.completeExceptionally(done.failure);
            } else {
                future.complete(done.value);
            }
        });
        return future;
    }

    @Override
    public String toString() {
        Outcome<T> done = outcome.get();
        String state = done == null ? "pending" : done.failure == null ? "succeeded" : "failed: " + done.failure;
        return "Deferred on " + loop + " (" + state + ")";
    }

    /**
     * Runs {@code action} on the thread that completes this deferred, right after it does, or now
     * when it is already complete; it may run twice and must be idempotent. For the toolkit's own
     * clean-up, which must not wait for the loop. Any thread.
     */
    void whenDone(Runnable action) {
        if (outcome.get() == null) {
            wakeUps.add(action);
            if (outcome.get() == null) {
                return;
            }
        }
        action.run();
    }

    /**
     * Waits for the outcome; on a fiber, this is a park that its loop's hand-in ends. Null when
     * {@code nanos} (not negative) ran out first. Any thread but a loop's own.
     */
    Outcome<T> waitFor(long nanos) {
        Thread self = Thread.currentThread();
        // Refused even when already complete: one rule, found by the first test rather than in production.
        if (!self.isVirtual()) {
            EventLoop on = EventLoop.current().orElse(null);
            if (on != null) {
                throw new IllegalStateException("awaiting a deferred would stall " + on + ": add a callback instead");
            }
        }
        Outcome<T> done = outcome.get();
        if (done != null) {
            return done;
        }
        Runnable wake = () -> LockSupport.unpark(self);
        // On a fiber of a simulation's loop the timeout is one of the loop's timers, on its virtual
        // clock: a timed park would escape the simulation. Elsewhere it stays a real-time park, which
        // also ends should the loop stop meanwhile. The deadline is read before the timer is added,
        // so that the timer never fires before it.
        EventLoop carrier = nanos >= 0 && self.isVirtual() ? EventLoop.current().orElse(null) : null;
        if (carrier != null && carrier.reactor().simulation() == null) {
            carrier = null;
        }
        Clock clock = carrier == null ? SystemClock.INSTANCE : carrier.clock();
        long deadline = nanos < 0 ? 0 : clock.nanoTime() + nanos;
        Timer timer = null;
        try {
            wakeUps.add(wake);
            timer = carrier == null ? null : carrier.addTimer(java.time.Duration.ofNanos(nanos), wake);
            if (timer != null && timer.isDone()) { // refused (too many timers): times out at once rather than escape the simulation
                return null;
            }
            while ((done = outcome.get()) == null) {
                if (nanos < 0) {
                    LockSupport.park(this);
                } else {
                    long remaining = deadline - clock.nanoTime();
                    if (remaining <= 0) {
                        return null;
                    }
                    if (timer != null) {
                        LockSupport.park(this);
                    } else {
                        LockSupport.parkNanos(this, remaining);
                    }
                }
                if (Thread.interrupted()) {
                    self.interrupt();
                    throw new CompletionException("interrupted while awaiting a deferred of " + loop,
                            new InterruptedException());
                }
            }
            return done;
        } finally {
            wakeUps.remove(wake);
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    private static <T> T valueOf(Outcome<T> done) {
        if (done.failure != null) {
            throw new CompletionException(done.failure);
        }
        return done.value;
    }

    private boolean complete(Outcome<T> done) {
        if (!outcome.compareAndSet(null, done)) {
            return false;
        }
        TimeoutTask pending = timeout.getAndSet(null);
        if (pending != null) {
            pending.cancel();
        }
        Runnable wakeUp;
        while ((wakeUp = wakeUps.poll()) != null) {
            try {
                wakeUp.run();
            } catch (Throwable t) {
                loop.contain(Failure.CALLBACK, t); // the toolkit's own actions: not expected, never lost
            }
        }
        if (!callbacks.isEmpty()) {
            scheduleCallbacks();
        }
        return true;
    }

    private void add(Listener<? super T> listener) {
        callbacks.add(listener);
        // Read after the add: either this sees the outcome, or the completer, which sets it before
        // it looks at the queue, sees this callback.
        if (outcome.get() != null) {
            scheduleCallbacks();
        }
    }

    /** Queues the task that runs the callbacks, unless it is queued already. Never throws. */
    private void scheduleCallbacks() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        try {
            loop.execute(this::runCallbacks);
        } catch (RejectedExecutionException stopped) {
            int lost = 0;
            while (callbacks.poll() != null) {
                lost++;
            }
            draining.set(false);
            if (lost > 0) {
                loop.contain(Failure.CALLBACK, new RejectedExecutionException(lost + " callbacks of a deferred not run: "
                        + loop + " has stopped", stopped));
            }
            if (!callbacks.isEmpty()) {
                scheduleCallbacks(); // added while these were dropped: report them too
            }
        }
    }

    /** On the loop: runs the callbacks queued so far, up to the budget, each contained. */
    private void runCallbacks() {
        Outcome<T> done = outcome.get();
        for (int budget = CALLBACK_BUDGET; budget > 0; budget--) {
            Listener<? super T> listener = callbacks.poll();
            if (listener == null) {
                break;
            }
            try {
                if (done.failure == null) {
                    if (listener.onSuccess != null) {
                        listener.onSuccess.accept(done.value);
                    }
                } else if (listener.onFailure != null) {
                    listener.onFailure.accept(done.failure);
                }
            } catch (Throwable t) {
                loop.contain(Failure.CALLBACK, t);
            }
        }
        draining.set(false);
        // Added while these ran, or beyond the budget: a new task, behind work queued meanwhile.
        if (!callbacks.isEmpty()) {
            scheduleCallbacks();
        }
    }

    private IllegalStateException alreadyComplete() {
        Outcome<T> done = outcome.get();
        // Not caused by the failure it holds: this is the caller's mistake, not that failure again.
        return new IllegalStateException("deferred of " + loop + " already "
                + (done.failure == null ? "succeeded" : "failed with " + done.failure.getClass().getName()));
    }

    /** How it completed: a value (maybe null), or a failure. */
    record Outcome<T>(T value, Throwable failure) {
    }

    /** A callback (onFailure null) or an errback (onSuccess null). */
    private record Listener<T>(Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure) {
    }

    /** Fails the deferred when its timer runs, unless it was replaced, cancelled or the deferred completed. */
    private final class TimeoutTask implements Runnable {
        private final Duration after;
        private volatile Timer timer;

        TimeoutTask(Duration after) {
            this.after = after;
        }

        @Override
        public void run() {
            // A timer cancelled from another thread may still run once: only the current timeout fails it.
            if (timeout.compareAndSet(this, null)) {
                tryFail(new DeferredTimeoutException("deferred of " + loop + " not completed within "
                        + after.toMillis() + " ms"));
            }
        }

        void cancel() {
            Timer armed = timer;
            if (armed != null) {
                armed.cancel();
            }
        }
    }
}
