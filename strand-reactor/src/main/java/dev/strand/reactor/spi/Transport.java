package dev.strand.reactor.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * The byte stream under a TCP {@link dev.strand.reactor.tcp.Connection}: a socket registered with
 * the connection's loop, or memory in a test, so that a connection and the protocol over it (HTTP/1.1
 * included) can be driven without sockets. {@link dev.strand.reactor.tcp.Tcp#attach(dev.strand.reactor.EventLoop,
 * Transport, dev.strand.reactor.tcp.ConnectionHandler)} makes a connection of one; the connection
 * owns it from then on (watermarks, queues, TLS and timeouts are the connection's, not the transport's).
 *
 * <p><b>Threading.</b> Every method is called on the connection's loop, and the transport reports
 * readiness to its {@link Events} on that loop too, never from inside one of its own methods.
 * Reads and writes never block: like a non-blocking channel they may move fewer bytes than asked,
 * or none. <b>Failures:</b> reads and writes throw {@link IOException} when the stream broke (the
 * connection then closes); {@link #close()} throws nothing.
 */
public interface Transport {

    /** What a transport reports to the connection over it. On the connection's loop. */
    interface Events {

        /** The stream can take bytes ({@code writable}) and/or has bytes or its end to read ({@code readable}). */
        void ready(boolean readable, boolean writable);

        /** The stream was closed under the connection (its loop stopped, or it broke). */
        void failed(Throwable cause);
    }

    /** Starts reporting readiness to {@code events}, with no interest until {@link #interest} asks. */
    void open(Events events);

    /** Reads into {@code into}; -1 once the peer has ended its stream. */
    int read(ByteBuffer into) throws IOException;

    /** Writes from {@code from}; how many bytes went out (maybe 0). */
    int write(ByteBuffer from) throws IOException;

    /** Writes from {@code from[offset..offset+length)} in order; how many bytes went out (maybe 0). */
    long write(ByteBuffer[] from, int offset, int length) throws IOException;

    /**
     * Writes up to {@code count} bytes of {@code file} from {@code position}, without copying them
     * through the heap where the stream allows it ({@link FileChannel#transferTo}); how many went out.
     */
    long transferFrom(FileChannel file, long position, long count) throws IOException;

    /** Ends this side's stream; the peer may still send. */
    void shutdownOutput() throws IOException;

    /** Which readiness the connection wants reported next; ignored once closed. */
    void interest(boolean read, boolean write);

    /** Closes both directions, quietly; idempotent. */
    void close();

    /** The peer's address, when the stream has one. */
    Optional<InetSocketAddress> remoteAddress();

    /** This side's address, when the stream has one. */
    Optional<InetSocketAddress> localAddress();
}
