package dev.strand.admission;

/**
 * What the builders of the adaptive limits ({@link AimdLimit}, {@link GradientLimit}) set besides
 * {@link LimitBuilder}'s: where the figure starts, the range it stays in, and how hard a drop cuts
 * it. Setters check their argument; {@code build()} fails when min is above max. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by each setter
 * @param <L> the limit it builds
 */
public abstract sealed class AdaptiveLimitBuilder<B extends AdaptiveLimitBuilder<B, L>, L extends Limit>
        extends LimitBuilder<B, L> permits AimdLimit.Builder, GradientLimit.Builder {

    int initial = 20;
    int min;
    int max = 1_000;
    double backoff = 0.9;

    AdaptiveLimitBuilder(int defaultMin) {
        this.min = defaultMin;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The figure it starts at (clamped to min and max); 20 by default. */
    public B initial(int initial) {
        this.initial = atLeastOne(initial, "initial");
        return self();
    }

    /** The least it shrinks to; see the limit's builder for the default. */
    public B min(int min) {
        this.min = atLeastOne(min, "min");
        return self();
    }

    /** The most it grows to; 1,000 by default. */
    public B max(int max) {
        this.max = atLeastOne(max, "max");
        return self();
    }

    /**
     * The factor it shrinks by on a drop, in [0.5, 1); 0.9 by default.
     *
     * @throws IllegalArgumentException out of that range
     */
    public B backoff(double backoff) {
        if (!(backoff >= 0.5 && backoff < 1)) {
            throw new IllegalArgumentException("backoff must be in [0.5, 1): " + backoff);
        }
        this.backoff = backoff;
        return self();
    }

    /** Checks min against max, before a limit is made. */
    void checkRange() {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " is above max " + max);
        }
    }
}
