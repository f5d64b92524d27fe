package dev.strand.reactor;

import java.util.concurrent.RejectedExecutionException;

/**
 * The reactor's offload pool refused a block: all its threads were busy and its queue was full
 * ({@link Reactor.Builder#maxPendingOffloads}), or the reactor was closed, before the block ran or
 * while it ran. The message names the reactor and says which.
 *
 * <p>Thrown by {@link Fiber#offload}; the failure of a {@link Deferred} from
 * {@link EventLoop#defer} or {@link EventLoop#system}. Refusing at once is the point: under
 * overload a caller learns it in microseconds instead of queueing without bound.
 */
public final class OffloadRejectedException extends RejectedExecutionException {

    private final boolean closed;

    OffloadRejectedException(String message, boolean closed) {
        super(message);
        this.closed = closed;
    }

    /** Whether the reason is that the reactor was closed, not that the pool was full. Any thread. */
    public boolean closed() {
        return closed;
    }
}
