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
     * Stops accepting: the listening socket is closed at once, so new connects are refused;
     * accepted connections are untouched. Idempotent; never throws. Any thread.
     */
    @Override
    void close();

    /** Whether the server still accepts (neither closed nor its loop stopped). Any thread. */
    boolean isOpen();
}
