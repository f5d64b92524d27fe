package dev.strand.reactor;

/**
 * Told of each failure a reactor's loops catch, report and survive (see {@link Failure}), as it is
 * counted: for code that must react to a failure at once rather than read {@link
 * Reactor#failures(Failure)} later, such as a test that fails when a callback throws. Set with
 * {@link Reactor.Builder#failureListener}.
 *
 * <p>Threading: called on the thread that caught the failure — a loop's thread, a fiber, a thread
 * completing a {@link Deferred} — possibly on several at once, and also after the loop has stopped.
 * It must be quick and must not block: on a loop it runs inside the loop's turn.
 *
 * <p>Failures: what it throws is dropped (the failure itself has been counted and is still
 * reported); it cannot end a loop.
 */
@FunctionalInterface
public interface FailureListener {

    /**
     * A failure from {@code origin}, thrown by work on {@code loop}, has just been counted.
     *
     * @param loop    the loop the failing work belonged to
     * @param origin  where it came from
     * @param failure what was thrown
     */
    void failed(EventLoop loop, Failure origin, Throwable failure);
}
