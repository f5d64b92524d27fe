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
 * <p>Time is {@link System#nanoTime()}, so a deadline is immune to wall-clock changes. Immutable and
 * thread-safe.
 */
public final class Deadline {

    private static final ScopedValue<Deadline> CURRENT = ScopedValue.newInstance();
    /** Longer timeouts are cut to this (about 73 years), so that deadline arithmetic cannot overflow. */
    private static final long MAX_NANOS = Long.MAX_VALUE / 4;

    /** In {@link System#nanoTime()}'s terms. */
    private final long nanoTime;

    private Deadline(long nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * The deadline {@code timeout} from now; a zero or negative timeout gives one already passed.
     * Any thread.
     */
    public static Deadline after(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long nanos;
        try {
            nanos = Math.clamp(timeout.toNanos(), -MAX_NANOS, MAX_NANOS);
        } catch (ArithmeticException e) {
            nanos = timeout.isNegative() ? -MAX_NANOS : MAX_NANOS;
        }
        return new Deadline(System.nanoTime() + nanos);
    }

    /** The deadline in force for the caller, if any was bound around it. Any thread. */
    public static Optional<Deadline> current() {
        return CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
    }

    /** The time left until this deadline; zero once it has passed, never negative. Any thread. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, nanoTime - System.nanoTime()));
    }

    /** Whether this deadline has passed. Any thread. */
    public boolean isExpired() {
        return nanoTime - System.nanoTime() <= 0;
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
            if (enclosing.nanoTime - nanoTime < 0) {
                return enclosing;
            }
        }
        return this;
    }

    @Override
    public String toString() {
        long left = nanoTime - System.nanoTime();
        return left > 0
                ? "deadline in " + Duration.ofNanos(left).toMillis() + " ms"
                : "deadline passed " + Duration.ofNanos(-left).toMillis() + " ms ago";
    }
}
