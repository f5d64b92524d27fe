package dev.strand.pool;

/** The pool was closed before, or while, the caller waited for a resource. */
public final class PoolClosedException extends PoolException {

    PoolClosedException(String pool) {
        super(pool, "pool '" + pool + "' is closed", null);
    }
}
