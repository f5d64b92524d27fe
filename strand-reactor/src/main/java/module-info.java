/**
 * Strand's reactor: per-core event loops over NIO selectors, loop-carried fibers and timers.
 *
 * <p>Loop-carried fibers need {@code --add-opens java.base/java.lang=dev.strand.reactor} (or
 * {@code =ALL-UNNAMED} on the class path); without it fibers run on the JDK's scheduler.
 */
module dev.strand.reactor {
    exports dev.strand.reactor;
}
