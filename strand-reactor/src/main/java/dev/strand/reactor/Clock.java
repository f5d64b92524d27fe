package dev.strand.reactor;

/**
 * Where a reactor reads the time: every timer, turn stamp, deadline and timeout of its loops, and of
 * the layers on them (TCP connections, the HTTP engine), reads this clock and nothing else, so a test
 * that owns the clock owns the reactor's time.
 *
 * <p>Two readings, as the JDK has them: a monotonic one for intervals and deadlines, and the wall
 * clock for what is shown (a {@code Date} header, a request's start). Implementations must be
 * thread-safe and cheap (read on every turn and every request), and {@link #nanoTime()} must never go
 * backwards.
 *
 * <p>What a clock does not change: waits that park a thread for real time (a socket's timeout, an
 * await with a timeout) and the loop's sleep in select while its next timer is due. A clock that runs
 * faster or slower than real time therefore makes timers fire late or early against the real world
 * but always in their order; a clock that stands still holds every timer until it moves.
 *
 * @see Reactor.Builder#clock(Clock)
 */
public interface Clock {

    /**
     * Monotonic nanoseconds, as {@link System#nanoTime()}: only differences between two readings of
     * one clock mean anything. Any thread; never throws.
     */
    long nanoTime();

    /** Milliseconds since the epoch, as {@link System#currentTimeMillis()}. Any thread; never throws. */
    long currentTimeMillis();

    /** The JDK's clocks: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /**
     * The clock of the loop the caller runs on (its thread or a fiber it carries), else the system
     * clock. Any thread.
     */
    static Clock current() {
        return EventLoop.current().map(EventLoop::clock).orElse(SystemClock.INSTANCE);
    }
}
