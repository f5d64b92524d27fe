package dev.strand.reactor;

import java.time.Duration;

/**
 * What a reactor does when its loops keep catching {@link OutOfMemoryError}s; set with
 * {@link Reactor.Builder#outOfMemoryPolicy}.
 *
 * <p>Under either policy a loop survives one: a task, timer or end-of-turn action that ran out of
 * memory is dropped, an I/O handler's channel is closed, and the error is counted
 * ({@link Failure#OUT_OF_MEMORY}) and reported with a message built in advance. One such error is
 * often local (a huge request, a leak in one handler) and the heap recovers once that work is gone.
 * When they persist, the process is more likely half-dead: loops that stall in every allocation,
 * and clients that wait on connections that will never answer.
 */
public enum OutOfMemoryPolicy {

    /**
     * The default: when {@link #PERSISTENT_COUNT} errors arrive within {@link #PERSISTENT_WINDOW}
     * across the reactor's loops and fibers, write one line (allocated in advance) to standard error
     * and end the JVM at once with {@link Runtime#halt} and status {@link #HALT_STATUS}, so a
     * supervisor can restart it. Shutdown hooks do not run: a graceful stop needs the memory and
     * threads that are failing.
     */
    HALT_WHEN_PERSISTENT,

    /** Survive every one: count, report and go on, for a process that has its own watchdog. */
    SURVIVE;

    /** How many errors make them persistent, with {@link #PERSISTENT_WINDOW}. */
    public static final int PERSISTENT_COUNT = 3;
    /** The time within which {@link #PERSISTENT_COUNT} errors make them persistent. */
    public static final Duration PERSISTENT_WINDOW = Duration.ofSeconds(10);
    /**
     * The exit status of a JVM halted by {@link #HALT_WHEN_PERSISTENT}: 3, as with the JVM's own
     * {@code -XX:+ExitOnOutOfMemoryError}, so supervisors can treat both alike.
     */
    public static final int HALT_STATUS = 3;
}
