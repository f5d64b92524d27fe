package dev.strand.reactor.tcp;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a connection was unbound: what {@link ConnectionHandler#unbind} receives, exactly once per
 * connection. An immutable value; any thread.
 *
 * @param kind  what ended the connection
 * @param cause the failure behind it, for the kinds that have one (errors, failed connects, failed
 *              handlers); empty otherwise
 */
public record CloseReason(Kind kind, Optional<Throwable> cause) {

    /** What ended a connection. */
    public enum Kind {
        /** Closed by this side: {@link Connection#close()}, or {@link Connection#closeAfterWriting()} once written. */
        CLOSED,
        /**
         * The peer ended its stream; what was queued before was written first, sends after the end
         * were dropped. Over TLS, the peer sent its close_notify; when it ended the TCP stream
         * without one (a truncation an attacker could cause), the cause says so. (A {@linkplain Connection#blocking() blocking} connection is not closed by
         * the peer's end: its fiber closes it, with {@link #CLOSED}.)
         */
        PEER_CLOSED,
        /** Nothing was read or written for the inactivity timeout ({@link Tcp.Builder#inactivityTimeout}). */
        INACTIVITY_TIMEOUT,
        /** An outgoing connection was not established within the connect timeout ({@link Tcp.Builder#connectTimeout}). */
        CONNECT_TIMEOUT,
        /** Bytes waited to be written and the peer took none for {@link Tcp.Builder#writeTimeout}: a peer that stopped reading. */
        WRITE_TIMEOUT,
        /** An outgoing connection could not be established: the name did not resolve, or every address refused. */
        CONNECT_FAILED,
        /**
         * More than {@link Tcp.Builder#maxQueuedBytes} were queued for writing: a writer ignored
         * {@link Connection#sendData}'s signal. What was queued is discarded.
         */
        OVERFLOW,
        /** A {@link ConnectionHandler} callback (or the handler factory) threw; the cause is what it threw. */
        HANDLER_FAILED,
        /**
         * TLS failed: the handshake (an untrusted certificate, a host name that does not match, no
         * common protocol, a peer that does not speak TLS, no handshake within
         * {@link TlsOptions#handshakeTimeout()}) or a record later (a forged or corrupt one). The
         * cause is the {@link javax.net.ssl.SSLException}.
         */
        TLS_FAILED,
        /** Reading or writing failed, such as a connection reset by the peer. */
        ERROR,
        /** The connection's loop stopped (its reactor was stopped). */
        STOPPED
    }

    /**
     * A reason.
     *
     * @throws NullPointerException when an argument is null
     */
    public CloseReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cause, "cause");
    }

    static CloseReason of(Kind kind) {
        return new CloseReason(kind, Optional.empty());
    }

    static CloseReason of(Kind kind, Throwable cause) {
        return new CloseReason(kind, Optional.of(cause));
    }

    @Override
    public String toString() {
        return cause.map(c -> kind + " (" + c + ")").orElse(kind.name());
    }
}
