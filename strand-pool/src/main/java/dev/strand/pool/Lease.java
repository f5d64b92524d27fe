package dev.strand.pool;

/**
 * The loan of one resource from a {@link Pool}, to be returned by {@link #close()}, best in a
 * try-with-resources block:
 *
 * <pre>{@code
 * try (var lease = pool.acquire()) {
 *     lease.get().send(request);
 * }
 * }</pre>
 *
 * <p>A lease ends once, by {@link #close()} or {@link #discard()}; whichever comes first wins and
 * later calls do nothing. It may end on any thread, not only the one that acquired it; ending it
 * never waits for more than the pool's internal lock and never throws.
 *
 * @param <R> the resource
 */
public interface Lease<R> extends AutoCloseable {

    /**
     * The leased resource, for the holder's use only until the lease ends. Any thread.
     *
     * @throws IllegalStateException once the lease has ended
     */
    R get();

    /**
     * Ends the lease and destroys the resource instead of returning it, e.g. when it is broken;
     * the pool creates a replacement when one is wanted. Any thread; idempotent.
     */
    void discard();

    /**
     * Ends the lease and returns the resource: to the caller that has waited longest, else to the
     * idle resources (or to be destroyed, if it has outlived the pool's max lifetime or the pool is
     * closed). Any thread; idempotent.
     */
    @Override
    void close();
}
