package dev.strand.testkit;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.spi.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection in memory: the server's side is a {@link Transport} (handed to
 * {@link dev.strand.http.HttpServer#attach}), the client's side a blocking {@link #input()} and
 * {@link #output()} for a test thread, like a socket's streams.
 *
 * <p>Each direction is a bounded buffer ({@value #CAPACITY} bytes). The client's writes go into one
 * and, when the connection wants to read, the loop is told ({@link Transport.Events#ready} in a task
 * of its own, via {@link EventLoop#execute}); the server's writes go into the other, as far as it
 * has room (the rest waits, and the loop is told it may write again once the client has read some),
 * and the client's reads take from it. Readiness is level-triggered, as a selector's: while the
 * connection wants what is there, it is told again. The client's {@link #clientShutdownOutput()} is the
 * end of the server's input; the server's {@code shutdownOutput} or {@code close} is the end of the
 * client's (after what was written before). The client's {@link #clientClose()} also makes the server's
 * further writes fail, as a reset would.
 *
 * <p>Threading: the {@link Transport} methods run on the connection's loop, which they never block
 * (they hold the lock only to copy bytes); the client's methods run on a test thread or fiber and
 * block, each wait bounded by the timeout. One lock guards the buffers and flags; waiting is on its
 * condition, without polling.
 *
 * <p>Failures: a client read or write that waits longer than the timeout throws a
 * {@link SocketTimeoutException}; a client write once the server has closed, or after the client's
 * own {@code shutdownOutput}, an {@link IOException}; so does a server write after the client's
 * close. A loop found stopped when a change is to be reported to it counts as the server's close;
 * a client already waiting then waits for its timeout (the server stops its connections before its
 * loops, so this happens only when a reactor is closed under a running server).
 */
final class MemoryTransport implements Transport {

    /** Bytes each direction holds before its writer must wait. */
    static final int CAPACITY = 64 * 1024;
    private static final InetSocketAddress CLIENT = InetSocketAddress.createUnresolved("in-memory-client", 1);

    private final long timeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever either side moved bytes or ended its stream: the client waits on it. */
    private final Condition changed = lock.newCondition();
    private final ByteQueue toServer = new ByteQueue();
    private final ByteQueue toClient = new ByteQueue();
    private final InputStream input = new ClientInput();
    private final OutputStream output = new ClientOutput();

    // All under lock.
    private EventLoop loop;
    private Events events;
    private boolean wantsRead;
    private boolean wantsWrite;
    /** A readiness report is queued on the loop. */
    private boolean reportQueued;
    /** The client shut its output or closed: the server's input ends after what is queued. */
    private boolean clientEnded;
    /** The client closed: the server's writes fail. */
    private boolean clientClosed;
    /** The server shut its output or closed: the client's input ends after what is queued. */
    private boolean serverEnded;
    /** The server closed (or its loop stopped): the client's writes fail. */
    private boolean serverClosed;

    MemoryTransport(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    // ---- the server's side: on the loop --------------------------------------------------------

    @Override
    public void open(Events events) {
        EventLoop current = EventLoop.current().orElseThrow(
                () -> new IllegalStateException("a transport is opened on its connection's loop, not " + Thread.currentThread()));
        lock.lock();
        try {
            this.loop = current;
            this.events = Objects.requireNonNull(events, "events");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read(ByteBuffer into) {
        lock.lock();
        try {
            if (toServer.isEmpty()) {
                return clientEnded ? -1 : 0;
            }
            int n = toServer.take(into);
            changed.signalAll(); // room for the client's writes
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int write(ByteBuffer from) throws IOException {
        lock.lock();
        try {
            requireClientOpen();
            int n = toClient.put(from, CAPACITY - toClient.size());
            if (n > 0) {
                changed.signalAll();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long write(ByteBuffer[] from, int offset, int length) throws IOException {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            int remaining = from[i].remaining();
            int written = write(from[i]);
            n += written;
            if (written < remaining) {
                break;
            }
        }
        return n;
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        int room;
        lock.lock();
        try {
            requireClientOpen();
            room = CAPACITY - toClient.size();
        } finally {
            lock.unlock();
        }
        if (room == 0 || count == 0) {
            return 0;
        }
        ByteBuffer piece = ByteBuffer.allocate((int) Math.min(count, room));
        int n = file.read(piece, position);
        return n <= 0 ? 0 : write(piece.flip()); // only this loop writes: the room is still there
    }

    private void requireClientOpen() throws IOException {
        if (clientClosed) {
            throw new IOException("the in-memory client closed the connection");
        }
        if (serverEnded) {
            throw new IOException("output already shut down");
        }
    }

    @Override
    public void shutdownOutput() {
        lock.lock();
        try {
            serverEnded = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void interest(boolean read, boolean write) {
        lock.lock();
        try {
            wantsRead = read;
            wantsWrite = write;
        } finally {
            lock.unlock();
        }
        reportIfReady();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            serverClosed = true;
            serverEnded = true;
            toServer.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<InetSocketAddress> remoteAddress() {
        return Optional.of(CLIENT);
    }

    @Override
    public Optional<InetSocketAddress> localAddress() {
        return Optional.empty();
    }

    /** Whether the connection wants what the stream has now. Under the lock. */
    private boolean ready() {
        return events != null && !serverClosed && (readable() || writable());
    }

    private boolean readable() {
        return wantsRead && (!toServer.isEmpty() || clientEnded);
    }

    private boolean writable() {
        // Once the client has closed, a write fails at once: report it so that the connection learns.
        return wantsWrite && (toClient.size() < CAPACITY || clientClosed);
    }

    /**
     * Queues a readiness report on the loop if the connection wants what is there and none is queued.
     * Any thread; never reports inline, as {@link Transport} requires. A loop that has stopped
     * takes no report: the stream is closed instead, so the client reads its end.
     */
    private void reportIfReady() {
        EventLoop target;
        lock.lock();
        try {
            if (reportQueued || !ready()) {
                return;
            }
            reportQueued = true;
            target = loop;
        } finally {
            lock.unlock();
        }
        try {
            target.execute(this::report);
        } catch (RejectedExecutionException stopped) {
            close();
        }
    }

    /** Reports readiness, then reports again if still ready (level-triggered). On the loop. */
    private void report() {
        boolean readable;
        boolean writable;
        lock.lock();
        try {
            reportQueued = false;
            if (!ready()) {
                return;
            }
            readable = readable();
            writable = writable();
        } finally {
            lock.unlock();
        }
        events.ready(readable, writable);
        reportIfReady();
    }

    // ---- the client's side: on a test thread ---------------------------------------------------

    /** What the server writes, blocking until there is some, its end, or the timeout. */
    InputStream input() {
        return input;
    }

    /** To the server, blocking while the buffer is full, up to the timeout. */
    OutputStream output() {
        return output;
    }

    /** Ends the client's stream (a half-close): the server reads its end after what was sent. */
    void clientShutdownOutput() {
        lock.lock();
        try {
            clientEnded = true;
        } finally {
            lock.unlock();
        }
        reportIfReady();
    }

    /** Closes the client's side: both directions; idempotent. */
    void clientClose() {
        lock.lock();
        try {
            clientEnded = true;
            clientClosed = true;
            toClient.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        reportIfReady();
    }

    /** Waits on {@link #changed} until {@code deadline}; false once it has passed. Under the lock. */
    private boolean await(long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            changed.awaitNanos(left);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting on the in-memory connection");
        }
    }

    private final class ClientInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, into.length);
            if (length == 0) {
                return 0;
            }
            int n;
            lock.lock();
            try {
                long deadline = System.nanoTime() + timeoutNanos;
                while (toClient.isEmpty()) {
                    if (serverEnded || clientClosed) {
                        return -1;
                    }
                    if (!await(deadline)) {
                        throw new SocketTimeoutException("no response bytes within " + Duration.ofNanos(timeoutNanos));
                    }
                }
                n = toClient.take(ByteBuffer.wrap(into, offset, length));
            } finally {
                lock.unlock();
            }
            reportIfReady(); // room for the server's writes
            return n;
        }
    }

    private final class ClientOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] from, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, from.length);
            ByteBuffer bytes = ByteBuffer.wrap(from, offset, length);
            while (bytes.hasRemaining()) {
                lock.lock();
                try {
                    long deadline = System.nanoTime() + timeoutNanos;
                    while (true) {
                        if (clientEnded) {
                            throw new IOException("the in-memory client's output is shut down");
                        }
                        if (serverClosed) {
                            throw new IOException("the server closed the in-memory connection");
                        }
                        if (toServer.size() < CAPACITY) {
                            break;
                        }
                        if (!await(deadline)) {
                            throw new SocketTimeoutException("the server read nothing within " + Duration.ofNanos(timeoutNanos));
                        }
                    }
                    toServer.put(bytes, CAPACITY - toServer.size());
                } finally {
                    lock.unlock();
                }
                reportIfReady();
            }
        }
    }

    /** A growable FIFO of bytes. Under the transport's lock. */
    private static final class ByteQueue {
        private byte[] bytes = new byte[1024];
        private int start;
        private int end;

        int size() {
            return end - start;
        }

        boolean isEmpty() {
            return start == end;
        }

        void clear() {
            start = 0;
            end = 0;
        }

        /** Appends up to {@code max} bytes of {@code from}; how many. */
        int put(ByteBuffer from, int max) {
            int n = Math.min(from.remaining(), max);
            if (n <= 0) {
                return 0;
            }
            if (end + n > bytes.length) {
                int size = size();
                byte[] target = size + n > bytes.length ? new byte[Math.max(bytes.length * 2, size + n)] : bytes;
                System.arraycopy(bytes, start, target, 0, size);
                bytes = target;
                start = 0;
                end = size;
            }
            from.get(bytes, end, n);
            end += n;
            return n;
        }

        /** Moves as many bytes as fit into {@code into}; how many. */
        int take(ByteBuffer into) {
            int n = Math.min(into.remaining(), size());
            into.put(bytes, start, n);
            start += n;
            if (start == end) {
                clear();
            }
            return n;
        }
    }
}
