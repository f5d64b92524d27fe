package dev.strand.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The byte stream under an {@link Http1Connection}: a socket registered with the connection's loop
 * ({@link SocketTransport}), or memory in tests, so that the connection's state machine can be
 * driven without sockets.
 *
 * <p>Threading: every method is called on the connection's loop, and the transport calls the
 * connection's {@code onReadable}, {@code onWritable} and {@code closed} there too. Reads and
 * writes never block: like a non-blocking channel they may move fewer bytes than asked, or none.
 */
interface Transport {

    /** Starts delivering readiness events to {@code connection}; interest is in reading. */
    void open(Http1Connection connection);

    /** Reads into {@code into}; -1 once the peer has closed its side. */
    int read(ByteBuffer into) throws IOException;

    /** Writes from {@code from}; how many bytes went out (maybe 0). */
    int write(ByteBuffer from) throws IOException;

    /** Writes from {@code from[offset..offset+length)} in order; how many bytes went out (maybe 0). */
    long write(ByteBuffer[] from, int offset, int length) throws IOException;

    /** Ends our side of the stream; the peer may still send. */
    void shutdownOutput() throws IOException;

    /** Which readiness events the connection wants next; ignored once closed. */
    void interest(boolean read, boolean write);

    /** Closes both directions, quietly; idempotent. */
    void close();
}
