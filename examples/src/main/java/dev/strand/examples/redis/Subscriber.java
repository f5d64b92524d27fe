package dev.strand.examples.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.strand.reactor.Deferred;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Failure;
import dev.strand.reactor.tcp.CloseReason;
import dev.strand.reactor.tcp.Connection;
import dev.strand.reactor.tcp.ConnectionHandler;
import dev.strand.reactor.tcp.Tcp;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A {@link RedisClient}'s dedicated subscription connection. Redis answers SUBSCRIBE and UNSUBSCRIBE
 * with one confirmation per channel, in order, and interleaves the channels' messages with them:
 * confirmations complete the oldest waiting request (a FIFO, as for commands), messages go to their
 * channel's handler. Everything here runs on the client's loop, made by it on that loop (so the
 * toolkit puts this connection there too).
 */
final class Subscriber {

    /** A SUBSCRIBE or UNSUBSCRIBE waiting for its confirmation. */
    private record Waiting(boolean subscribe, String channel, Deferred<Subscription> subscribed,
                           Deferred<Void> unsubscribed) {
    }

    private final String address;
    private final int maxPending;
    private final RespParser parser;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final Map<String, Consumer<String>> handlers = new HashMap<>();
    private RedisConnectionException ended;
    private final Connection connection;
    private final EventLoop loop;

    Subscriber(Tcp tcp, String host, int port, RedisClient.Builder settings) {
        this.address = host + ":" + port;
        this.maxPending = settings.maxPending();
        this.parser = settings.parser();
        this.connection = tcp.connect(host, port, new Handler());
        this.loop = connection.loop();
    }

    /** Whether it still serves. On the loop. */
    boolean isOpen() {
        return ended == null;
    }

    /** On the loop. */
    void subscribe(String channel, Consumer<String> onMessage, Deferred<Subscription> deferred) {
        if (ended != null) {
            deferred.tryFail(ended);
        } else if (handlers.containsKey(channel)) {
            deferred.tryFail(new IllegalStateException("strand-redis: already subscribed to " + channel));
        } else if (waiting.size() >= maxPending) {
            deferred.tryFail(new IllegalStateException("strand-redis: " + maxPending
                    + " subscription requests already wait for their confirmation"));
        } else {
            handlers.put(channel, onMessage);
            waiting.add(new Waiting(true, channel, deferred, null));
            connection.sendData(RedisClient.encode("SUBSCRIBE", channel));
        }
    }

    /** Any thread: what {@link Subscription#unsubscribe()} does. */
    private void unsubscribe(Subscription subscription, Deferred<Void> deferred) {
        try {
            loop.schedule(() -> {
                if (ended != null) {
                    deferred.tryFail(ended);
                } else {
                    // Not bounded by maxPending: at most one per subscription, and subscriptions are.
                    waiting.add(new Waiting(false, subscription.channel(), null, deferred));
                    connection.sendData(RedisClient.encode("UNSUBSCRIBE", subscription.channel()));
                }
            });
        } catch (RejectedExecutionException stopped) {
            deferred.tryFail(new RedisConnectionException("strand-redis: the reactor has stopped", stopped));
        }
    }

    /** On the loop. */
    void close() {
        end(new RedisConnectionException("strand-redis: the client was closed", (Throwable) null));
        connection.close();
    }

    private void end(RedisConnectionException why) {
        if (ended == null) {
            ended = why;
        }
        handlers.clear();
        Waiting request;
        while ((request = waiting.poll()) != null) {
            (request.subscribe ? request.subscribed : request.unsubscribed).tryFail(ended);
        }
    }

    private void onReply(Object reply) {
        if (reply instanceof RespParser.ErrorReply error) {
            Waiting request = oldest(reply);
            if (request.subscribe) {
                handlers.remove(request.channel);
                request.subscribed.tryFail(new RedisException(error.message()));
            } else {
                request.unsubscribed.tryFail(new RedisException(error.message()));
            }
            return;
        }
        if (!(reply instanceof List<?> parts) || parts.size() != 3 || !(parts.get(0) instanceof byte[] kindBytes)
                || !(parts.get(1) instanceof byte[] channelBytes)) {
            throw protocol(reply);
        }
        String kind = new String(kindBytes, UTF_8);
        String channel = new String(channelBytes, UTF_8);
        switch (kind) {
            case "message" -> {
                if (!(parts.get(2) instanceof byte[] payload)) {
                    throw protocol(reply);
                }
                Consumer<String> handler = handlers.get(channel);
                // None: a channel never (or no longer) subscribed to here; such a message means nothing to anyone.
                if (handler != null) {
                    try {
                        handler.accept(new String(payload, UTF_8));
                    } catch (Throwable t) {
                        loop.reportFailure(Failure.CALLBACK, t);
                    }
                }
            }
            case "subscribe" -> {
                Waiting request = oldest(reply);
                if (!request.subscribe || !request.channel.equals(channel)) {
                    throw protocol(reply);
                }
                request.subscribed.trySucceed(new Subscription(channel, Deferred.create(loop), this::unsubscribe));
            }
            case "unsubscribe" -> {
                Waiting request = oldest(reply);
                if (request.subscribe || !request.channel.equals(channel)) {
                    throw protocol(reply);
                }
                handlers.remove(channel);
                request.unsubscribed.trySucceed(null);
            }
            default -> throw protocol(reply);
        }
    }

    private Waiting oldest(Object reply) {
        Waiting request = waiting.poll();
        if (request == null) {
            throw protocol(reply);
        }
        return request;
    }

    private RedisProtocolException protocol(Object reply) {
        return new RedisProtocolException("strand-redis: an unexpected reply on the subscription connection to "
                + address + ": " + RedisClient.decode(reply));
    }

    private final class Handler implements ConnectionHandler {
        @Override
        public void receiveData(Connection connection, ByteBuffer data) {
            if (ended != null) {
                return;
            }
            try {
                parser.feed(data, Subscriber.this::onReply);
            } catch (RedisProtocolException e) {
                end(e);
                connection.close();
            }
        }

        @Override
        public void unbind(Connection connection, CloseReason reason) {
            end(new RedisConnectionException("strand-redis: the subscription connection to " + address + " ended", reason));
        }
    }
}
