package dev.strand.pool;

/**
 * No resource was free and {@link Pool.Builder#maxWaiters} callers were waiting already, so this one
 * was refused at once instead of waiting: load is shed before it piles up.
 */
public final class PoolSaturatedException extends PoolException {

    PoolSaturatedException(String pool, String message) {
        super(pool, message, null);
    }
}
