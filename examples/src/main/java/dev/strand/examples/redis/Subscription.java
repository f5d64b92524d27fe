package dev.strand.examples.redis;

import dev.strand.reactor.Deferred;
import java.util.function.Function;

/**
 * A channel this client is subscribed to, from {@link RedisClient#subscribe}: its handler gets the
 * channel's messages until {@link #unsubscribe()}.
 *
 * <p><b>Threading.</b> Any thread; the handler and the deferreds' callbacks run on the client's loop.
 */
public final class Subscription {

    private final String channel;
    private final Function<Subscription, Deferred<Void>> unsubscriber;
    /** The one unsubscribe, once asked for: unsubscribing again gives the same deferred. */
    private Deferred<Void> unsubscribed;

    Subscription(String channel, Function<Subscription, Deferred<Void>> unsubscriber) {
        this.channel = channel;
        this.unsubscriber = unsubscriber;
    }

    /** The channel. Any thread. */
    public String channel() {
        return channel;
    }

    /**
     * Unsubscribes; completes once the server confirms, after the messages it sent before (which
     * the handler still gets). No message reaches the handler after that. Idempotent: every call
     * returns the same deferred. Fails with a {@link RedisConnectionException} when the
     * subscription connection is lost or closed first (the subscription is over then, too). Any
     * thread.
     */
    public synchronized Deferred<Void> unsubscribe() {
        // Held only for this call, which never parks: no loop waits on a fiber through this lock.
        if (unsubscribed == null) {
            unsubscribed = unsubscriber.apply(this);
        }
        return unsubscribed;
    }

    @Override
    public String toString() {
        return "Subscription to " + channel;
    }
}
