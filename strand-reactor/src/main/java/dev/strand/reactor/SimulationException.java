package dev.strand.reactor;

/**
 * A {@link Simulation}'s run failed: its body threw (the cause), code escaped the simulation (a
 * timed park, a real socket, work handed in from another thread), it got stuck (nothing runnable,
 * no timer pending, the body not done) or it ran past a limit. The message names the seed, the
 * virtual time and a one-line way to replay it; {@link #trace()} is the run's trace up to the failure.
 */
public final class SimulationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long seed;
    private final transient Trace trace;

    SimulationException(String message, Throwable cause, long seed, Trace trace) {
        super(message, cause);
        this.seed = seed;
        this.trace = trace;
    }

    /** The seed of the failed run: {@code Simulation.create(seed())} replays it. */
    public long seed() {
        return seed;
    }

    /** The trace up to the failure. */
    public Trace trace() {
        return trace;
    }
}
