package dev.strand.reactor;

/**
 * The POSIX signals a reactor can trap with {@link Reactor#onSignal}: EventMachine's {@code trap}
 * (Ruby's {@code Signal.trap}), with the handler run on a loop.
 *
 * <p>The JVM may refuse a signal, and {@link Reactor#onSignal} then throws
 * {@link UnsupportedOperationException} naming it: on a platform without the signal (Windows has
 * neither {@code HUP} nor {@code USR1}/{@code USR2}); when the JVM runs with {@code -Xrs}, which
 * reserves {@code TERM}, {@code INT} and {@code HUP}; when the process was started ignoring
 * {@code TERM}, {@code INT} or {@code HUP} (under {@code nohup}, say), since the JVM then keeps
 * ignoring them; and on platforms where the JVM uses a signal itself (historically {@code USR1}
 * on some). {@code QUIT}, which the JVM uses for thread dumps, is not offered at all.
 */
public enum Signal {
    /**
     * {@code SIGTERM}, the polite request to terminate ({@code kill} without an option, container
     * and service managers' stop). By default the JVM exits on it, running its shutdown hooks;
     * trapping it replaces that: see {@link Reactor#onSignal}.
     */
    TERM,
    /** {@code SIGINT}, Ctrl-C in a terminal. Like {@link #TERM}, trapping it replaces the JVM's exit. */
    INT,
    /**
     * {@code SIGHUP}, by convention "reload your configuration" for a daemon. Like {@link #TERM},
     * the JVM exits on it unless it is trapped.
     */
    HUP,
    /** {@code SIGUSR1}, for the application's own use. Untrapped, it ends the process. */
    USR1,
    /**
     * {@code SIGUSR2}, for the application's own use. Untrapped, it ends the process. On Linux,
     * HotSpot uses it to suspend threads (for some profilers and diagnostic tools) yet lets it be
     * trapped: while it is, such suspensions fail (the JVM times out and carries on) and reach the
     * trap's handler as spurious signals. Prefer {@link #USR1} or {@link #HUP} where that matters.
     */
    USR2;

    /** The name in messages, e.g. {@code SIGHUP}; built once. */
    final String signalName = "SIG".concat(name());

    /** Whether, untrapped, the JVM exits on this signal running its shutdown hooks; -Xrs reserves these. */
    boolean shutdownSignal() {
        return this == TERM || this == INT || this == HUP;
    }
}
