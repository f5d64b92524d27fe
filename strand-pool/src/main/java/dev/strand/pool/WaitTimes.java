package dev.strand.pool;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long successful acquires waited, counted in fixed buckets on a log scale: bucket 0 holds
 * waits under 1 µs (a free resource), bucket {@code i} waits from 2<sup>i-1</sup> up to
 * 2<sup>i</sup> µs, and the last bucket everything from about 9 minutes up. The wait runs from the
 * call to {@link Pool#acquire()} until it returns; failed acquires are counted in
 * {@link PoolMetrics#timeouts()} and {@link PoolMetrics#rejections()} instead.
 *
 * <p>An immutable snapshot, taken by {@link Pool#metrics()}.
 */
public final class WaitTimes {

    private static final int BUCKETS = 31;

    private final long[] counts;
    private final long total;

    private WaitTimes(long[] counts) {
        this.counts = counts;
        long sum = 0;
        for (long count : counts) {
            sum += count;
        }
        this.total = sum;
    }

    /** The number of buckets. */
    public int buckets() {
        return BUCKETS;
    }

    /** The waits counted in {@code bucket}. */
    public long count(int bucket) {
        return counts[bucket];
    }

    /** All waits counted: the number of successful acquires. */
    public long count() {
        return total;
    }

    /**
     * The waits in {@code bucket} were shorter than this; the last bucket's bound is
     * {@link ChronoUnit#FOREVER}'s duration.
     */
    public Duration upperBound(int bucket) {
        if (bucket < 0 || bucket >= BUCKETS) {
            throw new IndexOutOfBoundsException("bucket " + bucket + " of " + BUCKETS);
        }
        return bucket == BUCKETS - 1 ? ChronoUnit.FOREVER.getDuration() : Duration.ofNanos(1000L << bucket);
    }

    /**
     * The upper bound of the bucket that holds the {@code q}-quantile of the waits (0.5 for the
     * median, 1 for the longest): the wait is shorter than this, and longer than half of it unless
     * it is in bucket 0. Zero when nothing was counted.
     *
     * @throws IllegalArgumentException when {@code q} is not within 0 and 1
     */
    public Duration quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be within 0 and 1: " + q);
        }
        if (total == 0) {
            return Duration.ZERO;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            seen += counts[bucket];
            if (seen >= rank) {
                return upperBound(bucket);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** E.g. {@code 1200 waits: p50 < 1 µs, p99 < 2048 µs, max < 4096 µs}. */
    @Override
    public String toString() {
        return total + " waits: p50 < " + micros(quantile(0.5)) + ", p99 < " + micros(quantile(0.99))
                + ", max < " + micros(quantile(1));
    }

    private static String micros(Duration bound) {
        return bound.equals(ChronoUnit.FOREVER.getDuration()) ? "forever" : bound.toNanos() / 1000 + " µs";
    }

    /** Counts waits without locks; any thread. */
    static final class Recorder {
        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

        void record(long nanos) {
            long micros = nanos / 1000;
            // 0 -> 0, 1 -> 1, 2..3 -> 2, 4..7 -> 3, ...: the position of the highest bit.
            int bucket = Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(Math.max(0, micros)));
            counts.getAndIncrement(bucket);
        }

        WaitTimes snapshot() {
            long[] copy = new long[BUCKETS];
            for (int i = 0; i < BUCKETS; i++) {
                copy[i] = counts.get(i);
            }
            return new WaitTimes(copy);
        }
    }
}
