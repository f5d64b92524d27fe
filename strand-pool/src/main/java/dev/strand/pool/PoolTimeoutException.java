package dev.strand.pool;

import java.time.Duration;

/**
 * No resource came before the acquire's time was up: the pool's acquire timeout, the timeout given
 * to {@link Pool#acquire(java.time.Duration)}, or the {@link dev.strand.reactor.Deadline} in force,
 * whichever was earliest. The message says which, how long the caller waited and how many callers
 * were ahead of it. When creating resources has been failing, the latest failure is the cause.
 */
public final class PoolTimeoutException extends PoolException implements dev.strand.reactor.TimedOut {

    private final Duration waited;
    private final int ahead;

    PoolTimeoutException(String pool, String message, Throwable cause, Duration waited, int ahead) {
        super(pool, message, cause);
        this.waited = waited;
        this.ahead = ahead;
    }

    /** How long the caller waited. */
    public Duration waited() {
        return waited;
    }

    /** How many callers were waiting already when this one began to wait. */
    public int ahead() {
        return ahead;
    }
}
