package dev.strand.reactor.tcp;

import java.net.InetSocketAddress;

/**
 * A listening socket started by {@link Tcp#startServer}: EventMachine's server signature.
 *
 * <p>Thread-safe. Closing stops accepting; connections already accepted live on, each until it
 * closes (stop the reactor to end them all).
 */
public interface TcpServer extends AutoCloseable {

    /** The address the server is bound to, with the real port when port 0 was asked for. Any thread. */
    InetSocketAddress localAddress();

    /** The bound port: {@code localAddress().getPort()}. Any thread. */
    int port();

    /**
     * Stops accepting: when this returns, the listening socket is released and new connects are
     * refused. Accepted connections are untouched. Idempotent; never throws. Any thread: off the
     * loops (and on fibers) it waits for the server's loop to release the socket, at most 5 s; on a
     * loop's own thread it does not wait, and the socket is released within a turn of the server's
     * loop.
     */
    @Override
    void close();

    /** Whether the server still accepts (neither closed nor its loop stopped). Any thread. */
    boolean isOpen();
}
