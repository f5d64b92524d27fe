package dev.strand.admission;

import java.time.Duration;

/**
 * A limit that grows by one for each unit of work that went well while the limit was in use, and
 * shrinks by a factor when one was dropped (timed out, missed its deadline) or took longer than its
 * timeout, at most once per round trip (work granted before the last decrease ran at the old
 * figure): additive increase, multiplicative decrease, as TCP does. It finds the
 * concurrency a backend can take without being told it, and backs off fast when the backend
 * struggles.
 *
 * <ul>
 *   <li>It only grows while at least half of it is in use: a limit that is not being reached learns
 *       nothing about whether it could be higher, and must not drift up on idle success.</li>
 *   <li>It stays between {@link Builder#min} and {@link Builder#max}.</li>
 * </ul>
 *
 * <pre>{@code
 * Limit limit = AimdLimit.builder().name("backend").initial(20).min(2).max(200)
 *         .timeout(Duration.ofMillis(500)).build();
 * }</pre>
 *
 * <p>Thread-safe; see {@link Limit} for the contract.
 */
public final class AimdLimit extends QueuedLimit {

    private final int min;
    private final int max;
    private final double backoff;
    private final long timeoutNanos;
    private double limit;
    /** When the figure last went down: work granted before it may not take it down again (one decrease per round trip). */
    private long lastDecrease = Long.MIN_VALUE;

    private AimdLimit(Builder b) {
        b.checkRange();
        super(b);
        this.min = b.min;
        this.max = b.max;
        this.backoff = b.backoff;
        this.timeoutNanos = b.timeout.toNanos();
        this.limit = Math.clamp(b.initial, b.min, b.max);
    }

    /** A builder: initial 20, min 1, max 1,000, backoff 0.9, timeout 5 s. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    int permits() {
        return (int) limit;
    }

    @Override
    void sample(long rttNanos, int inFlightAtStart, boolean dropped, long now) {
        if (dropped || rttNanos > timeoutNanos) {
            if (now - rttNanos >= lastDecrease) {
                limit = Math.max(min, limit * backoff);
                lastDecrease = now;
            }
        } else if (inFlightAtStart * 2 >= (int) limit) {
            limit = Math.min(max, limit + 1);
        }
    }

    /** Builds an {@link AimdLimit}. Not thread-safe. */
    public static final class Builder extends AdaptiveLimitBuilder<Builder, AimdLimit> {
        private Duration timeout = Duration.ofSeconds(5);

        private Builder() {
            super(1);
        }





        /** Work that takes longer than this counts as dropped; 5 s by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout, "a timeout");
            return this;
        }

        @Override
        public AimdLimit build() {
            return new AimdLimit(this);
        }
    }
}
