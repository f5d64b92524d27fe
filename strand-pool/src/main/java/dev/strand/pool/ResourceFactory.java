package dev.strand.pool;

/**
 * Makes, checks and destroys the resources of a {@link Pool}. Only {@link #create()} is required,
 * so a lambda will do: {@code Pool.builder("db", dataSource::getConnection)}.
 *
 * <p>Threading: {@code create} runs on the pool's own creator fibers, never on a thread that is
 * acquiring, and at most {@link Pool.Builder#maxConcurrentCreations} at once; {@code validate}
 * runs on the acquiring thread; {@code destroy} on a fiber of the pool's, or on the thread that
 * calls {@link Pool#close()}. Calls for different resources may overlap.
 *
 * @param <R> the resource
 */
@FunctionalInterface
public interface ResourceFactory<R> {

    /**
     * A new resource; never null. May block (a fiber parks). What it throws fails this creation
     * only: the pool logs it, retries with back-off while resources are wanted, and attaches the
     * latest failure to the timeouts of callers that waited in vain.
     */
    R create() throws Exception;

    /**
     * Whether {@code resource}, idle for a while, still works (for a connection, a ping). Called
     * before an idle resource is lent again, when it has been idle longer than
     * {@link Pool.Builder#validateAfterIdle}. False, or an exception, destroys it and the caller
     * gets another. By default every resource is valid.
     */
    default boolean validate(R resource) throws Exception {
        return true;
    }

    /**
     * Releases what {@code resource} holds; called once per resource, when it is discarded,
     * broken, retired or the pool closes. What it throws is logged. By default it closes an
     * {@link AutoCloseable} resource and does nothing to others.
     */
    default void destroy(R resource) throws Exception {
        if (resource instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
