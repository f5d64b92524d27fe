package dev.strand.examples.redis;

import dev.strand.reactor.tcp.CloseReason;
import java.util.Optional;

/**
 * The connection to the server ended (lost, refused, closed by this side, or cut off for a reply
 * that broke the protocol or a limit): every command still waiting for its reply, and every command
 * sent later, fails with this. Nothing is retried; make a new client to go on. Any thread.
 */
public class RedisConnectionException extends RedisException {

    private static final long serialVersionUID = 1L;

    private final transient Optional<CloseReason> reason;

    RedisConnectionException(String message, CloseReason reason) {
        super(message + ": " + reason, reason.cause().orElse(null));
        this.reason = Optional.of(reason);
    }

    RedisConnectionException(String message, Throwable cause) {
        super(message, cause);
        this.reason = Optional.empty();
    }

    /**
     * How the toolkit reported the end of the connection, when it did: empty when the client
     * itself cut the connection for a bad reply ({@link RedisProtocolException}). Any thread.
     */
    public Optional<CloseReason> reason() {
        return reason;
    }
}
