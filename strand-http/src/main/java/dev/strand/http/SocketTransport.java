package dev.strand.http;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.spi.IoHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** A {@link Transport} over a non-blocking socket registered with a loop's selector. On that loop. */
final class SocketTransport implements Transport, IoHandler {

    private static final System.Logger LOG = System.getLogger(SocketTransport.class.getName());

    private final EventLoop loop;
    private final SocketChannel channel;
    private Http1Connection connection;
    private SelectionKey key;

    SocketTransport(EventLoop loop, SocketChannel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    @Override
    public void open(Http1Connection connection) {
        this.connection = connection;
        key = loop.register(channel, SelectionKey.OP_READ, this);
    }

    @Override
    public void ready(SelectionKey key) {
        if (key.isWritable()) {
            connection.onWritable();
        }
        if (key.isValid() && key.isReadable()) {
            connection.onReadable();
        }
    }

    @Override
    public void closed(Throwable cause) {
        connection.closed(cause);
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
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void interest(boolean read, boolean write) {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = (read ? SelectionKey.OP_READ : 0) | (write ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    @Override
    public void close() {
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a connection", e);
        }
    }
}
