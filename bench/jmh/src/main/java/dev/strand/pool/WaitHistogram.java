package dev.strand.pool;

/**
 * Waits in nanoseconds, counted in log-linear buckets (16 per power of two, so within about 6 %):
 * folded in by one thread, after the waits were recorded without sharing.
 */
final class WaitHistogram {

    private static final int SUB = 16;
    private final long[] counts = new long[64 * SUB];
    private long total;

    void addAll(long[] nanos) {
        for (long n : nanos) {
            counts[bucket(Math.max(1, n))]++;
        }
        total += nanos.length;
    }

    /** The upper edge of the bucket that holds the {@code q}-quantile, in microseconds. */
    double quantileMicros(double q) {
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int b = 0; b < counts.length; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return upperEdge(b) / 1000.0;
            }
        }
        return Double.NaN;
    }

    private static int bucket(long n) {
        int exponent = 63 - Long.numberOfLeadingZeros(n);
        if (exponent < 4) {
            return (int) n; // 1..15 ns: exact
        }
        int mantissa = (int) (n >>> (exponent - 4)) & (SUB - 1);
        return exponent * SUB + mantissa;
    }

    private static long upperEdge(int bucket) {
        int exponent = bucket / SUB;
        int mantissa = bucket % SUB;
        if (exponent < 4) {
            return bucket + 1;
        }
        return (long) (SUB + mantissa + 1) << (exponent - 4);
    }
}
