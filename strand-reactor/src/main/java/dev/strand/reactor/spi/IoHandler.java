package dev.strand.reactor.spi;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Failure;
import java.nio.channels.SelectionKey;

/**
 * Receives readiness events for a channel registered with {@link EventLoop#register}: the NIO-facing
 * extension point under the toolkit's transport ({@code dev.strand.reactor.tcp}) and the HTTP server.
 *
 * <p>Called on the loop's thread only, in the loop's I/O phase. It must not block: blocking work
 * belongs on a fiber ({@link EventLoop#startFiber}). Anything thrown here, errors included, is
 * counted ({@link Failure#IO_HANDLER}) and reported, and the channel is closed; the loop goes on.
 */
@FunctionalInterface
public interface IoHandler {

    /**
     * Called when the key's channel is ready for some of its interest operations.
     *
     * @param key the registration, with {@link SelectionKey#readyOps()} set
     */
    void ready(SelectionKey key);

    /**
     * Called once when the loop closes the channel because {@link #ready} threw or the loop
     * stopped; the default does nothing.
     *
     * @param cause why the channel was closed
     */
    default void closed(Throwable cause) {
    }
}
