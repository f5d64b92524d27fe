package dev.strand.reactor;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;

/**
 * What a fiber can do that is cheaper on its loop than through the JDK: sleep on the loop's
 * timers, and offload blocking work so that it does not hold the loop's thread.
 */
public final class Fiber {

    private Fiber() {
    }

    /**
     * Parks the calling fiber for {@code duration}. On a fiber carried by a loop the wake-up is one
     * of the loop's own timers, so waking costs no hand-off between threads; anywhere else this is
     * {@link Thread#sleep(Duration)}. Any thread; never call it on a loop's own thread, which it
     * would block.
     *
     * @throws InterruptedException when the fiber is interrupted while it sleeps
     * @throws IllegalStateException when called on a loop's own thread
     */
    public static void sleep(Duration duration) throws InterruptedException {
        Thread self = Thread.currentThread();
        EventLoop loop = EventLoop.current().orElse(null);
        if (loop == null || !self.isVirtual()) {
            if (loop != null) {
                throw new IllegalStateException("sleeping would block " + loop);
            }
            Thread.sleep(duration);
            return;
        }
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        Wake wake = new Wake(self);
        Timer timer = loop.addTimer(duration, wake);
        try {
            while (!wake.done) {
                LockSupport.park(wake);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while sleeping");
                }
            }
        } finally {
            timer.cancel();
        }
    }

    /**
     * Runs blocking {@code block} on the reactor's bounded offload pool of platform threads while
     * the calling fiber parks, and returns what it returns: for code that would hold the loop's
     * thread while it blocks, such as a JNI call, a file read or a {@code synchronized} driver.
     * The fiber's loop goes on with its other fibers meanwhile.
     *
     * <p>Where it runs: on a fiber carried by a loop, on that loop's reactor's offload pool. On any
     * other thread — a platform thread, a fiber in {@link FiberMode#JDK_SCHEDULER} mode, an offload
     * thread itself — there is no loop's thread to free, so {@code block} runs on the caller, with
     * the same results; to put a platform thread's work on the pool, use
     * {@code loop.defer(block).await()}. Never on a loop's own thread.
     *
     * <p>Failures: what {@code block} throws is rethrown as is when unchecked (a
     * {@link RuntimeException} or an {@link Error}); a checked exception is wrapped in a
     * {@link CompletionException} whose cause it is. When the pool is full or the reactor closed,
     * this throws an {@link OffloadRejectedException} (also when the reactor closes while the block
     * waits or runs). When the fiber is interrupted while it waits, the block is dropped if it has
     * not started, or interrupted if it runs (it may still be running when this returns), and this
     * throws a {@link CompletionException} whose cause is an {@link InterruptedException}, with the
     * fiber's interrupt status set again.
     *
     * @throws IllegalStateException when called on a loop's own thread, which it would block: use
     *                               {@link EventLoop#defer} and a callback there
     * @throws NullPointerException  when {@code block} is null
     */
    public static <T> T offload(Callable<? extends T> block) {
        Objects.requireNonNull(block, "block");
        EventLoop loop = EventLoop.current().orElse(null);
        if (loop == null) {
            return callHere(block);
        }
        if (!Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("offloading on " + loop + "'s own thread would block it: use defer and a callback");
        }
        Deferred<T> done = Deferred.create(loop);
        OffloadPool.Task<T> task = loop.reactor().offloadPool().submit(block, done);
        Deferred.Outcome<T> outcome;
        try {
            outcome = done.waitFor(-1);
        } catch (CompletionException interrupted) {
            task.abandon(interrupted.getCause());
            throw interrupted;
        }
        if (outcome.failure() == null) {
            return outcome.value();
        }
        throw unchecked(outcome.failure());
    }

    private static <T> T callHere(Callable<? extends T> block) {
        try {
            return block.call();
        } catch (Exception e) {
            throw unchecked(e);
        }
    }

    private static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            return e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new CompletionException(failure);
    }

    /** Unparks the sleeper from the loop's timer phase, on the same thread: no wake-up needed. */
    private static final class Wake implements Runnable {
        final Thread sleeper;
        volatile boolean done;

        Wake(Thread sleeper) {
            this.sleeper = sleeper;
        }

        @Override
        public void run() {
            done = true;
            LockSupport.unpark(sleeper);
        }
    }
}
