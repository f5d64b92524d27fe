package dev.strand.reactor.tcp;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A {@link Connection} driven by plain blocking reads and writes from a fiber: Neverblock's model,
 * on Strand's loops. Get one with {@link Connection#blocking()}.
 *
 * <pre>{@code
 * // A server whose every connection is served top to bottom by a fiber on the connection's loop.
 * tcp.startServer(7000, () -> new ConnectionHandler() {
 *     public void postInit(Connection connection) {
 *         BlockingConnection blocking = connection.blocking();
 *         connection.loop().startFiber(() -> {
 *             try (blocking) {
 *                 blocking.input().transferTo(blocking.output());   // echo until the peer ends
 *             } catch (IOException e) {
 *                 // the connection is closed: e is a ConnectionClosedException saying why
 *             }
 *         });
 *     }
 *     public void receiveData(Connection connection, ByteBuffer data) {
 *         // not called: the fiber reads
 *     }
 * });
 * }</pre>
 *
 * <p><b>Threading.</b> One reader and one writer at a time (they may be different threads). A read
 * with nothing buffered, or a write that finds the out-queue over the high watermark, parks the
 * calling thread: on a fiber carried by the connection's loop, the loop resumes it in the same
 * turn that the bytes or the room come, without any hand-off; a fiber elsewhere, or a platform
 * thread, is woken across threads. A loop's own thread must never wait: there these calls throw
 * {@link IllegalStateException}.
 *
 * <p><b>Bounds.</b> The loop reads ahead at most about the high watermark (it pauses reading until
 * the fiber catches up); a write is queued in pieces of at most the high watermark, each waiting
 * for the queue to drain to the low one, so a fiber never overflows the connection.
 *
 * <p><b>Failures.</b> Reads return the bytes received before the end first; then {@code -1}
 * when the peer ended the stream, or a {@link ConnectionClosedException} carrying the
 * {@link CloseReason} for any other end. Writes after the end throw that exception. An interrupted
 * waiter gets a {@link java.io.InterruptedIOException} (its interrupt status kept); the connection
 * stays open. Waits are bounded only by the connection's life: set an
 * {@linkplain Tcp.Builder#inactivityTimeout inactivity timeout} to bound them in time.
 */
public interface BlockingConnection extends AutoCloseable {

    /** The connection this view drives. Any thread. */
    Connection connection();

    /**
     * The bytes received, as a stream; always the same stream. {@code read} parks until at least
     * one byte is there; {@code available} says how many are buffered; {@code close} is
     * {@link Connection#closeAfterWriting()}. Any thread but a loop's own.
     */
    InputStream input();

    /**
     * The stream to write to; always the same stream. {@code write} queues the bytes and parks
     * while the queue is over the high watermark; {@code flush} does nothing (written bytes are
     * already queued for the loop); {@code close} is {@link Connection#closeAfterWriting()}. Any
     * thread but a loop's own.
     */
    OutputStream output();

    /**
     * {@link Connection#closeAfterWriting()}: what was written is delivered, then the connection
     * closes. Never throws. Any thread.
     */
    @Override
    void close();
}
