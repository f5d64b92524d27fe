package dev.strand.pool;

/**
 * An acquire from a {@link Pool} failed. The message names the pool and says why. Thrown as is
 * when the acquiring thread was interrupted while it waited (its interrupt status is set again and
 * the cause is an {@link InterruptedException}); the subclasses name the other reasons.
 */
public class PoolException extends RuntimeException {

    private final String pool;

    PoolException(String pool, String message, Throwable cause) {
        super(message, cause);
        this.pool = pool;
    }

    /** The name of the pool that failed the acquire. */
    public String pool() {
        return pool;
    }
}
