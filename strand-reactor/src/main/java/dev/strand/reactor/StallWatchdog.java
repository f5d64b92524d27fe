package dev.strand.reactor;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Reports loop turns that run longer than a threshold: a task, handler or fiber that computes or
 * blocks on a loop holds up everything else on it.
 *
 * <p>The loops pay almost nothing for it: each writes, with an opaque store, when its current turn
 * began ({@link EventLoop#turnStarted()}), or {@link #IDLE} while it sleeps in select, which is
 * never a stall; a loop that carries fibers also lists each as it starts and ends
 * ({@link CarriedFibers}), since its thread's stack does not show the fiber it carries. This
 * daemon thread, one per reactor, reads those stamps every half threshold; a stamp older than the
 * threshold is a stall (not counting the time by which this thread itself woke late: then the whole
 * process was paused, by a collection say, or starved of CPU, which is no turn's fault), reported once: at WARNING through {@code System.Logger}
 * ({@code dev.strand.reactor.StallWatchdog}) with the loop thread's stack, the task or fiber that
 * holds it and, for a fiber, the fiber's own stack; and counted ({@link EventLoop#stalls()}).
 * What is named is what ran when the stall was seen: a turn made long by many short tasks or
 * fibers names one of them.
 */
final class StallWatchdog {

    /** A loop's turn stamp while it sleeps in select. */
    static final long IDLE = Long.MIN_VALUE;
    /** The smallest threshold: the watchdog wakes every half threshold. */
    static final Duration MIN_THRESHOLD = Duration.ofMillis(10);
    static final Duration DEFAULT_THRESHOLD = Duration.ofMillis(100);
    private static final System.Logger LOG = System.getLogger(StallWatchdog.class.getName());
    /** Frames per stack in a report. */
    private static final int MAX_FRAMES = 48;

    private final List<EventLoop> loops;
    private final long thresholdNanos;
    private final long periodNanos;
    // On the watchdog's thread only:
    /** Per loop, the turn stamp last reported: a stall is reported once. */
    private final long[] reported;
    /** Per loop, the turn stamp last seen, and {@link #paused} when it was first seen. */
    private final long[] seen;
    private final long[] pausedWhenSeen;
    /**
     * How long, in all, this thread has woken later than it asked: time in which the whole process
     * was paused (a collection, a safepoint) or starved of CPU. A turn is not blamed for it.
     */
    private long paused;
    private final Thread thread;
    private volatile boolean stopped;

    StallWatchdog(String name, List<EventLoop> loops, Duration threshold) {
        this.loops = loops;
        this.thresholdNanos = threshold.toNanos();
        this.periodNanos = thresholdNanos / 2;
        this.reported = new long[loops.size()];
        this.seen = new long[loops.size()];
        this.pausedWhenSeen = new long[loops.size()];
        java.util.Arrays.fill(reported, IDLE);
        java.util.Arrays.fill(seen, IDLE);
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
    }

    Duration threshold() {
        return Duration.ofNanos(thresholdNanos);
    }

    void start() {
        thread.start();
    }

    /** Stops the watchdog's thread soon. Any thread. */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    private void run() {
        long lastWake = System.nanoTime();
        while (!stopped) {
            LockSupport.parkNanos(periodNanos);
            long now = System.nanoTime();
            long late = Math.max(0, now - lastWake - periodNanos);
            lastWake = now;
            try {
                sample(now, late);
            } catch (Throwable t) {
                try {
                    LOG.log(System.Logger.Level.ERROR, thread.getName() + ": checking the loops failed; it goes on", t);
                } catch (Throwable ignored) {
                    // the logger itself fails: nothing left to report through; the next sample tries again
                }
            }
        }
    }

    /**
     * Reports each loop whose turn has run past the threshold, once per turn, not counting the time
     * this thread overslept: {@code late}, how much later than asked it woke for this sample. On
     * the watchdog's thread (tests call it with a clock of their own).
     */
    void sample(long now, long late) {
        paused += late;
        for (int i = 0; i < reported.length && !stopped; i++) {
            EventLoop loop = loops.get(i);
            long started = loop.turnStarted();
            if (started == IDLE || started == reported[i]) {
                continue;
            }
            if (started != seen[i]) {
                // A turn first seen now: of this wake's lateness, count as paused what fell in the turn.
                seen[i] = started;
                pausedWhenSeen[i] = paused - Math.min(late, Math.max(0, now - started));
            }
            long pausedInTurn = paused - pausedWhenSeen[i];
            long ran = now - started - pausedInTurn;
            if (ran > thresholdNanos) {
                reported[i] = started;
                loop.stalled();
                report(loop, started, ran, pausedInTurn);
            }
        }
    }

    private void report(EventLoop loop, long started, long ran, long pausedInTurn) {
        Thread carrier = loop.thread();
        StackTraceElement[] loopStack = carrier.getStackTrace();
        Optional<Thread> fiber = loop.carriesFibers() ? MountedFiber.on(carrier, loop.carriedFibers()) : Optional.empty();
        StackTraceElement[] fiberStack = fiber.map(Thread::getStackTrace).orElse(new StackTraceElement[0]);
        boolean ended = loop.turnStarted() != started;

        StringBuilder message = new StringBuilder(loop.toString())
                .append(": stalled: one turn has held the loop for ").append(TimeUnit.NANOSECONDS.toMillis(ran))
                .append(" ms (stall threshold ").append(TimeUnit.NANOSECONDS.toMillis(thresholdNanos)).append(" ms");
        if (pausedInTurn >= 1_000_000) {
            message.append("; not counting ").append(TimeUnit.NANOSECONDS.toMillis(pausedInTurn))
                    .append(" ms in which the watchdog itself was held up: the process paused, or short of CPU");
        }
        message.append("), in ");
        if (fiber.isPresent()) {
            message.append("fiber ").append(fiber.get()).append(" entered at ").append(entry(fiberStack));
        } else if (runsAFiber(loopStack)) {
            message.append("a fiber not found among the loop's (it may just have ended)");
        } else {
            message.append("a task entered at ").append(entry(loopStack));
        }
        if (ended) {
            message.append(" (the turn ended while its stack was taken: the stack may show later work)");
        }
        // The watchdog sees wall time: a loop thread kept off the CPU looks the same as a busy one.
        message.append(". Either that work ran long, or the loop's thread was kept off the CPU meanwhile"
                + " (a GC pause, the JIT's compiler threads or other processes on the same cores)");
        if (fiber.isPresent()) {
            message.append("\nThe fiber's stack:");
            append(message, fiberStack);
            message.append("\nThe stack of the loop's thread, its carrier:");
        } else {
            message.append("\nThe stack of the loop's thread:");
        }
        append(message, loopStack);
        LOG.log(System.Logger.Level.WARNING, message.toString());
    }

    /**
     * Where the work holding the loop was entered: from the bottom of {@code stack}, the first frame
     * outside the loop's machinery and the JDK; else the first outside the loop's machinery.
     */
    private static String entry(StackTraceElement[] stack) {
        String firstOutsideLoop = null;
        for (int i = stack.length - 1; i >= 0; i--) {
            String type = stack[i].getClassName();
            if (type.startsWith("dev.strand.reactor.EventLoop")) {
                continue;
            }
            if (firstOutsideLoop == null) {
                firstOutsideLoop = stack[i].toString();
            }
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return stack[i].toString();
            }
        }
        return firstOutsideLoop != null ? firstOutsideLoop : "an unknown frame";
    }

    /** Whether {@code stack}, a carrier's, runs a virtual thread. */
    private static boolean runsAFiber(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals("java.lang.VirtualThread")) {
                return true;
            }
        }
        return false;
    }

    private static void append(StringBuilder message, StackTraceElement[] stack) {
        int shown = Math.min(stack.length, MAX_FRAMES);
        for (int i = 0; i < shown; i++) {
            message.append("\n\tat ").append(stack[i]);
        }
        if (stack.length > shown) {
            message.append("\n\t... ").append(stack.length - shown).append(" more");
        }
    }
}
