package dev.strand.reactor;

/**
 * Something registered with a reactor that stays in force until it is cancelled: a signal trap
 * ({@link Reactor#onSignal}) or a file watch ({@link Reactor#watch}). Stopping the reactor cancels
 * every registration it still has.
 *
 * <p>Thread-safe.
 */
public interface Registration extends AutoCloseable {

    /**
     * Cancels the registration: its handler is not called again, except for a call already running
     * on its loop. Idempotent. Never blocks and never throws: what releasing the registration's
     * operating-system resources takes (restoring a signal's previous handler, removing a file
     * watch) is done at once off a loop, and soon after on a short-lived virtual thread when called
     * on a loop's own thread; a failure there is logged. Any thread.
     */
    void cancel();

    /**
     * Whether the registration is no longer in force: cancelled, stopped with its reactor, or ended
     * by itself (a file watch whose directory went away). Any thread.
     */
    boolean isCancelled();

    /** The same as {@link #cancel()}, for try-with-resources. Never throws. Any thread. */
    @Override
    default void close() {
        cancel();
    }
}
