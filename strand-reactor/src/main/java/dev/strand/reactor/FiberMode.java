package dev.strand.reactor;

/**
 * Who carries the fibers (virtual threads) a loop starts.
 */
public enum FiberMode {
    /** The loop carries its fibers when the carrier hook works, else the JDK's scheduler (logged once). */
    AUTO,
    /** The loop carries its fibers; building a reactor fails when the hook is unavailable. */
    LOOP_CARRIER,
    /** The JDK's default scheduler carries the fibers; the loop only hands work to them. */
    JDK_SCHEDULER
}
