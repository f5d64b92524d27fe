package dev.strand.reactor.spi;

import dev.strand.reactor.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.Optional;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection in memory: two {@link Transport}s joined back to back, what one writes the other
 * reads. Give one end to a server ({@code HttpServer.attach(pipe.serverSide())}, or
 * {@code tcp.attach(loop, pipe.serverSide(), …)}) and the other to a client
 * ({@code tcp.attach(loop, pipe.clientSide(), Optional.empty(), handler)}, then
 * {@link dev.strand.reactor.tcp.Connection#blocking()} for a fiber's blocking reads and writes):
 * a protocol's whole conversation with no socket, on one loop or two. It is the only way to connect
 * in a {@link dev.strand.reactor.Simulation}, whose loop refuses real sockets; every wait on it is a
 * park that the loop ends, so a simulation stays deterministic. A test thread outside the loops
 * drives the client's end with {@link #blockingClient(Duration)} instead (blocking streams with
 * socket-like timeouts), as the test kit's in-memory mode does.
 *
 * <p>Each direction holds at most {@code capacity} bytes (64 KiB by default) until its reader takes
 * them: a writer beyond it writes fewer bytes, as to a full socket, and is told when there is room.
 * Readiness is level-triggered, as a selector's: while an end wants what is there, it is told again,
 * each time in a task of its own on its loop. One end's {@code shutdownOutput} is the other's end of
 * input, after what was written before; one end's {@code close} is the other's end of input too, and
 * makes the other's writes fail, as a reset would.
 *
 * <p>Threading: each end's methods run on the loop that opened it, as {@link Transport} requires; one
 * lock guards both directions, held only to copy bytes. Failures: a write to an end whose peer has
 * closed, or after its own {@code shutdownOutput}, throws an {@link IOException}. An end whose loop has
 * stopped is closed.
 */
public final class MemoryPipe {

    /** How many bytes of each write a simulation's trace shows. */
    private static final int PREVIEW_BYTES = 64;

    /** Bytes each direction holds by default before its writer must wait. */
    public static final int DEFAULT_CAPACITY = 64 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever bytes move or an end changes: a {@link #blockingClient} waits on it. */
    private final Condition changed = lock.newCondition();
    private final int capacity;
    private final End server;
    private final End client;

    private MemoryPipe(int capacity, String name) {
        this.capacity = capacity;
        InetSocketAddress serverAddress = InetSocketAddress.createUnresolved(name.concat("-server"), 1);
        InetSocketAddress clientAddress = InetSocketAddress.createUnresolved(name.concat("-client"), 2);
        this.server = new End(serverAddress, clientAddress);
        this.client = new End(clientAddress, serverAddress);
        server.peer = client;
        client.peer = server;
    }

    /** A pipe of {@value #DEFAULT_CAPACITY} bytes each way. */
    public static MemoryPipe create() {
        return new MemoryPipe(DEFAULT_CAPACITY, "memory");
    }

    /**
     * A pipe of {@code capacity} bytes each way; its ends' addresses are unresolved ones named after
     * {@code name}.
     *
     * @throws IllegalArgumentException when {@code capacity} is less than 1
     */
    public static MemoryPipe create(int capacity, String name) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        return new MemoryPipe(capacity, Objects.requireNonNull(name, "name"));
    }

    /** The end for the accepting side. */
    public Transport serverSide() {
        return server;
    }

    /** The end for the connecting side. */
    public Transport clientSide() {
        return client;
    }

    /**
     * The client's end driven from a thread outside the loops (a test's thread), with blocking
     * streams instead of a connection: reads wait for the server's bytes, writes for room, each wait
     * at most {@code timeout} (then a {@link SocketTimeoutException}), as a socket with that
     * timeout would. Use it instead of {@link #clientSide()}, not with it; the server's end goes to
     * a connection as usual. A wait that parks a fiber is a real-time wait: in a
     * {@link dev.strand.reactor.Simulation}, drive {@link #clientSide()} through a connection instead.
     *
     * <p>Failures: a write after the server closed its end, or after this client's
     * {@link BlockingClient#shutdownOutput()} or {@link BlockingClient#close()}, throws an
     * {@link IOException}; reads return -1 once the server ended its output (after what it wrote).
     *
     * @throws IllegalStateException when the client's end is already in use
     */
    public BlockingClient blockingClient(Duration timeout) {
        lock.lock();
        try {
            if (client.events != null || client.blocking) {
                throw new IllegalStateException("the client's end of this pipe is already in use");
            }
            client.blocking = true;
        } finally {
            lock.unlock();
        }
        return new BlockingClient(timeout.toNanos());
    }

    /** See {@link #blockingClient}. Its streams are for one reader and one writer at a time. */
    public final class BlockingClient implements AutoCloseable {
        private final long timeoutNanos;
        private final InputStream input = new Input();
        private final OutputStream output = new Output();

        private BlockingClient(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }

        /** What the server writes. */
        public InputStream input() {
            return input;
        }

        /** To the server. */
        public OutputStream output() {
            return output;
        }

        /** Ends the client's output (a half-close): the server reads its end after what was sent. */
        public void shutdownOutput() {
            lock.lock();
            try {
                client.outputEnded = true;
            } finally {
                lock.unlock();
            }
            server.reportIfReady();
        }

        /** Closes the client's end, both ways: the server's writes fail from now on. Idempotent. */
        @Override
        public void close() {
            lock.lock();
            try {
                client.closed = true;
                client.outputEnded = true;
                client.incoming.clear();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            server.reportIfReady();
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
                throw new InterruptedIOException("interrupted while waiting on the in-memory connection");
            }
        }

        private final class Input extends InputStream {
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
                    while (client.incoming.size() == 0) {
                        if (server.outputEnded || client.closed) {
                            return -1;
                        }
                        if (!await(deadline)) {
                            throw new SocketTimeoutException("no bytes from the server within " + Duration.ofNanos(timeoutNanos));
                        }
                    }
                    n = client.incoming.take(ByteBuffer.wrap(into, offset, length));
                } finally {
                    lock.unlock();
                }
                server.reportIfReady(); // room for the server's writes
                return n;
            }
        }

        private final class Output extends OutputStream {
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
                            if (client.outputEnded) {
                                throw new IOException("the in-memory client's output is shut down");
                            }
                            if (server.closed) {
                                throw new IOException("the server closed the in-memory connection");
                            }
                            if (server.incoming.size() < capacity) {
                                break;
                            }
                            if (!await(deadline)) {
                                throw new SocketTimeoutException("the server read nothing within " + Duration.ofNanos(timeoutNanos));
                            }
                        }
                        server.incoming.put(bytes, capacity - server.incoming.size());
                    } finally {
                        lock.unlock();
                    }
                    server.reportIfReady();
                }
            }
        }
    }

    /** One end: reads what the peer wrote, writes what the peer reads. */
    private final class End implements Transport {
        private final InetSocketAddress local;
        private final InetSocketAddress remote;
        End peer;
        /** What the peer wrote and this end has not read. Under the lock. */
        private final ByteQueue incoming = new ByteQueue();

        // Under the lock.
        private EventLoop loop;
        private Events events;
        private boolean wantsRead;
        private boolean wantsWrite;
        private boolean reportQueued;
        /** This end shut its output or closed: the peer reads its end after what is queued. */
        private boolean outputEnded;
        private boolean closed;
        /** Driven by a {@link BlockingClient} rather than a connection. */
        private boolean blocking;

        End(InetSocketAddress local, InetSocketAddress remote) {
            this.local = local;
            this.remote = remote;
        }

        @Override
        public void open(Events events) {
            EventLoop current = EventLoop.current().orElseThrow(() -> new IllegalStateException(
                    "a transport is opened on its connection's loop, not " + Thread.currentThread()));
            lock.lock();
            try {
                if (this.events != null || blocking) {
                    throw new IllegalStateException("this end of the pipe is already in use");
                }
                this.loop = current;
                this.events = Objects.requireNonNull(events, "events");
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int read(ByteBuffer into) {
            int n;
            lock.lock();
            try {
                if (incoming.size() == 0) {
                    return peer.outputEnded || closed ? -1 : 0;
                }
                n = incoming.take(into);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            peer.reportIfReady(); // room for the peer's writes
            return n;
        }

        @Override
        public int write(ByteBuffer from) throws IOException {
            int n;
            lock.lock();
            try {
                if (outputEnded) {
                    throw new IOException(closed ? "this end of the pipe is closed" : "output already shut down");
                }
                if (peer.closed) {
                    throw new IOException("the other end of the pipe closed");
                }
                n = peer.incoming.put(from, capacity - peer.incoming.size());
                if (n > 0) {
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (n > 0) {
                noteInSimulation(from, n);
                peer.reportIfReady();
            }
            return n;
        }

        /** In a simulation, the bytes written go into its trace, so that correlation shows the data an event caused. */
        private void noteInSimulation(ByteBuffer from, int n) {
            java.util.Optional<dev.strand.reactor.Simulation> sim = dev.strand.reactor.Simulation.current();
            if (sim.isEmpty()) {
                return;
            }
            StringBuilder preview = new StringBuilder();
            int start = from.position() - n;
            for (int i = start; i < start + Math.min(n, PREVIEW_BYTES); i++) {
                char c = (char) (from.get(i) & 0xff);
                switch (c) {
                    case '\r' -> preview.append("\\r");
                    case '\n' -> preview.append("\\n");
                    default -> preview.append(c >= 0x20 && c < 0x7f ? c : '.');
                }
            }
            sim.get().note(local.getHostString() + " wrote " + n + " bytes: " + preview + (n > PREVIEW_BYTES ? "…" : ""));
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
                room = capacity - peer.incoming.size();
            } finally {
                lock.unlock();
            }
            if (room <= 0 || count == 0) {
                return 0;
            }
            ByteBuffer piece = ByteBuffer.allocate((int) Math.min(count, room));
            int n = file.read(piece, position);
            return n <= 0 ? 0 : write(piece.flip()); // only this end writes to the peer: the room is still there
        }

        @Override
        public void shutdownOutput() {
            lock.lock();
            try {
                outputEnded = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            peer.reportIfReady();
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
                if (closed) {
                    return;
                }
                closed = true;
                outputEnded = true;
                incoming.clear();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            peer.reportIfReady();
        }

        @Override
        public Optional<InetSocketAddress> remoteAddress() {
            return Optional.of(remote);
        }

        @Override
        public Optional<InetSocketAddress> localAddress() {
            return Optional.of(local);
        }

        /** Whether this end wants what is there now. Under the lock. */
        private boolean ready() {
            return events != null && !closed && (readable() || writable());
        }

        private boolean readable() {
            return wantsRead && (incoming.size() > 0 || peer.outputEnded);
        }

        private boolean writable() {
            // Once the peer has closed, a write fails at once: report it, so that the connection learns.
            return wantsWrite && (peer.incoming.size() < capacity || peer.closed);
        }

        /** Queues a readiness report on this end's loop if it wants what is there and none is queued. Any thread. */
        void reportIfReady() {
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

        /** Reports readiness, then again if still ready (level-triggered). On this end's loop. */
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
    }

    /** A growable FIFO of bytes. Under the pipe's lock. */
    private static final class ByteQueue {
        private byte[] bytes = new byte[256];
        private int start;
        private int end;

        int size() {
            return end - start;
        }

        /** Copies up to {@code max} bytes from {@code from}; how many. */
        int put(ByteBuffer from, int max) {
            int n = Math.min(from.remaining(), Math.max(0, max));
            if (n == 0) {
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
                start = 0;
                end = 0;
            }
            return n;
        }

        void clear() {
            start = 0;
            end = 0;
        }
    }
}
