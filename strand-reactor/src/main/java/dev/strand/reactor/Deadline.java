package dev.strand.reactor;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A moment by which some work must be done, bound to the code that does it: a server binds one
 * around each request, and whatever that request waits on (a pool, a queue, a database call) asks
 * {@link #current()} how long it may still wait, without the deadline being passed down by hand.
 *
 * <pre>{@code
 * Deadline.after(Duration.ofMillis(200)).run(() -> {
 *     try (var lease = pool.acquire()) {   // waits 200 ms at most
 *         ...
 *     }
 * });
 * }</pre>
 *
 * <p>The binding is a {@link ScopedValue}: it holds for the code run by {@link #run} or
 * {@link #call} on the calling thread (and in {@code StructuredTaskScope} forks), and no longer. It
 * is not inherited by threads or fibers started some other way. A deadline narrows but never
 * extends the one it is bound inside: the earlier of the two is in force.
 *
 * <p>Time is a {@link Clock}'s monotonic reading (the caller's loop's, by default), so a deadline is
 * immune to wall-clock changes. Immutable and thread-safe.
 */
public final class Deadline {

    private static final ScopedValue<Deadline> CURRENT = ScopedValue.newInstance();
    /** Longer timeouts are cut to this (about 73 years), so that deadline arithmetic cannot overflow. */
    private static final long MAX_NANOS = Long.MAX_VALUE / 4;

    /** In {@link #clock}'s terms. */
    private final long nanoTime;
    private final Clock clock;

    private Deadline(long nanoTime, Clock clock) {
        this.nanoTime = nanoTime;
        this.clock = clock;
    }

    /**
     * The deadline {@code timeout} from now by the caller's {@link Clock#current() clock} (its
     * loop's, else the system's); a zero or negative timeout gives one already passed. Any thread.
     */
    public static Deadline after(Duration timeout) {
        return after(timeout, Clock.current());
    }

    /**
     * The deadline {@code timeout} from now by {@code clock}; a zero or negative timeout gives one
     * already passed. Any thread.
     */
    public static Deadline after(Duration timeout, Clock clock) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(clock, "clock");
        long nanos;
        try {
            nanos = Math.clamp(timeout.toNanos(), -MAX_NANOS, MAX_NANOS);
        } catch (ArithmeticException e) {
            nanos = timeout.isNegative() ? -MAX_NANOS : MAX_NANOS;
        }
        return new Deadline(clock.nanoTime() + nanos, clock);
    }

    /** The deadline in force for the caller, if any was bound around it. Any thread. */
    public static Optional<Deadline> current() {
        return CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
    }

    /** The time left until this deadline; zero once it has passed, never negative. Any thread. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, nanoTime - clock.nanoTime()));
    }

    /** Whether this deadline has passed. Any thread. */
    public boolean isExpired() {
        return nanoTime - clock.nanoTime() <= 0;
    }

    /**
     * Runs {@code task} on the calling thread with this deadline in force, or the one already in
     * force if that is earlier. Whatever {@code task} throws propagates; the binding ends with it.
     */
    public void run(Runnable task) {
        Objects.requireNonNull(task, "task");
        ScopedValue.where(CURRENT, narrowed()).run(task);
    }

    /**
     * Calls {@code op} on the calling thread with this deadline in force, or the one already in
     * force if that is earlier, and returns its result. Whatever {@code op} throws propagates; the
     * binding ends with it.
     */
    public <T, X extends Throwable> T call(ScopedValue.CallableOp<? extends T, X> op) throws X {
        Objects.requireNonNull(op, "op");
        return ScopedValue.where(CURRENT, narrowed()).call(op);
    }

    /** This deadline, or the enclosing one when that comes first. */
    private Deadline narrowed() {
        if (CURRENT.isBound()) {
            Deadline enclosing = CURRENT.get();
            // Compared on one clock: the time left on each, read now.
            if (enclosing.clock == clock ? enclosing.nanoTime - nanoTime < 0
                    : enclosing.nanoTime - enclosing.clock.nanoTime() < nanoTime - clock.nanoTime()) {
                return enclosing;
            }
        }
        return this;
    }

    @Override
    public String toString() {
        long left = nanoTime - clock.nanoTime();
        return left > 0
                ? "deadline in " + Duration.ofNanos(left).toMillis() + " ms"
                : "deadline passed " + Duration.ofNanos(-left).toMillis() + " ms ago";
    }
}
