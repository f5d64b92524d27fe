package dev.strand.reactor.tcp;

import java.nio.ByteBuffer;

/**
 * What a connection does with its events: EventMachine's connection callbacks.
 *
 * <p>Every callback gets the {@link Connection}, so a stateless handler is one lambda (an echo:
 * {@code (connection, data) -> connection.sendData(data)}); a stateful one is a class, one
 * instance per connection, made by the factory given to {@link Tcp#startServer}.
 *
 * <p>Order, per connection: {@link #postInit} first; then, for connections made by
 * {@link Tcp#connect}, {@link #connectionCompleted} once connected (over TLS: once the handshake
 * is done), then, over TLS, {@link #handshakeCompleted}; then any number of {@link #receiveData} and
 * {@link #drained} (and {@code handshakeCompleted} after a {@link Connection#startTls}); finally {@link #unbind}, exactly once, whatever ended
 * the connection (a failed connect included). Nothing is called after {@code unbind}.
 *
 * <p><b>Threading.</b> On the connection's loop, always ({@link Connection#loop()}); so per
 * connection the callbacks never overlap, and state they share with nothing else needs no lock.
 * They must not block: blocking work goes to a fiber ({@code connection.loop().startFiber(...)}),
 * or see {@link Connection#blocking()}. The only exception to "on the loop": when the loop has
 * already stopped, {@code unbind(STOPPED)} runs on whichever thread finds it so.
 *
 * <p><b>Failures.</b> Anything a callback throws, {@link Error}s included, is contained: it is
 * counted on the loop ({@link dev.strand.reactor.Failure#CONNECTION_HANDLER}) and reported, and
 * the connection is closed at once with {@link CloseReason.Kind#HANDLER_FAILED} (its {@code unbind}
 * is still called, once). What {@code unbind} itself throws is counted and reported. The loop goes
 * on either way.
 */
@FunctionalInterface
public interface ConnectionHandler {

    /**
     * The connection exists: for an accepted one it is connected, for an outgoing one the connect
     * has not begun yet. The place to keep the connection, set up state, or {@link Connection#pause()}.
     * The default does nothing. On the connection's loop.
     */
    default void postInit(Connection connection) {
    }

    /**
     * An outgoing connection ({@link Tcp#connect}) is established, and over TLS its handshake is
     * done too; data sent before this is written from now on. Never called for accepted connections. The default does nothing. On the
     * connection's loop.
     */
    default void connectionCompleted(Connection connection) {
    }

    /**
     * A TLS handshake completed: {@link Connection#tlsSession()} now tells the peer's certificate,
     * the protocol and the cipher suite. Called once per handshake, on either side: for connections
     * from {@link Tcp#startServer(String, int, TlsOptions, java.util.function.Supplier)} and
     * {@link Tcp#connect(String, int, TlsOptions, ConnectionHandler)} and after
     * {@link Connection#startTls}. For a TLS connection made by {@code connect},
     * {@link #connectionCompleted} comes just before this: "connected" means "handshake done".
     * A failed handshake calls {@link #unbind} with {@link CloseReason.Kind#TLS_FAILED} instead.
     * The default does nothing. On the connection's loop.
     */
    default void handshakeCompleted(Connection connection) {
    }

    /**
     * Bytes arrived (over TLS: decrypted). They are a piece of the stream, nothing more: a message may come in several
     * calls and one call may carry several messages.
     *
     * <p><b>Buffer ownership:</b> {@code data} is the loop's read buffer, lent for this call only:
     * read it (its position and limit are yours to move), pass it to {@link Connection#sendData},
     * which copies, but do not keep it or a view of it: the next read on the loop overwrites it.
     * Copy what you need to keep. It is a direct buffer ({@code data.hasArray()} is false).
     *
     * <p>Not called while the connection is {@linkplain Connection#pause() paused}, nor once it
     * is driven {@linkplain Connection#blocking() from a fiber}. On the connection's loop.
     */
    void receiveData(Connection connection, ByteBuffer data);

    /**
     * The peer ended its stream: nothing more will be read. Return {@code false} (the default) to
     * let the connection close once what is queued is written ({@link #unbind} with
     * {@link CloseReason.Kind#PEER_CLOSED}); return {@code true} to keep writing on the half-closed
     * connection (an HTTP/1.1 server still answers the requests read before the end) and close it
     * yourself when done. Not called for a connection driven {@linkplain Connection#blocking() from
     * a fiber}: its reader gets {@code -1}. On the connection's loop.
     */
    default boolean inputEnded(Connection connection) {
        return false;
    }

    /**
     * The out-queue fell to the low watermark or below, after {@link Connection#sendData} had said
     * it was over the high watermark: sending may go on. Called at least once after each such
     * signal (possibly more often). The default does nothing. On the connection's loop.
     */
    default void drained(Connection connection) {
    }

    /**
     * The connection is closed, and why. Called exactly once per connection, last. Sends are
     * dropped from now on. The default does nothing. On the connection's loop (see the class
     * comment for a stopped loop).
     */
    default void unbind(Connection connection, CloseReason reason) {
    }
}
