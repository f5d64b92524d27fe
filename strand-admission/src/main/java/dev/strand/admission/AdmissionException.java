package dev.strand.admission;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@link Limit} turned work away, or gave up waiting for room: the message names the limit and
 * says why, {@link #reason()} tells it to code, and {@link #retryAfter()} is what a server tells
 * its client (an HTTP server answers {@code 503} with {@code Retry-After}). Unchecked.
 */
public final class AdmissionException extends RuntimeException {

    /** Why the work was not admitted. */
    public enum Reason {
        /** The queue was full. */
        QUEUE_FULL,
        /** {@link QosClass#SHEDDABLE} work was shed (the level is below normal, or the queue half full). */
        SHED,
        /** The work waited its queue timeout in the queue. */
        QUEUE_TIMEOUT,
        /** The work's {@link dev.strand.reactor.Deadline} passed before it could start. */
        DEADLINE,
        /** The waiting thread was interrupted, or the wait cancelled. */
        CANCELLED
    }

    private final String limit;
    private final Reason reason;
    private final Duration retryAfter;
    private final Duration waited;

    AdmissionException(String limit, Reason reason, String message, Duration retryAfter, Duration waited) {
        // No stack trace: rejections are routine under load and must stay cheap.
        super("limit " + limit + ": " + message, null, false, false);
        this.limit = limit;
        this.reason = Objects.requireNonNull(reason);
        this.retryAfter = retryAfter;
        this.waited = waited;
    }

    /** The name of the limit that did not admit the work. */
    public String limit() {
        return limit;
    }

    /** Why. */
    public Reason reason() {
        return reason;
    }

    /** How long the client should wait before trying again: the limit's setting. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** How long the work waited in the queue; zero when it was turned away at once. */
    public Duration waited() {
        return waited;
    }
}
