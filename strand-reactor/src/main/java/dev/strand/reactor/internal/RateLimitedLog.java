package dev.strand.reactor.internal;

import dev.strand.reactor.EventLoop;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Reports failures through a {@link System.Logger} without flooding it, for code that may fail
 * thousands of times a second (an accept loop at the open-file limit, a handler that always throws).
 *
 * <p>Reports are grouped by their <em>kind</em> (a name the caller picks) and the failure's class.
 * The first report of a group is logged with its stack trace. Later ones are only counted; at most
 * once per interval one line without a stack trace says how many there were ("… 12 more in the last
 * 10 s"). That line is written by the first report after the interval, or by {@link #flushDue()},
 * which the optional flush scheduler runs when an interval with suppressed reports ends.
 *
 * <p>Safe: no method throws, whatever the logger does. When the logger throws (say it cannot load
 * what its first record needs because the process is out of descriptors), the line goes to
 * {@link System#err} as plain text; when that throws too, the report is only counted
 * ({@link #lost()}). Cheap when suppressing: two map look-ups, a clock read and an atomic increment;
 * the message is pre-built by the caller and nothing is formatted. Thread-safe.
 *
 * <p>Internal to Strand: exported only to {@code dev.strand.http}.
 */
public final class RateLimitedLog {

    /** The default interval between summaries of one group. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** Groups beyond this many share one per kind, so failures of endless new classes cannot grow the map. */
    static final int MAX_GROUPS = 128;
    /** The group key of reports without a failure. */
    private static final Class<?> NO_FAILURE = Void.class;
    /** The group key, per kind, of failures beyond {@link #MAX_GROUPS}. */
    private static final Class<?> OVERFLOW = Throwable.class;

    private final System.Logger logger;
    private final long intervalNanos;
    /** Null for {@link System#nanoTime()}: no lambda to spin on a server's way to its first response. */
    private final LongSupplier nanoClock;
    private final BiConsumer<Duration, Runnable> flushScheduler;
    /** When not null, summaries of quiet spells run on this loop's timers. */
    private final EventLoop flushLoop;
    private final ConcurrentHashMap<String, ConcurrentHashMap<Class<?>, Group>> kinds = new ConcurrentHashMap<>();
    private final AtomicInteger groups = new AtomicInteger();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicLong lost = new AtomicLong();

    static {
        // Load the group class with this one, not at the first report: out of descriptors, loading
        // a class from a directory on the class path fails.
        Group.class.getName();
    }

    /**
     * Reports to {@code logger}, one summary per group per {@link #DEFAULT_INTERVAL}; summaries of
     * quiet spells run on {@code flushLoop}'s timers.
     */
    public RateLimitedLog(System.Logger logger, EventLoop flushLoop) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.intervalNanos = DEFAULT_INTERVAL.toNanos();
        this.nanoClock = null;
        this.flushScheduler = null;
        this.flushLoop = Objects.requireNonNull(flushLoop, "flushLoop");
    }

    /**
     * Reports to {@code logger}, one summary per group per {@code interval}.
     *
     * @param nanoClock      the time, in {@link System#nanoTime()} units (tests pass their own)
     * @param flushScheduler runs a task after a delay (say on a loop's timer); when not null it is
     *                       asked to run {@link #flushDue()} at the end of an interval in which
     *                       reports were suppressed, so their count is written on time even if no
     *                       report follows. Its failures are ignored.
     */
    public RateLimitedLog(System.Logger logger, Duration interval, LongSupplier nanoClock,
                          BiConsumer<Duration, Runnable> flushScheduler) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.intervalNanos = interval.toNanos();
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.flushScheduler = flushScheduler;
        this.flushLoop = null;
    }

    /**
     * Reports {@code failure} (may be null) of {@code kind} with {@code message}, which should be
     * pre-built: it is only used when a line is written. Never throws. Any thread.
     */
    public void report(String kind, System.Logger.Level level, String message, Throwable failure) {
        try {
            Group group = group(kind, failure == null ? NO_FAILURE : failure.getClass(), level, message);
            if (group == null) {
                write(level, message, failure); // the first of its group: with the stack trace
                return;
            }
            long now = now();
            long start = group.windowStart.get();
            if (now - start < intervalNanos || !group.windowStart.compareAndSet(start, now)) {
                if (group.suppressed.getAndIncrement() == 0) {
                    scheduleFlush(intervalNanos - (now - start));
                }
                return;
            }
            long more = group.suppressed.getAndSet(0);
            String line = failure == null ? message : message + ": " + failure;
            write(level, more == 0 ? line : line + " (" + more + " more in the last " + seconds(now - start) + " s)", null);
        } catch (Throwable t) {
            lost.incrementAndGet(); // out of memory, most likely: nothing more can be done
        }
    }

    /**
     * Writes the summary of every group whose interval has ended with reports suppressed. Never
     * throws. Any thread.
     */
    public void flushDue() {
        try {
            long now = now();
            for (ConcurrentHashMap<Class<?>, Group> byClass : kinds.values()) {
                for (Group group : byClass.values()) {
                    long start = group.windowStart.get();
                    if (group.suppressed.get() > 0 && now - start >= intervalNanos
                            && group.windowStart.compareAndSet(start, now)) {
                        long more = group.suppressed.getAndSet(0);
                        if (more > 0) {
                            write(group.level, group.message + " (" + more + " more in the last "
                                    + seconds(now - start) + " s)", null);
                        }
                    }
                }
            }
        } catch (Throwable t) {
            lost.incrementAndGet();
        }
    }

    /** Lines that could be written neither to the logger nor to {@link System#err}. Any thread. */
    public long lost() {
        return lost.get();
    }

    /**
     * The group of {@code kind} and {@code type}, or null when this report created it (the caller
     * then writes the report in full).
     */
    private Group group(String kind, Class<?> type, System.Logger.Level level, String message) {
        ConcurrentHashMap<Class<?>, Group> byClass = kinds.get(kind);
        if (byClass == null) {
            byClass = kinds.computeIfAbsent(kind, k -> new ConcurrentHashMap<>(4));
        }
        Group group = byClass.get(type);
        if (group != null) {
            return group;
        }
        if (groups.get() >= MAX_GROUPS) {
            type = OVERFLOW;
            group = byClass.get(type);
            if (group != null) {
                return group;
            }
        }
        Group created = new Group(now(), level, message);
        group = byClass.putIfAbsent(type, created);
        if (group != null) {
            return group; // another thread was first
        }
        groups.incrementAndGet();
        return null;
    }

    private void scheduleFlush(long delayNanos) {
        if ((flushScheduler == null && flushLoop == null) || !flushScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            Duration delay = Duration.ofNanos(Math.max(0, delayNanos));
            if (flushLoop != null) {
                flushLoop.addTimer(delay, this::scheduledFlush);
            } else {
                flushScheduler.accept(delay, this::scheduledFlush);
            }
        } catch (Throwable t) {
            flushScheduled.set(false); // the next suppressed report tries again
        }
    }

    private long now() {
        return nanoClock == null ? System.nanoTime() : nanoClock.getAsLong();
    }

    private void scheduledFlush() {
        flushScheduled.set(false);
        flushDue();
    }

    /** Writes {@code line}, with the stack trace of {@code failure} unless it is null. */
    private void write(System.Logger.Level level, String line, Throwable failure) {
        try {
            if (failure != null) {
                logger.log(level, line, failure);
            } else {
                logger.log(level, line);
            }
        } catch (Throwable loggerFailure) {
            fallback(level, line, failure, loggerFailure);
        }
    }

    /** A plain line on {@link System#err}, built from pieces so nothing but the printing can fail. */
    private void fallback(System.Logger.Level level, String line, Throwable failure, Throwable loggerFailure) {
        try {
            PrintStream err = System.err;
            synchronized (err) {
                err.print(level.name());
                err.print(' ');
                err.print(logger.getName());
                err.print(": ");
                err.print(line);
                if (failure != null) {
                    err.print(": ");
                    err.print(failure.getClass().getName());
                    err.print(": ");
                    err.print(failure.getMessage());
                }
                err.print(" [the logger failed: ");
                err.print(loggerFailure.getClass().getName());
                err.println(']');
            }
        } catch (Throwable t) {
            lost.incrementAndGet();
        }
    }

    private static long seconds(long nanos) {
        return Math.max(1, Math.round(nanos / 1e9));
    }

    /** Reports of one kind and failure class. */
    private static final class Group {
        /** When the current interval began; the first report's time, then each summary's. */
        final AtomicLong windowStart;
        final AtomicLong suppressed = new AtomicLong();
        final System.Logger.Level level;
        final String message;

        Group(long windowStart, System.Logger.Level level, String message) {
            this.windowStart = new AtomicLong(windowStart);
            this.level = level;
            this.message = message;
        }
    }
}
