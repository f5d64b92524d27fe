package dev.strand.reactor.tcp;

import dev.strand.reactor.spi.Transport;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * A {@link Transport} in memory for the TCP layer's tests: the test plays the peer, and counts the
 * write calls the connection makes. Readiness is delivered only by {@link #pump}. On the loop.
 */
final class MemoryTransport implements Transport {

    private final ArrayDeque<ByteBuffer> inbound = new ArrayDeque<>();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private Events events;
    private boolean wantsRead;
    private boolean wantsWrite;
    private boolean inputEnded;
    private boolean closed;
    private boolean outputShut;
    int writeCalls;

    @Override
    public void open(Events events) {
        this.events = events;
    }

    @Override
    public int read(ByteBuffer into) {
        if (inbound.isEmpty()) {
            return inputEnded ? -1 : 0;
        }
        ByteBuffer head = inbound.peek();
        int n = Math.min(into.remaining(), head.remaining());
        into.put(head.slice(head.position(), n));
        head.position(head.position() + n);
        if (!head.hasRemaining()) {
            inbound.poll();
        }
        return n;
    }

    @Override
    public int write(ByteBuffer from) {
        writeCalls++;
        int n = from.remaining();
        byte[] bytes = new byte[n];
        from.get(bytes);
        written.writeBytes(bytes);
        return n;
    }

    @Override
    public long write(ByteBuffer[] from, int offset, int length) {
        writeCalls++;
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            byte[] bytes = new byte[from[i].remaining()];
            from[i].get(bytes);
            written.writeBytes(bytes);
            n += bytes.length;
        }
        return n;
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws java.io.IOException {
        ByteBuffer piece = ByteBuffer.allocate((int) Math.min(count, 64 * 1024));
        int n = file.read(piece, position);
        return n <= 0 ? 0 : write(piece.flip());
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

    @Override
    public Optional<InetSocketAddress> remoteAddress() {
        return Optional.of(new InetSocketAddress("127.0.0.1", 40_000));
    }

    @Override
    public Optional<InetSocketAddress> localAddress() {
        return Optional.empty();
    }

    void send(byte[] bytes) {
        inbound.add(ByteBuffer.wrap(bytes.clone()));
    }

    void endInput() {
        inputEnded = true;
    }

    /** Delivers the readiness the connection asked for; whether any was. */
    boolean pump() {
        boolean readable = !closed && wantsRead && (!inbound.isEmpty() || inputEnded);
        boolean writable = !closed && wantsWrite;
        if (readable || writable) {
            events.ready(readable, writable);
        }
        return readable || writable;
    }

    byte[] written() {
        return written.toByteArray();
    }

    boolean closed() {
        return closed;
    }

    boolean outputShut() {
        return outputShut;
    }
}
