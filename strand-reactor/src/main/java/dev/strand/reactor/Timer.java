package dev.strand.reactor;

/**
 * A timer scheduled on an {@link EventLoop}: one-shot or periodic.
 *
 * <p>Thread-safe. Cancelling is idempotent and takes effect before the next run: a timer
 * cancelled from its own loop never runs again; one cancelled from another thread may run at most
 * once more if the loop had already begun running it.
 */
public interface Timer {

    /** Stops the timer; never throws. */
    void cancel();

    /** Whether {@link #cancel()} was called, or a one-shot timer has already run. */
    boolean isDone();
}
