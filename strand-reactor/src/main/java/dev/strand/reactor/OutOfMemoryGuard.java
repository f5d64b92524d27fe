package dev.strand.reactor;

import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Applies a reactor's {@link OutOfMemoryPolicy}: remembers when the last few out-of-memory errors
 * happened and, when they persist, halts the JVM. Everything the halt needs is allocated up front,
 * since by then allocations fail. Thread-safe: loops and fibers report here.
 */
final class OutOfMemoryGuard {

    private final OutOfMemoryPolicy policy;
    private final LongSupplier nanoClock;
    private final IntConsumer halt;
    private final byte[] haltLine;
    /** When the last {@link OutOfMemoryPolicy#PERSISTENT_COUNT} errors happened, as a ring. */
    private final long[] recent = new long[OutOfMemoryPolicy.PERSISTENT_COUNT];
    private final long windowNanos = OutOfMemoryPolicy.PERSISTENT_WINDOW.toNanos();
    private int next;
    private long seen;

    OutOfMemoryGuard(String reactorName, OutOfMemoryPolicy policy) {
        this(reactorName, policy, System::nanoTime, status -> Runtime.getRuntime().halt(status));
    }

    /** With a clock and a halt of the test's own. */
    OutOfMemoryGuard(String reactorName, OutOfMemoryPolicy policy, LongSupplier nanoClock, IntConsumer halt) {
        this.policy = policy;
        this.nanoClock = nanoClock;
        this.halt = halt;
        this.haltLine = ("Strand reactor " + reactorName + ": " + OutOfMemoryPolicy.PERSISTENT_COUNT
                + " OutOfMemoryErrors within " + OutOfMemoryPolicy.PERSISTENT_WINDOW.toSeconds()
                + " s; halting the JVM with status " + OutOfMemoryPolicy.HALT_STATUS
                + " (OutOfMemoryPolicy." + OutOfMemoryPolicy.HALT_WHEN_PERSISTENT + ")" + System.lineSeparator())
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Records one error; halts when they persist and the policy says so. Never throws. Any thread. */
    void record() {
        long now = nanoClock.getAsLong();
        boolean persistent;
        synchronized (recent) {
            recent[next] = now;
            next = (next + 1) % recent.length;
            seen++;
            // recent[next] is now the oldest of the last PERSISTENT_COUNT.
            persistent = seen >= recent.length && now - recent[next] <= windowNanos;
        }
        if (persistent && policy == OutOfMemoryPolicy.HALT_WHEN_PERSISTENT) {
            try {
                System.err.write(haltLine, 0, haltLine.length);
                System.err.flush();
            } catch (Throwable t) {
                // halt anyway: lingering half-dead is what this prevents
            }
            halt.accept(OutOfMemoryPolicy.HALT_STATUS);
        }
    }
}
