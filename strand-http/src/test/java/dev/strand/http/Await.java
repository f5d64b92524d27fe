package dev.strand.http;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a timeout, checking it every few milliseconds; for tests. */
public final class Await {

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} holds; fails with {@code what} once {@code timeout} has
     * passed without it.
     */
    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }
}
