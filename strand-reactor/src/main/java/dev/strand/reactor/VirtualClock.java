package dev.strand.reactor;

/**
 * A simulation's clock: it stands still until its loop, finding nothing to run, moves it to the next
 * timer's deadline. Starts at a fixed instant, so that every run of a seed reads the same times
 * (a {@code Date} header included).
 *
 * <p>Read from any thread; moved only by the simulated loop (a volatile write, so other threads see
 * the loop's time).
 */
final class VirtualClock implements Clock {

    /** 2026-01-01T00:00:00Z: a wall-clock start that does not depend on when the test runs. */
    static final long START_MILLIS = 1_767_225_600_000L;
    /** Far from 0 and from overflow, so that deadline arithmetic behaves as with the system clock. */
    static final long START_NANOS = 1L << 40;

    private volatile long nanos = START_NANOS;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long currentTimeMillis() {
        return START_MILLIS + (nanos - START_NANOS) / 1_000_000;
    }

    /** Nanoseconds of virtual time since the start. */
    long elapsedNanos() {
        return nanos - START_NANOS;
    }

    /** Moves to {@code deadline} when it lies ahead; never back. On the simulated loop. */
    void advanceTo(long deadline) {
        if (deadline - nanos > 0) {
            nanos = deadline;
        }
    }

    @Override
    public String toString() {
        return "a simulation's virtual clock at +" + java.time.Duration.ofNanos(elapsedNanos());
    }
}
