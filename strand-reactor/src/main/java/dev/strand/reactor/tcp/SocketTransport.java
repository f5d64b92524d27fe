package dev.strand.reactor.tcp;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.spi.IoHandler;
import dev.strand.reactor.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/** A {@link Transport} over a non-blocking socket registered with its loop's selector. On that loop. */
final class SocketTransport implements Transport, IoHandler {

    private final SocketChannel channel;
    private final SelectionKey key;
    private Events events;

    /** Over {@code channel}, already registered as {@code key} (which this transport now handles). */
    SocketTransport(SocketChannel channel, SelectionKey key) {
        this.channel = channel;
        this.key = key;
        key.attach(this);
    }

    /** Registers {@code channel} with {@code loop}, with no interest yet. On that loop. */
    static SocketTransport register(EventLoop loop, SocketChannel channel) {
        return new SocketTransport(channel, loop.register(channel, 0, null));
    }

    @Override
    public void open(Events events) {
        this.events = events;
    }

    @Override
    public void ready(SelectionKey readyKey) {
        if (events == null) {
            return;
        }
        int ops = readyKey.readyOps();
        events.ready((ops & SelectionKey.OP_READ) != 0, (ops & SelectionKey.OP_WRITE) != 0);
    }

    @Override
    public void closed(Throwable cause) {
        if (events != null) {
            events.failed(cause);
        }
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        return channel.read(into);
    }

    @Override
    public int write(ByteBuffer from) throws IOException {
        return channel.write(from);
    }

    @Override
    public long write(ByteBuffer[] from, int offset, int length) throws IOException {
        return channel.write(from, offset, length);
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        return file.transferTo(position, count, channel);
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void interest(boolean read, boolean write) {
        if (!key.isValid()) {
            return;
        }
        int ops = (read ? SelectionKey.OP_READ : 0) | (write ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    @Override
    public void close() {
        key.cancel();
        Tcp.closeQuietly(channel);
    }

    @Override
    public Optional<InetSocketAddress> remoteAddress() {
        try {
            return Optional.ofNullable((InetSocketAddress) channel.getRemoteAddress());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<InetSocketAddress> localAddress() {
        try {
            return Optional.ofNullable((InetSocketAddress) channel.getLocalAddress());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
