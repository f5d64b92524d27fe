package dev.strand.reactor.tcp;

import java.io.IOException;

/**
 * What a {@link BlockingConnection}'s streams throw once the connection is unbound (and, for reads,
 * once the bytes received before were read): it carries the {@link CloseReason}.
 */
public final class ConnectionClosedException extends IOException {

    private final transient CloseReason reason;

    ConnectionClosedException(CloseReason reason) {
        super("connection closed: " + reason, reason.cause().orElse(null));
        this.reason = reason;
    }

    /** Why the connection was closed. Any thread. */
    public CloseReason reason() {
        return reason;
    }
}
