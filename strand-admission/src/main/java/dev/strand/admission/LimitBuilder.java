package dev.strand.admission;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What every limit's builder sets: its name, its queue (length, timeout, order), the
 * {@code Retry-After} its rejections carry, the {@link QosSwitch} it follows, and the clock it times
 * work with. Setters check their argument. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by each setter
 * @param <L> the limit it builds
 */
public abstract sealed class LimitBuilder<B extends LimitBuilder<B, L>, L extends Limit>
        permits FixedLimit.Builder, AdaptiveLimitBuilder {

    String name = "limit";
    int queueLength = 100;
    Duration queueTimeout = Duration.ofSeconds(1);
    boolean lifo;
    Duration retryAfter = Duration.ofSeconds(1);
    Optional<QosSwitch> qos = Optional.empty();
    LongSupplier clock = System::nanoTime;

    LimitBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The name rejections and stats carry; {@code "limit"} by default. */
    public B name(String name) {
        if (Objects.requireNonNull(name, "name").isBlank()) {
            throw new IllegalArgumentException("a limit's name must not be blank");
        }
        this.name = name;
        return self();
    }

    /**
     * How many units of work may wait for a permit; past it, work is turned away at once. Zero means
     * no queue: work runs now or not at all. 100 by default.
     *
     * @throws IllegalArgumentException when negative
     */
    public B queueLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("a queue length must not be negative: " + length);
        }
        this.queueLength = length;
        return self();
    }

    /**
     * How long work may wait in the queue before it is turned away; one second by default. A deadline
     * in force that comes earlier ends the wait earlier.
     *
     * @throws IllegalArgumentException when not positive
     */
    public B queueTimeout(Duration timeout) {
        this.queueTimeout = positive(timeout, "a queue timeout");
        return self();
    }

    /**
     * Serve the queue newest first. Under a sustained overload the oldest waiters are the ones whose
     * clients are likeliest to have given up; serving the newest keeps the latency of the work that
     * does run low, at the price of fairness. First come, first served by default.
     */
    public B lifo(boolean lifo) {
        this.lifo = lifo;
        return self();
    }

    /** What a rejection tells the client to wait before retrying; one second by default. */
    public B retryAfter(Duration retryAfter) {
        this.retryAfter = positive(retryAfter, "Retry-After");
        return self();
    }

    /** The switch whose {@link QosLevel} this limit follows; without one it stays at normal. */
    public B qos(QosSwitch qos) {
        this.qos = Optional.of(Objects.requireNonNull(qos, "qos"));
        return self();
    }

    /**
     * The clock that times work from its permit to its return, in nanoseconds ({@link System#nanoTime}
     * by default): what adaptive limits learn from. For simulations and tests; queue timeouts and
     * deadlines keep the real clock.
     */
    public B clock(LongSupplier nanoTime) {
        this.clock = Objects.requireNonNull(nanoTime, "nanoTime");
        return self();
    }

    /** The limit. The builder may go on being used; what it builds later is independent. */
    public abstract L build();

    static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }

    static int atLeastOne(int n, String what) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be at least 1: " + n);
        }
        return n;
    }
}
