package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Test helpers: run code on a loop and wait for it, without sleeping. */
final class Loops {

    private Loops() {
    }

    /** Runs {@code supplier} on {@code loop} and returns its result, waiting at most 5 s. */
    static <T> T call(EventLoop loop, Supplier<T> supplier) {
        try {
            return CompletableFuture.supplyAsync(supplier, loop).get(5, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("task on " + loop + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("task on " + loop + " did not run within 5 s", e);
        }
    }

    /** Runs {@code task} on {@code loop}, waiting at most 5 s for it to finish. */
    static void run(EventLoop loop, Runnable task) {
        call(loop, () -> {
            task.run();
            return null;
        });
    }

    /** The platform thread that runs {@code loop}. */
    static Thread thread(EventLoop loop) {
        return call(loop, Thread::currentThread);
    }

    /** Busy-waits on the calling thread (to hold a loop busy); not a way to wait for a condition. */
    static void spin(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
