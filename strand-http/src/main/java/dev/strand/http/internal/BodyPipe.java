package dev.strand.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Carries a request body from the loop (which parses it) to the handler (which reads it).
 *
 * <p>The loop calls {@link #offer}, {@link #end} and {@link #fail}; the handler reads through
 * {@link #stream()}. Reading waits while the pipe is empty: on a fiber that parks it, and the loop
 * goes on. In loop-carrier mode both sides run on the same thread, never at once; in JDK-scheduler
 * mode they are different threads, hence the lock.
 */
final class BodyPipe {

    /** Beyond this many buffered bytes the connection stops reading until the handler catches up. */
    private final int highWater;
    /** Under this many the reader wakes a throttled connection. */
    private final int lowWater;

    /** The body of every request that has none: complete, and shared, so it holds no state. */
    static final BodyPipe EMPTY = new BodyPipe();

    private final ReentrantLock lock;
    private final Condition changed;
    private final ArrayDeque<byte[]> chunks;
    private final Listener listener;
    private int offset;
    private long buffered;
    private boolean ended;
    private IOException failure;
    private boolean firstRead = true;
    private volatile boolean throttled;

    /** Told of the reader's progress; called on the reader's thread, without the lock. */
    interface Listener {
        /** The handler began reading (time to send 100 Continue). */
        void firstRead();

        /** The reader drained a throttled pipe below the low-water mark. */
        void drained();
    }

    /** A pipe whose connection stops reading past {@code highWater} buffered bytes, until {@code lowWater}. */
    BodyPipe(Listener listener, int lowWater, int highWater) {
        this.listener = listener;
        this.lowWater = lowWater;
        this.highWater = highWater;
        this.lock = new ReentrantLock();
        this.changed = lock.newCondition();
        this.chunks = new ArrayDeque<>();
    }

    private BodyPipe() {
        this.listener = null;
        this.lowWater = 0;
        this.highWater = 0;
        this.lock = null;
        this.changed = null;
        this.chunks = null;
        this.ended = true;
    }

    private boolean isEmptyBody() {
        return this == EMPTY;
    }

    /** Loop side: appends a copy of {@code content}; returns whether the pipe is now above its high-water mark. */
    boolean offer(ByteBuffer content) {
        byte[] copy = new byte[content.remaining()];
        content.get(copy);
        lock.lock();
        try {
            chunks.add(copy);
            buffered += copy.length;
            changed.signalAll();
            return buffered > highWater;
        } finally {
            lock.unlock();
        }
    }

    /** Loop side: marks that the loop stopped reading until {@link Listener#drained()}. */
    void throttle() {
        throttled = true;
    }

    /** Loop side: the body is complete. */
    void end() {
        if (isEmptyBody()) {
            return;
        }
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Loop side: the body will never complete (connection lost, malformed, timed out). */
    void fail(IOException cause) {
        if (isEmptyBody()) {
            return;
        }
        lock.lock();
        try {
            if (!ended) {
                failure = cause;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The body as a stream; not thread-safe, like any InputStream. */
    InputStream stream() {
        if (isEmptyBody()) {
            return InputStream.nullInputStream();
        }
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                return len == 0 ? 0 : take(b, off, len);
            }

            @Override
            public int available() {
                lock.lock();
                try {
                    return (int) Math.min(Integer.MAX_VALUE, buffered);
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    private int take(byte[] b, int off, int len) throws IOException {
        if (firstRead) {
            firstRead = false;
            listener.firstRead();
        }
        int n;
        boolean wake;
        lock.lock();
        try {
            while (chunks.isEmpty()) {
                if (failure != null) {
                    throw new IOException("request body failed: " + failure.getMessage(), failure);
                }
                if (ended) {
                    return -1;
                }
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the request body");
                }
            }
            byte[] chunk = chunks.peek();
            n = Math.min(len, chunk.length - offset);
            System.arraycopy(chunk, offset, b, off, n);
            offset += n;
            if (offset == chunk.length) {
                chunks.poll();
                offset = 0;
            }
            buffered -= n;
            wake = throttled && buffered < lowWater;
            if (wake) {
                throttled = false;
            }
        } finally {
            lock.unlock();
        }
        if (wake) {
            listener.drained();
        }
        return n;
    }
}
