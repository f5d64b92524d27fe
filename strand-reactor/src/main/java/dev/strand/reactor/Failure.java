package dev.strand.reactor;

import dev.strand.reactor.spi.IoHandler;

/**
 * Where a failure that a loop caught, reported and survived came from; see
 * {@link EventLoop#failures(Failure)} and {@link Reactor#failures(Failure)}.
 *
 * <p>Any {@link Throwable} counts, {@link Error}s included: a loop lets none end it.
 */
public enum Failure {
    /** A task given to {@link EventLoop#execute}, {@link EventLoop#schedule} or handed in, or a fiber's run on its carrier. */
    TASK("a task", "the loop goes on"),
    /** A timer's task. */
    TIMER("a timer", "the loop goes on"),
    /** An {@link IoHandler}'s {@code ready} or {@code closed}; after {@code ready} throws, its channel is closed. */
    IO_HANDLER("an I/O handler", "its channel is closed, the loop goes on"),
    /** An action deferred with {@link EventLoop#endOfTurn}. */
    END_OF_TURN("an end-of-turn action", "the loop goes on"),
    /** An exception that ended a fiber started with {@link EventLoop#startFiber} (its uncaught-exception handler). */
    FIBER("a fiber", "the fiber ended"),
    /**
     * A {@link Deferred}'s callback or errback, run on its loop; the deferred's next callbacks still
     * run. Also callbacks that could not run because the deferred's loop had stopped.
     */
    CALLBACK("a deferred's callback", "the next callbacks still run"),
    /** The loop's own work between tasks, such as its select; the loop pauses a millisecond before its next turn. */
    LOOP("the loop's own work", "the loop goes on"),
    /**
     * A TCP connection's handler ({@code dev.strand.reactor.tcp.ConnectionHandler}) or handler
     * factory; its connection is closed.
     */
    CONNECTION_HANDLER("a connection handler", "its connection is closed, the loop goes on"),
    /**
     * An {@link OutOfMemoryError}, counted here as well as under where it was thrown. See
     * {@link OutOfMemoryPolicy} for what persistent ones do.
     */
    OUT_OF_MEMORY("the loop's own work", "the loop goes on");

    /** For the loops' pre-built messages: what failed, and what follows. */
    final String what;
    final String then;

    Failure(String what, String then) {
        this.what = what;
        this.then = then;
    }
}
