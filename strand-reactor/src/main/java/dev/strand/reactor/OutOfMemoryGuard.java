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

    /** With {@link System#nanoTime()} and {@link Runtime#halt}: no lambdas on the way to a server's first response. */
    OutOfMemoryGuard(String reactorName, OutOfMemoryPolicy policy) {
        this(reactorName, policy, null, null);
    }

    /** With a clock and a halt of the test's own; null for the real ones. */
    OutOfMemoryGuard(String reactorName, OutOfMemoryPolicy policy, LongSupplier nanoClock, IntConsumer halt) {
        this.policy = policy;
        this.nanoClock = nanoClock;
        this.halt = halt;
        // Built with a StringBuilder: a string concatenation would link one more call site at start.
        this.haltLine = new StringBuilder("Strand reactor ").append(reactorName).append(": ")
                .append(OutOfMemoryPolicy.PERSISTENT_COUNT).append(" OutOfMemoryErrors within ")
                .append(OutOfMemoryPolicy.PERSISTENT_WINDOW.toSeconds()).append(" s; halting the JVM with status ")
                .append(OutOfMemoryPolicy.HALT_STATUS).append(" (OutOfMemoryPolicy.")
                .append(OutOfMemoryPolicy.HALT_WHEN_PERSISTENT.name()).append(')').append(System.lineSeparator())
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Records one error; halts when they persist and the policy says so. Never throws. Any thread. */
    void record() {
        long now = nanoClock == null ? System.nanoTime() : nanoClock.getAsLong();
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
            if (halt == null) {
                Runtime.getRuntime().halt(OutOfMemoryPolicy.HALT_STATUS);
            } else {
                halt.accept(OutOfMemoryPolicy.HALT_STATUS);
            }
        }
    }
}
