/**
 * Strand's reactor: per-core event loops over NIO selectors, loop-carried fibers and timers, and
 * EventMachine's toolkit on them: deferreds, blocking work offloaded to a bounded pool, child processes.
 *
 * <p>Loop-carried fibers need {@code --add-opens java.base/java.lang=dev.strand.reactor} (or
 * {@code =ALL-UNNAMED} on the class path); without it fibers run on the JDK's scheduler. Timers
 * that wake a sleeping loop at their exact deadline (not the next whole millisecond) need, on Linux,
 * {@code --add-opens java.base/sun.nio.ch=dev.strand.reactor} and
 * {@code --enable-native-access=dev.strand.reactor}; without them timers may run up to 1 ms late.
 */
@SuppressWarnings("module") // the qualified export's target is compiled after this module
module dev.strand.reactor {
    // sun.misc.Signal, for Reactor.onSignal: the JDK has no supported API for signals.
    requires jdk.unsupported;
    // The stall watchdog reads a long turn's CPU time (loaded only once a turn runs long).
    requires java.management;

    exports dev.strand.reactor;
    exports dev.strand.reactor.spi;
    exports dev.strand.reactor.tcp;
    // Shared plumbing (the rate-limited failure log), not API.
    exports dev.strand.reactor.internal to dev.strand.http;
}
