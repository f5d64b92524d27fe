package dev.strand.reactor;

import dev.strand.reactor.spi.IoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOptions;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A client socket over a non-blocking {@link SocketChannel} whose waits a loop polls; see
 * {@link LoopSocketFactory} for the contract.
 *
 * <p>One reader and one writer at a time (each direction has its lock; a connect counts as a
 * read). A waiting reader or writer is recorded, its interest set on the key of the loop that
 * carries it, and it parks; {@link #ready} — on that loop's thread, in its I/O phase — clears the
 * interest and unparks it. Because a loop-carried fiber runs on its loop's thread, arming and
 * {@link #ready} never race: only {@link #close} comes from elsewhere.
 */
final class LoopSocketImpl extends SocketImpl implements IoHandler {

    private static final int BUFFER_SIZE = 16 * 1024;

    /** A loop's registration of the channel. */
    private record Registration(EventLoop loop, SelectionKey key) {
    }

    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();

    private SocketChannel channel;
    private volatile boolean closed;
    private volatile int timeoutMillis;
    private volatile Thread reader;
    private volatile Thread writer;
    /** The last loop a wait was polled by: the common case is one loop for a socket's life. */
    private volatile Registration last;
    /** Every loop the channel is registered with, so that a close can wake them to release it. */
    private Registration[] registrations = new Registration[0];

    // Guarded by readLock / writeLock.
    private ByteBuffer in;
    private ByteBuffer out;
    private volatile Selector readSelector;
    private volatile Selector writeSelector;

    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) {
            throw new SocketException("datagram sockets are not supported");
        }
        channel = SocketChannel.open();
        channel.configureBlocking(false);
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(new InetSocketAddress(host, port), 0);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        connect(new InetSocketAddress(address, port), 0);
    }

    @Override
    protected void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!(endpoint instanceof InetSocketAddress remote)) {
            throw new IllegalArgumentException("unsupported address type: " + endpoint);
        }
        if (remote.isUnresolved()) {
            throw new UnknownHostException(remote.getHostString());
        }
        long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : 0;
        readLock.lock();
        try {
            boolean connected = channel.connect(remote);
            while (!connected) {
                if (!await(SelectionKey.OP_CONNECT, deadline)) {
                    throw new SocketTimeoutException("Connect timed out");
                }
                connected = channel.finishConnect();
            }
            address = remote.getAddress();
            port = remote.getPort();
            localport = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (ClosedChannelException e) {
            throw closedException();
        } finally {
            readLock.unlock();
        }
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        channel.bind(new InetSocketAddress(host, port));
        localport = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    @Override
    protected void listen(int backlog) throws IOException {
        throw new SocketException("a loop socket is a client socket: listen is not supported");
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        throw new SocketException("a loop socket is a client socket: accept is not supported");
    }

    @Override
    protected InputStream getInputStream() {
        return input;
    }

    @Override
    protected OutputStream getOutputStream() {
        return output;
    }

    @Override
    protected int available() throws IOException {
        return input.available();
    }

    @Override
    protected void shutdownInput() throws IOException {
        try {
            channel.shutdownInput();
        } catch (ClosedChannelException e) {
            throw closedException();
        }
    }

    @Override
    protected void shutdownOutput() throws IOException {
        try {
            channel.shutdownOutput();
        } catch (ClosedChannelException e) {
            throw closedException();
        }
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw new SocketException("urgent data is not supported");
    }

    /** Closes the channel and wakes whoever waits on it, and the loops that must release it. Any thread. */
    @Override
    protected void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (channel != null) {
                channel.close();
            }
        } finally {
            LockSupport.unpark(reader);
            LockSupport.unpark(writer);
            closeSelectors();
            Registration[] registered;
            synchronized (this) {
                registered = registrations;
            }
            // A registered channel's descriptor is released by its selectors' next turn: wake them.
            for (Registration registration : registered) {
                try {
                    registration.loop.execute(() -> {
                    });
                } catch (RejectedExecutionException e) {
                    // That loop has stopped and released its registrations.
                }
            }
        }
    }

    @Override
    public void setOption(int id, Object value) throws SocketException {
        try {
            switch (id) {
                case SocketOptions.SO_TIMEOUT -> timeoutMillis = (Integer) value;
                case SocketOptions.TCP_NODELAY -> channel.setOption(StandardSocketOptions.TCP_NODELAY, (Boolean) value);
                case SocketOptions.SO_KEEPALIVE -> channel.setOption(StandardSocketOptions.SO_KEEPALIVE, (Boolean) value);
                case SocketOptions.SO_REUSEADDR -> channel.setOption(StandardSocketOptions.SO_REUSEADDR, (Boolean) value);
                case SocketOptions.SO_RCVBUF -> channel.setOption(StandardSocketOptions.SO_RCVBUF, (Integer) value);
                case SocketOptions.SO_SNDBUF -> channel.setOption(StandardSocketOptions.SO_SNDBUF, (Integer) value);
                case SocketOptions.IP_TOS -> channel.setOption(StandardSocketOptions.IP_TOS, (Integer) value);
                case SocketOptions.SO_LINGER -> channel.setOption(StandardSocketOptions.SO_LINGER,
                        value instanceof Integer seconds ? seconds : -1);
                default -> throw new SocketException("socket option " + id + " is not supported");
            }
        } catch (ClosedChannelException e) {
            throw closedException();
        } catch (IOException e) {
            throw e instanceof SocketException se ? se : new SocketException(e.getMessage());
        }
    }

    @Override
    public Object getOption(int id) throws SocketException {
        try {
            return switch (id) {
                case SocketOptions.SO_TIMEOUT -> timeoutMillis;
                case SocketOptions.TCP_NODELAY -> channel.getOption(StandardSocketOptions.TCP_NODELAY);
                case SocketOptions.SO_KEEPALIVE -> channel.getOption(StandardSocketOptions.SO_KEEPALIVE);
                case SocketOptions.SO_REUSEADDR -> channel.getOption(StandardSocketOptions.SO_REUSEADDR);
                case SocketOptions.SO_RCVBUF -> channel.getOption(StandardSocketOptions.SO_RCVBUF);
                case SocketOptions.SO_SNDBUF -> channel.getOption(StandardSocketOptions.SO_SNDBUF);
                case SocketOptions.IP_TOS -> channel.getOption(StandardSocketOptions.IP_TOS);
                case SocketOptions.SO_LINGER -> {
                    int seconds = channel.getOption(StandardSocketOptions.SO_LINGER);
                    yield seconds < 0 ? Boolean.FALSE : seconds;
                }
                case SocketOptions.SO_BINDADDR -> channel.getLocalAddress() instanceof InetSocketAddress local
                        ? local.getAddress() : null;
                default -> throw new SocketException("socket option " + id + " is not supported");
            };
        } catch (ClosedChannelException e) {
            throw closedException();
        } catch (IOException e) {
            throw e instanceof SocketException se ? se : new SocketException(e.getMessage());
        }
    }

    /**
     * On the registering loop's thread, in its I/O phase: wakes the waiters whose events came.
     *
     * <p>A read interest whose waiter is woken stays armed: a request-response protocol waits again
     * soon after, and each change of interest costs a system call. The waiter drains the channel
     * before it waits again, so a level-triggered readiness does not repeat. An event nobody waits
     * for (bytes for an idle connection, or a waiter gone to another loop) disarms it.
     */
    @Override
    public void ready(SelectionKey key) {
        int ready = key.readyOps();
        int idle = 0;
        if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_CONNECT)) != 0) {
            Thread waiting = reader;
            if (waiting == null || (ready & SelectionKey.OP_CONNECT) != 0) {
                idle |= ready & (SelectionKey.OP_READ | SelectionKey.OP_CONNECT);
            }
            LockSupport.unpark(waiting);
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            // A socket is writable nearly always: left armed, this would fire every turn.
            idle |= SelectionKey.OP_WRITE;
            LockSupport.unpark(writer);
        }
        if (idle != 0) {
            key.interestOpsAnd(~idle);
        }
    }

    /** The loop stopped and dropped its registration: its waiters go on elsewhere. On that loop. */
    void loopStopped() {
        LockSupport.unpark(reader);
        LockSupport.unpark(writer);
    }

    /**
     * Waits until the channel may be ready for {@code op}, or the deadline passes. A return of true
     * may be spurious: the caller retries its operation, which is non-blocking.
     *
     * @param deadline a {@link System#nanoTime()} instant, or 0 for none
     * @return false when the deadline passed
     */
    private boolean await(int op, long deadline) throws IOException {
        long remaining = 0;
        if (deadline != 0) {
            remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
        }
        if (closed) {
            throw closedException();
        }
        Thread self = Thread.currentThread();
        EventLoop loop = EventLoop.current().orElse(null);
        if (loop == null) {
            awaitOnOwnSelector(op, remaining);
        } else if (!self.isVirtual()) {
            throw new IllegalStateException("an event loop's thread must not wait on a socket: " + self.getName());
        } else {
            awaitOnLoop(loop, self, op, remaining);
        }
        if (self.isInterrupted()) {
            // java.net.Socket closes itself for an interrupted fiber and says "Closed by interrupt".
            throw new java.io.InterruptedIOException("interrupted while waiting on a socket");
        }
        if (closed) {
            throw closedException();
        }
        return true;
    }

    private void awaitOnLoop(EventLoop loop, Thread self, int op, long nanos) throws IOException {
        SelectionKey key = keyOn(loop);
        boolean reading = op != SelectionKey.OP_WRITE;
        if (reading) {
            reader = self;
        } else {
            writer = self;
        }
        try {
            if ((key.interestOps() & op) == 0) {
                key.interestOpsOr(op);
            }
            if (closed) {
                return; // close() may have looked for a waiter before we were one
            }
            if (nanos == 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, nanos);
            }
            // Armed it stays (see ready): the next wait, usually soon, needs no system call.
        } catch (CancelledKeyException e) {
            throw closedException();
        } finally {
            if (reading) {
                reader = null;
            } else {
                writer = null;
            }
        }
    }

    /** This channel's registration with {@code loop}, made on first use. On that loop. */
    private SelectionKey keyOn(EventLoop loop) throws IOException {
        Registration registration = last;
        if (registration != null && registration.loop == loop && registration.key.isValid()) {
            return registration.key;
        }
        synchronized (this) {
            // A fiber of another loop used the socket in between: that loop's key is still good.
            for (Registration known : registrations) {
                if (known.loop == loop && known.key.isValid()) {
                    last = known;
                    return known.key;
                }
            }
        }
        SelectionKey key;
        try {
            key = loop.register(channel, 0, this);
        } catch (java.io.UncheckedIOException e) {
            throw closed ? closedException() : e.getCause();
        }
        registration = new Registration(loop, key);
        synchronized (this) {
            // One entry per loop, however often the socket moves between loops.
            Registration[] kept = java.util.Arrays.stream(registrations)
                    .filter(known -> known.loop != loop).toArray(Registration[]::new);
            Registration[] grown = java.util.Arrays.copyOf(kept, kept.length + 1);
            grown[grown.length - 1] = registration;
            registrations = grown;
        }
        last = registration;
        return key;
    }

    /** How many loops the channel is registered with; for tests. Any thread. */
    synchronized int registeredLoops() {
        return registrations.length;
    }

    /** Off every loop: a selector of this socket's own, one per direction, blocks the caller. */
    private void awaitOnOwnSelector(int op, long nanos) throws IOException {
        boolean reading = op != SelectionKey.OP_WRITE;
        Selector selector = reading ? readSelector : writeSelector;
        if (selector == null) {
            selector = Selector.open();
            if (reading) {
                readSelector = selector;
            } else {
                writeSelector = selector;
            }
            if (closed) {
                closeSelectors(); // close() may have run before the field was set
                throw closedException();
            }
        }
        try {
            SelectionKey key = channel.register(selector, op);
            if (nanos == 0) {
                selector.select();
            } else {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)));
            }
            selector.selectedKeys().clear();
            if (key.isValid()) {
                key.interestOps(0);
            }
        } catch (ClosedChannelException | CancelledKeyException | java.nio.channels.ClosedSelectorException e) {
            throw closedException();
        }
    }

    /** Closing a selector also wakes a thread blocked in it. */
    private void closeSelectors() {
        for (Selector selector : new Selector[] {readSelector, writeSelector}) {
            if (selector != null) {
                try {
                    selector.close();
                } catch (IOException e) {
                    // Nothing held by a closed socket's selector matters any more.
                }
            }
        }
    }

    private static SocketException closedException() {
        return new SocketException("Socket closed");
    }

    private final class Input extends InputStream {

        @Override
        public int read() throws IOException {
            readLock.lock();
            try {
                ByteBuffer buffer = buffered();
                if (!buffer.hasRemaining() && fill(buffer, true) < 0) {
                    return -1;
                }
                return buffer.get() & 0xff;
            } finally {
                readLock.unlock();
            }
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (length == 0) {
                return 0;
            }
            readLock.lock();
            try {
                ByteBuffer buffer = buffered();
                if (!buffer.hasRemaining() && fill(buffer, true) < 0) {
                    return -1;
                }
                int n = Math.min(length, buffer.remaining());
                buffer.get(bytes, offset, n);
                return n;
            } finally {
                readLock.unlock();
            }
        }

        /** What is buffered, or else what one non-blocking read brings. */
        @Override
        public int available() throws IOException {
            readLock.lock();
            try {
                ByteBuffer buffer = buffered();
                if (!buffer.hasRemaining() && !closed) {
                    fill(buffer, false);
                }
                return buffer.remaining();
            } finally {
                readLock.unlock();
            }
        }

        @Override
        public void close() throws IOException {
            LoopSocketImpl.this.close();
        }

        private ByteBuffer buffered() {
            if (in == null) {
                in = ByteBuffer.allocateDirect(BUFFER_SIZE).flip();
            }
            return in;
        }

        /** Refills the empty buffer; returns bytes read, -1 at the end of input, 0 only when not waiting. */
        private int fill(ByteBuffer buffer, boolean wait) throws IOException {
            int timeout = timeoutMillis;
            long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : 0;
            buffer.clear();
            try {
                while (true) {
                    int n = channel.read(buffer);
                    if (n != 0 || !wait) {
                        return n;
                    }
                    if (!await(SelectionKey.OP_READ, deadline)) {
                        throw new SocketTimeoutException("Read timed out");
                    }
                }
            } catch (ClosedChannelException e) {
                throw closedException();
            } finally {
                buffer.flip();
            }
        }
    }

    private final class Output extends OutputStream {

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            writeLock.lock();
            try {
                if (out == null) {
                    out = ByteBuffer.allocateDirect(BUFFER_SIZE);
                }
                while (length > 0) {
                    int n = Math.min(length, out.capacity());
                    out.clear().put(bytes, offset, n).flip();
                    while (out.hasRemaining()) {
                        if (channel.write(out) == 0) {
                            await(SelectionKey.OP_WRITE, 0);
                        }
                    }
                    offset += n;
                    length -= n;
                }
            } catch (ClosedChannelException e) {
                throw closedException();
            } finally {
                writeLock.unlock();
            }
        }

        @Override
        public void close() throws IOException {
            LoopSocketImpl.this.close();
        }
    }
}
