package dev.strand.reactor.tcp;

import dev.strand.reactor.EventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link BlockingConnection}: the loop appends what it reads to an inbox, the fiber takes from
 * it; the fiber's writes are the connection's sends, and it waits on the drained signal.
 *
 * <p>One lock guards the inbox and the two conditions. It is held only for short, non-blocking
 * sections (a copy, a signal), never while a waiter is parked ({@link Condition#await} lets it go):
 * so the loop's thread, which takes it to hand over bytes, never waits behind a fiber it carries.
 */
final class BlockingView implements BlockingConnection {

    private final TcpConnection connection;
    /** Inbox bytes at which the loop stops reading (it may overshoot by one read). */
    private final int capacity;
    private final int lowWatermark;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    /** Bytes in the inbox; read without the lock by the loop to decide whether to read on. */
    private final AtomicLong buffered = new AtomicLong();
    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    // Guarded by lock.
    private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private int headOffset;
    private boolean ended;
    private CloseReason closed;

    BlockingView(TcpConnection connection, int capacity, int lowWatermark) {
        this.connection = connection;
        this.capacity = capacity;
        this.lowWatermark = lowWatermark;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void close() {
        connection.closeAfterWriting();
    }

    // ---- from the loop ---------------------------------------------------------------------

    /** Bytes arrived: copies them into the inbox. On the loop. */
    void received(ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        lock.lock();
        try {
            inbox.addLast(copy);
            buffered.addAndGet(copy.length);
            readable.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the loop should stop reading until the fiber takes some. Any thread. */
    boolean full() {
        return buffered.get() >= capacity;
    }

    /** The peer ended its stream: readers get -1 once the inbox is empty. On the loop. */
    void peerEnded() {
        lock.lock();
        try {
            ended = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The out-queue fell to the low watermark. On the loop. */
    void drained() {
        lock.lock();
        try {
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The connection is closed: wakes every waiter. On the loop (or where its end finds it). */
    void closed(CloseReason reason) {
        lock.lock();
        try {
            closed = reason;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- from the fiber --------------------------------------------------------------------

    /** Under the lock: the close seen by this view, or by the connection before the view existed. */
    private CloseReason closedReason() {
        return closed != null ? closed : connection.closedWith();
    }

    private static void refuseLoopThread(String what) {
        Thread self = Thread.currentThread();
        if (!self.isVirtual()) {
            EventLoop.current().ifPresent(loop -> {
                throw new IllegalStateException("strand-tcp: a blocking " + what + " would block " + loop
                        + "'s thread; call it from a fiber (loop.startFiber) or another thread");
            });
        }
    }

    private int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        refuseLoopThread("read");
        int n = 0;
        boolean wasFull;
        lock.lock();
        try {
            while (inbox.isEmpty()) {
                if (ended) {
                    return -1;
                }
                CloseReason reason = closedReason();
                if (reason != null) {
                    if (reason.kind() == CloseReason.Kind.PEER_CLOSED) {
                        return -1;
                    }
                    throw new ConnectionClosedException(reason);
                }
                await(readable);
            }
            wasFull = full();
            while (n < length && !inbox.isEmpty()) {
                byte[] head = inbox.peekFirst();
                int take = Math.min(length - n, head.length - headOffset);
                System.arraycopy(head, headOffset, bytes, offset + n, take);
                n += take;
                headOffset += take;
                if (headOffset == head.length) {
                    inbox.pollFirst();
                    headOffset = 0;
                }
            }
            buffered.addAndGet(-n);
        } finally {
            lock.unlock();
        }
        if (wasFull && !full()) {
            connection.roomToRead();
        }
        return n;
    }

    private void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        refuseLoopThread("write");
        while (length > 0) {
            // Pieces of at most the high watermark, each waiting for room: never past the hard limit.
            int n = Math.min(length, capacity);
            TcpConnection.Offer offer = connection.offer(ByteBuffer.wrap(bytes, offset, n), true);
            if (offer == TcpConnection.Offer.DROPPED) {
                CloseReason reason = connection.closedWith();
                throw new ConnectionClosedException(reason != null ? reason : CloseReason.of(CloseReason.Kind.CLOSED));
            }
            offset += n;
            length -= n;
            if (offer == TcpConnection.Offer.OVER_HIGH_WATERMARK) {
                awaitDrained();
            }
        }
    }

    private void awaitDrained() throws IOException {
        lock.lock();
        try {
            while (connection.queuedBytes() > lowWatermark) {
                CloseReason reason = closedReason();
                if (reason != null) {
                    throw new ConnectionClosedException(reason);
                }
                await(writable);
            }
        } finally {
            lock.unlock();
        }
    }

    private static void await(Condition condition) throws InterruptedIOException {
        try {
            condition.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on a connection");
        }
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = BlockingView.this.read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            return BlockingView.this.read(bytes, offset, length);
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, buffered.get());
        }

        @Override
        public void close() {
            connection.closeAfterWriting();
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            BlockingView.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            BlockingView.this.write(bytes, offset, length);
        }

        @Override
        public void close() {
            connection.closeAfterWriting();
        }
    }
}
