package dev.strand.reactor;

/**
 * A {@link Deferred} was not completed in time: the failure its {@link Deferred#timeout} gives it,
 * or what {@link Deferred#await(java.time.Duration)} throws when its own wait runs out. As a
 * {@link TimedOut}, Strand's HTTP server answers it {@code 503}.
 */
public final class DeferredTimeoutException extends RuntimeException implements TimedOut {

    DeferredTimeoutException(String message) {
        super(message);
    }
}
