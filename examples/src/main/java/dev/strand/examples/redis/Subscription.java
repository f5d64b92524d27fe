package dev.strand.examples.redis;

import dev.strand.reactor.Deferred;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * A channel this client is subscribed to, from {@link RedisClient#subscribe}: its handler gets the
 * channel's messages until {@link #unsubscribe()}.
 *
 * <p><b>Threading.</b> Any thread; the handler and the deferreds' callbacks run on the client's loop.
 */
public final class Subscription {

    private final String channel;
    /** Sends the UNSUBSCRIBE that completes the deferred it is given. */
    private final BiConsumer<Subscription, Deferred<Void>> unsubscriber;
    /** The one unsubscribe: unsubscribing again gives the same deferred. */
    private final Deferred<Void> unsubscribed;
    private final AtomicBoolean asked = new AtomicBoolean();

    Subscription(String channel, Deferred<Void> unsubscribed, BiConsumer<Subscription, Deferred<Void>> unsubscriber) {
        this.channel = channel;
        this.unsubscribed = unsubscribed;
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
    public Deferred<Void> unsubscribe() {
        if (asked.compareAndSet(false, true)) {
            unsubscriber.accept(this, unsubscribed);
        }
        return unsubscribed;
    }

    @Override
    public String toString() {
        return "Subscription to " + channel;
    }
}
