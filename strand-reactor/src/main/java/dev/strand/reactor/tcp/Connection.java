package dev.strand.reactor.tcp;

import dev.strand.reactor.EventLoop;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One TCP connection on one event loop: EventMachine's connection, with write watermarks.
 *
 * <p><b>Threading.</b> Every method may be called from any thread. On the connection's own loop
 * (its thread, or a fiber it carries) they act at once; from elsewhere they are handed to the loop
 * (a task and, when the loop sleeps, a wake-up), and take effect in order per calling thread. The
 * handler's callbacks always run on the loop.
 *
 * <p><b>Back-pressure.</b> Writes queue in memory until the socket takes them. Past the high
 * watermark ({@link Tcp.Builder#highWatermark}, 64 KiB by default) {@link #sendData} returns
 * {@code true}: stop sending until {@link ConnectionHandler#drained} (the queue fell to the low
 * watermark, 32 KiB by default). A writer that ignores this and queues more than
 * {@link Tcp.Builder#maxQueuedBytes} (16 × high by default) gets its connection closed with
 * {@link CloseReason.Kind#OVERFLOW}: memory per connection stays bounded whatever the peer does.
 * Reading is paused with {@link #pause()}: the peer's sends then fill the kernel's buffers and stall.
 *
 * <p><b>TLS.</b> Over TLS ({@link TlsOptions}) the connection sends and receives plaintext; it
 * encrypts and decrypts on its loop, and runs the handshake's slow steps (the engine's delegated
 * tasks: key agreement, certificate checks) on the reactor's offload pool, so the loop is never
 * held up. The watermarks count plaintext bytes not yet encrypted; on top of them, each
 * connection holds at most one fixed buffer of encrypted bytes (about four TLS records, ~68 KiB)
 * that the socket has not yet taken. {@link #closeAfterWriting()} sends TLS's close_notify after
 * the data, then closes; a peer's close_notify ends the connection with
 * {@link CloseReason.Kind#PEER_CLOSED}.
 *
 * <p><b>Failures.</b> No method throws once the connection is closed: sends are dropped (and say
 * so, by returning {@code true}), closes are idempotent. How it ended is what
 * {@link ConnectionHandler#unbind} gets.
 */
public interface Connection {

    /** The loop that runs this connection's I/O and callbacks; fixed for its life. Any thread. */
    EventLoop loop();

    /** The peer's address, once connected; empty before. Any thread. */
    Optional<InetSocketAddress> remoteAddress();

    /** This side's address, once connected; empty before. Any thread. */
    Optional<InetSocketAddress> localAddress();

    /**
     * Queues {@code data}'s remaining bytes for writing, after everything sent before; they are
     * copied (the buffer is the caller's again on return; its position moves to its limit). Data
     * sent before an outgoing connection is established is written once it is. Any thread: on the
     * loop it costs one copy and, for small data, no allocation (it lands in a buffer the loop lends
     * while the connection has output queued, after the data queued before it, so that many small
     * sends leave in one write); from elsewhere a copy and a task handed to the loop.
     *
     * @return {@code true} when the caller should stop sending: the queue is now over the high
     *         watermark (wait for {@link ConnectionHandler#drained}), or the connection is closed
     *         or closing and the data was dropped ({@link #isOpen()} tells which)
     */
    boolean sendData(ByteBuffer data);

    /**
     * Queues {@code data} itself for writing, without copying it, after everything sent before: for
     * large buffers written once and never changed (a response body). The connection owns the buffer
     * from now on: it moves its position as the socket takes its bytes, and the caller must change
     * neither the buffer nor its bytes until the connection has written it or closed ({@link #whenDrained()}
     * says when everything is written). Any thread.
     *
     * @return as {@link #sendData(ByteBuffer)}
     */
    boolean sendWithoutCopy(ByteBuffer data);

    /**
     * Completes once the bytes queued and not yet written are at the low watermark or below: at
     * once when they already are. The fiber-friendly form of {@link ConnectionHandler#drained}: a
     * writer that was told to stop ({@link #sendData} returned {@code true}) awaits this. Any thread.
     *
     * @return completes on the loop; fails with {@link ConnectionClosedException} when the
     *         connection closes first
     */
    CompletableFuture<Void> whenDrained();

    /**
     * Queues {@code data} for writing; the same as {@code sendData(ByteBuffer.wrap(data))}.
     *
     * @return as {@link #sendData(ByteBuffer)}
     */
    boolean sendData(byte[] data);

    /**
     * Writes {@code file} without copying it through the heap ({@link java.nio.channels.FileChannel#transferTo}),
     * after everything sent before and before everything sent after; piece by piece as the socket
     * takes it, so a large file holds no memory and respects the peer's pace. Its bytes do not
     * count towards the watermarks (what is sent after it does). The file is opened here; its
     * length is read when its turn comes. Over TLS, where the bytes must be encrypted, it is read
     * in 16 KiB pieces instead, each encrypted as the socket takes the previous one. Any thread.
     *
     * @return completes (on the loop, unless the connection was already closing) with the bytes
     *         written once the whole file is handed to the
     *         socket; fails with {@link ConnectionClosedException} when the connection closes first,
     *         or with the {@link java.io.IOException} reading the file failed with (the connection
     *         is then closed with {@link CloseReason.Kind#ERROR})
     * @throws java.io.UncheckedIOException when the file cannot be opened
     */
    CompletableFuture<Long> sendFile(Path file);

    /**
     * Bytes queued by {@link #sendData} and not yet written to the socket (over TLS: not yet
     * encrypted), including those still on their way to the loop. Any thread.
     */
    long queuedBytes();

    /**
     * Stops reading: no {@link ConnectionHandler#receiveData} until {@link #resume()}. Called
     * inside {@code receiveData}, no further call follows for the current read. Any thread.
     */
    void pause();

    /** Reads again after {@link #pause()}. Any thread. */
    void resume();

    /** Whether reading is {@linkplain #pause() paused}. Any thread. */
    boolean isPaused();

    /**
     * Closes now: what is queued is discarded, and {@link ConnectionHandler#unbind} follows with
     * {@link CloseReason.Kind#CLOSED} (unless the connection was already closing for another
     * reason). Idempotent. Over TLS no close_notify is sent: the peer sees the stream cut, which
     * it may take for a truncation; use {@link #closeAfterWriting()} for an orderly end. Any thread.
     */
    void close();

    /**
     * Closes once everything queued so far (files included) is written: later sends are dropped;
     * bytes that still arrive meanwhile are delivered as usual. Then {@code unbind(CLOSED)}.
     * Idempotent; {@link #close()} still cuts it short. Any thread.
     */
    void closeAfterWriting();

    /** Whether the connection is neither closed nor closing: sends are accepted. Any thread. */
    boolean isOpen();

    /**
     * This connection driven by blocking calls on a fiber (Neverblock's model): reads park the
     * fiber until bytes arrive, writes park it while the out-queue is over the high watermark. From
     * the first call on, received bytes go to the blocking view's input instead of
     * {@link ConnectionHandler#receiveData}; the other callbacks still run. Idempotent: always the
     * same view. Once the peer ends its stream, a blocking connection is not closed by itself (the
     * fiber may still answer): its reader gets {@code -1}, and the fiber closes it when done. Any
     * thread; the view's blocking calls refuse a loop's own thread.
     */
    BlockingConnection blocking();

    /**
     * Upgrades this plaintext connection to TLS, for STARTTLS protocols (SMTP, IMAP, XMPP...): the
     * side that connected is the TLS client (verifying the host it connected to, or
     * {@link TlsOptions#peerHost()}), the accepting side the server. What was sent before this call
     * is written in plaintext first; what is sent after it is encrypted once the handshake is done;
     * everything read after this call is TLS. Call it from {@code receiveData} once the command
     * that asks for it was read (and, on the server, after sending the reply that accepts it):
     * bytes that follow the command in the same {@code data} arrived in plaintext and must be
     * dropped, not treated as part of the protected stream. {@link ConnectionHandler#handshakeCompleted}
     * follows; a failed handshake unbinds with {@link CloseReason.Kind#TLS_FAILED}. On this loop.
     *
     * @throws IllegalStateException off the connection's loop, when the connection is already TLS
     *                               (or being upgraded), or not yet connected
     */
    void startTls(TlsOptions tls);

    /**
     * The TLS session once a handshake completed (the peer's certificates, the protocol, the
     * cipher suite); empty for plaintext, or while the handshake is under way. Any thread.
     */
    Optional<javax.net.ssl.SSLSession> tlsSession();

    /** The ALPN protocol the handshake agreed on; empty without TLS, ALPN or agreement. Any thread. */
    Optional<String> applicationProtocol();
}
