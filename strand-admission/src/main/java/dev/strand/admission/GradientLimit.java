package dev.strand.admission;

import java.time.Duration;

/**
 * A limit that follows the latency of the work it admits: while work takes about as long as it
 * does unloaded, the limit grows; when it takes longer (work queues up behind the limit, in a pool or
 * a backend), the limit shrinks in proportion. It finds a backend's capacity from timing alone.
 *
 * <p>How: the gradient is {@code tolerance × baseline / recent}, clamped to [0.5, 1], where
 * {@code recent} is a moving average of recent latencies and {@code baseline} the least latency seen
 * since the last probe. Below 1 (work queues up), the figure moves half way to
 * {@code limit × gradient}; at 1, it grows by about {@code √limit} per round trip while at least half
 * of it is in use. A dropped unit of work (timed out, missed its deadline) shrinks it by
 * {@link Builder#backoff}. It goes down at most once per round trip: work granted before the last
 * decrease ran at the old figure, and is not evidence against the new one. It stays between
 * {@link Builder#min} and {@link Builder#max}.
 *
 * <p>Why the probe: gradient limits that take their baseline from a long moving average climb
 * without bound under a steady overload, because the average catches up with the overloaded latency
 * and the gradient returns to 1. Here the baseline can only go down between probes; every
 * {@link Builder#probeInterval} the limit halves itself for a few samples and takes the least latency
 * seen at that lower concurrency as the new baseline. A backend that really became slower is so
 * learnt, and queueing never is, since the probe measures with half the queue gone.
 *
 * <pre>{@code
 * Limit limit = GradientLimit.builder().name("db").initial(16).min(4).max(256).build();
 * }</pre>
 *
 * <p>Thread-safe; see {@link Limit} for the contract.
 */
public final class GradientLimit extends QueuedLimit {

    /** How far one decrease goes toward {@code limit × gradient}: half way. */
    private static final double DECREASE_WEIGHT = 0.5;
    /** The recent-latency average's weight of a new sample: about the last ten. */
    private static final double RECENT_WEIGHT = 2.0 / 11;

    private final int min;
    private final int max;
    private final double tolerance;
    private final double backoff;
    private final long probeIntervalNanos;

    private double limit;
    /**
     * When the figure last went down. Work granted before it was admitted at the old, higher figure,
     * and its latency says nothing about the new one: it may not take the figure down again, or one
     * round trip of such samples would cut it to the minimum (and the next overshoot, and so on).
     */
    private long lastDecrease = Long.MIN_VALUE;
    /** The figure just before the last decrease: what later evidence within its round trip deepens. */
    private double beforeDecrease;
    private double recent = Double.NaN;
    private long baseline = Long.MAX_VALUE;
    private long nextProbe;
    private boolean probing;
    private int probeLimit;
    private int probeSamples;
    private long probeLeast;

    private GradientLimit(Builder b) {
        b.checkRange();
        super(b);
        this.min = b.min;
        this.max = b.max;
        this.tolerance = b.tolerance;
        this.backoff = b.backoff;
        this.probeIntervalNanos = b.probeInterval.toNanos();
        this.limit = Math.clamp(b.initial, b.min, b.max);
        this.nextProbe = clock.getAsLong() + probeIntervalNanos;
    }

    /** A builder: initial 20, min 2, max 1,000, tolerance 1.5, backoff 0.9, a probe every 10 s. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    int permits() {
        return probing ? probeLimit : (int) limit;
    }

    @Override
    void sample(long rttNanos, int inFlightAtStart, boolean dropped, long now) {
        boolean beforeLastDecrease = now - rttNanos < lastDecrease;
        if (dropped) {
            if (!beforeLastDecrease) {
                limit = Math.max(min, limit * backoff);
                lastDecrease = now;
            }
            return; // a drop's latency is the timeout's, not the work's: no sample
        }
        if (probing) {
            probe(rttNanos, inFlightAtStart, now);
            return;
        }
        long rtt = Math.max(1, rttNanos);
        baseline = Math.min(baseline, rtt);
        recent = Double.isNaN(recent) ? rtt : recent + (rtt - recent) * RECENT_WEIGHT;
        double gradient = Math.clamp(tolerance * baseline / recent, 0.5, 1.0);
        if (gradient < 1.0) {
            // One decrease per round trip: later samples of the same round trip may deepen it, as
            // the average shows the queueing more fully, but not compound it.
            if (!beforeLastDecrease) {
                beforeDecrease = limit;
                lastDecrease = now;
            }
            limit = Math.max(min, Math.min(limit, beforeDecrease * (1 - DECREASE_WEIGHT * (1 - gradient))));
        } else if (inFlightAtStart * 2 >= (int) limit) {
            // About one sample per permit comes back per round trip: √limit of growth per round trip.
            limit = Math.min(max, limit + 1 / Math.sqrt(limit));
        }
        if (now - nextProbe >= 0) {
            probing = true;
            probeLimit = Math.max(min, (int) limit / 2);
            probeSamples = 0;
            probeLeast = Long.MAX_VALUE;
        }
    }

    /**
     * A sample while probing: only work granted at the probe's concurrency counts. After enough of
     * them, their least latency is the new baseline.
     */
    private void probe(long rttNanos, int inFlightAtStart, long now) {
        if (inFlightAtStart <= probeLimit) {
            probeLeast = Math.min(probeLeast, Math.max(1, rttNanos));
            probeSamples++;
        }
        if (probeSamples >= Math.max(5, probeLimit)) {
            baseline = probeLeast;
            probing = false;
            nextProbe = now + probeIntervalNanos;
        }
    }

    /** Builds a {@link GradientLimit}. Not thread-safe. */
    public static final class Builder extends AdaptiveLimitBuilder<Builder, GradientLimit> {
        private double tolerance = 1.5;
        private Duration probeInterval = Duration.ofSeconds(10);

        private Builder() {
            super(2);
        }




        /**
         * How much slower than the baseline recent work may be before the limit shrinks: 1.5 (50 %)
         * by default, at least 1.
         */
        public Builder tolerance(double tolerance) {
            if (!(tolerance >= 1.0 && tolerance <= 10.0)) {
                throw new IllegalArgumentException("tolerance must be in [1, 10]: " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }


        /** How often it re-measures its baseline at half its figure; 10 s by default. */
        public Builder probeInterval(Duration interval) {
            this.probeInterval = positive(interval, "a probe interval");
            return this;
        }

        @Override
        public GradientLimit build() {
            return new GradientLimit(this);
        }
    }
}
