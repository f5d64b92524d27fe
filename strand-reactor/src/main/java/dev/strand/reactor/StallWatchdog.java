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
 *
 * <p>A report also says what the loop's thread did meanwhile, which wall time alone cannot: from the
 * second sample that finds a turn still running, the watchdog reads the thread's CPU time, and at the
 * report its state. Blocked or waiting: the work waits while holding the loop. Runnable and on the
 * CPU for most of the window: the work computes. Runnable but mostly off the CPU: the thread was
 * kept from running (a GC pause, the JIT's compiler threads, other processes on the same cores), or
 * waits in native code. The CPU time is read only for turns already long, so that a server whose
 * loops never stall never loads {@code java.management}.
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
    /** Per loop, how many samples have found the current turn. */
    private final int[] looks;
    /** Per loop, the loop thread's CPU time and the time at the second look at the current turn; -1: not read. */
    private final long[] cpuAtSecondLook;
    private final long[] timeAtSecondLook;
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
        this.looks = new int[loops.size()];
        this.cpuAtSecondLook = new long[loops.size()];
        this.timeAtSecondLook = new long[loops.size()];
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
                looks[i] = 0;
                cpuAtSecondLook[i] = -1;
            }
            looks[i]++;
            long pausedInTurn = paused - pausedWhenSeen[i];
            long ran = now - started - pausedInTurn;
            if (ran > thresholdNanos) {
                reported[i] = started;
                loop.stalled();
                OnCpu onCpu = cpuAtSecondLook[i] < 0 ? null
                        : new OnCpu(cpuTime(loop.thread()) - cpuAtSecondLook[i], now - timeAtSecondLook[i], loop.thread().getState());
                report(loop, started, ran, pausedInTurn, onCpu);
            } else if (looks[i] == 2) {
                // Long already: worth the CPU clock from here on.
                cpuAtSecondLook[i] = cpuTime(loop.thread());
                timeAtSecondLook[i] = now;
            }
        }
    }

    /**
     * What the loop's thread did over a window of a long turn: CPU time over wall time, and its state
     * when the report was made.
     */
    record OnCpu(long cpuNanos, long wallNanos, Thread.State state) {

        /** How the report explains the stall. */
        String explain() {
            String window = "on the CPU " + TimeUnit.NANOSECONDS.toMillis(Math.max(0, cpuNanos)) + " ms of the last "
                    + TimeUnit.NANOSECONDS.toMillis(wallNanos) + " ms";
            if (state != Thread.State.RUNNABLE) {
                return ". The loop's thread is " + state + " (" + window + "): the work waits, holding the loop";
            }
            if (cpuNanos * 2 >= wallNanos) {
                return ". The loop's thread was " + window + ": the work computes";
            }
            return ". The loop's thread was runnable but " + window + ": it was kept off the CPU (a GC pause, the JIT's"
                    + " compiler threads or other processes on the same cores), or it waits in native code or I/O";
        }
    }

    /** The CPU time {@code thread} has used, in nanoseconds; -1 where the JVM cannot tell. */
    private static long cpuTime(Thread thread) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) {
            return -1;
        }
        return threads.getThreadCpuTime(thread.threadId());
    }

    private void report(EventLoop loop, long started, long ran, long pausedInTurn, OnCpu onCpu) {
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
        if (onCpu != null && onCpu.cpuNanos() >= 0 && onCpu.wallNanos() > 0) {
            message.append(onCpu.explain());
        } else {
            // Wall time only: a loop thread kept off the CPU looks the same as a busy one.
            message.append(". Either that work ran long, or the loop's thread was kept off the CPU meanwhile"
                    + " (a GC pause, the JIT's compiler threads or other processes on the same cores)");
        }
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
