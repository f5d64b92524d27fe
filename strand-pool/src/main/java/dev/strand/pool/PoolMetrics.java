package dev.strand.pool;

/**
 * A snapshot of a {@link Pool}'s gauges and counters, taken by {@link Pool#metrics()} without
 * stopping the pool: under concurrent use a gauge may be off by the acquires and returns in flight,
 * though {@code size == inUse + idle} always holds. Counters run from the pool's start.
 *
 * @param size             the resources that exist: in use plus idle (not those being created)
 * @param inUse            resources lent out
 * @param idle             resources ready to lend
 * @param waiters          callers waiting for a resource now
 * @param creating         creations under way (at most {@link Pool.Builder#maxConcurrentCreations})
 * @param creations        resources created
 * @param creationFailures creations that failed
 * @param destructions     resources given up: discarded, broken, retired or closed
 * @param timeouts         acquires that gave up waiting
 * @param rejections       acquires refused at once because {@link Pool.Builder#maxWaiters} were waiting
 * @param waitTimes        how long the successful acquires waited; its count is theirs
 */
public record PoolMetrics(
        int size,
        int inUse,
        int idle,
        int waiters,
        int creating,
        long creations,
        long creationFailures,
        long destructions,
        long timeouts,
        long rejections,
        WaitTimes waitTimes) {
}
