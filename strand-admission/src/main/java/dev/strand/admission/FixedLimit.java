package dev.strand.admission;

/**
 * A fixed number of permits, with a bounded queue: the simplest limit, and the right one in front of
 * a resource of known size (a pool of N connections admits about N requests that use it).
 *
 * <pre>{@code
 * Limit limit = FixedLimit.builder().name("reports").permits(8).queueLength(32).build();
 * }</pre>
 *
 * <p>Thread-safe; see {@link Limit} for the contract.
 */
public final class FixedLimit extends QueuedLimit {

    private final int permits;

    private FixedLimit(Builder b) {
        super(b);
        this.permits = b.permits;
    }

    /** A builder of a limit of 10 permits, 100 queued, one second of queue timeout. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    int permits() {
        return permits;
    }

    @Override
    void sample(long rttNanos, int inFlightAtStart, boolean dropped, long now) {
        // Fixed: nothing to learn.
    }

    /** Builds a {@link FixedLimit}. Not thread-safe. */
    public static final class Builder extends LimitBuilder<Builder, FixedLimit> {
        private int permits = 10;

        private Builder() {
        }

        /**
         * How many units of work run at once; 10 by default.
         *
         * @throws IllegalArgumentException when less than one
         */
        public Builder permits(int permits) {
            this.permits = atLeastOne(permits, "permits");
            return this;
        }

        @Override
        public FixedLimit build() {
            return new FixedLimit(this);
        }
    }
}
