package dev.strand.http.internal;

import dev.strand.reactor.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.util.Optional;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * A {@link Transport} in memory: the test plays the client, sending bytes, ending its input, and
 * reading (or not) what the connection writes. Like the socket it stands for, it never blocks, and
 * it delivers readiness events only when {@link #pump} is called. On the connection's loop.
 */
final class MemoryTransport implements Transport {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40_000);

    private final ArrayDeque<ByteBuffer> inbound = new ArrayDeque<>();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private Transport.Events events;
    /** The protocol over this transport's connection, once the driver has attached one. */
    private Http1Connection connection;
    private boolean inputEnded;
    /** Bytes the client is still willing to take: writes beyond it move nothing, like a full socket. */
    private long window;
    private boolean wantsRead;
    private boolean wantsWrite;
    private boolean outputShut;
    private boolean closed;

    /** A client that reads {@code window} bytes before it stops reading; {@link Long#MAX_VALUE} for always. */
    MemoryTransport(long window) {
        this.window = window;
    }

    @Override
    public void open(Transport.Events events) {
        this.events = events;
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        ByteBuffer piece = ByteBuffer.allocate((int) Math.min(count, Math.min(window, 64 * 1024)));
        int n = file.read(piece, position);
        if (n <= 0) {
            return 0;
        }
        return write(piece.flip());
    }

    @Override
    public Optional<InetSocketAddress> remoteAddress() {
        return Optional.of(CLIENT);
    }

    @Override
    public Optional<InetSocketAddress> localAddress() {
        return Optional.empty();
    }

    @Override
    public int read(ByteBuffer into) {
        if (inbound.isEmpty()) {
            return inputEnded ? -1 : 0;
        }
        int n = 0;
        while (into.hasRemaining() && !inbound.isEmpty()) {
            ByteBuffer head = inbound.peek();
            int take = Math.min(into.remaining(), head.remaining());
            into.put(head.slice(head.position(), take));
            head.position(head.position() + take);
            n += take;
            if (!head.hasRemaining()) {
                inbound.poll();
            }
        }
        return n;
    }

    @Override
    public int write(ByteBuffer from) {
        int n = (int) Math.min(from.remaining(), window);
        byte[] bytes = new byte[n];
        from.get(bytes);
        written.writeBytes(bytes);
        window -= n;
        return n;
    }

    @Override
    public long write(ByteBuffer[] from, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += write(from[i]);
        }
        return n;
    }

    @Override
    public void shutdownOutput() {
        outputShut = true;
    }

    @Override
    public void interest(boolean read, boolean write) {
        wantsRead = read;
        wantsWrite = write;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The client sends {@code bytes}; delivered on the next {@link #pump}. */
    void send(byte[] bytes) {
        inbound.add(ByteBuffer.wrap(bytes.clone()));
    }

    /** The client half-closes: after what it sent, the connection reads the end of input. */
    void endInput() {
        inputEnded = true;
    }

    /** The client reads {@code bytes} more (the window grows). */
    void read(long bytes) {
        window = window > Long.MAX_VALUE - bytes ? Long.MAX_VALUE : window + bytes;
    }

    /**
     * Delivers the readiness events the connection asked for, as a selector would, once each:
     * writable when it wants to write and the client takes bytes, readable when it wants to read
     * and there are bytes or the end of input. Returns whether any event was delivered.
     */
    boolean pump() {
        if (closed) {
            return false;
        }
        boolean writable = wantsWrite && window > 0;
        boolean readable = wantsRead && (!inbound.isEmpty() || inputEnded);
        if (writable || readable) {
            events.ready(readable, writable);
        }
        return writable || readable;
    }

    /** How many bytes the connection wrote so far. */
    long writtenCount() {
        return written.size();
    }

    /** Everything the connection wrote so far. */
    byte[] written() {
        return written.toByteArray();
    }

    boolean wantsRead() {
        return wantsRead;
    }

    boolean outputShut() {
        return outputShut;
    }

    boolean closed() {
        return closed;
    }


    void attached(Http1Connection connection) {
        this.connection = connection;
    }

    Http1Connection connection() {
        return connection;
    }
}
