package dev.strand.examples.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.strand.reactor.Deferred;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.tcp.CloseReason;
import dev.strand.reactor.tcp.Connection;
import dev.strand.reactor.tcp.ConnectionHandler;
import dev.strand.reactor.tcp.Tcp;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An evented Redis client on the reactor's TCP toolkit, speaking RESP2: each command returns a
 * {@link Deferred} at once and is sent without waiting for the replies before it (pipelining); the
 * replies, which Redis sends in the order of the commands, complete the deferreds in that order.
 *
 * <pre>{@code
 * RedisClient redis = RedisClient.connect(Tcp.create(reactor), "127.0.0.1", 6379);
 * redis.set("greeting", "hello");
 * redis.get("greeting").callback(value -> System.out.println(value.orElse("(none)")));  // on the loop
 * // Or, on a fiber: plain code that parks until the reply, never blocking the loop.
 * loop.startFiber(() -> System.out.println(redis.get("greeting").await().orElse("(none)")));
 * }</pre>
 *
 * <p>One client is one connection, made at once and never remade; {@link #subscribe} opens a
 * second, dedicated one on first use (Redis restricts a subscribed connection to subscription
 * commands). Both live on one loop: {@link #loop()}.
 *
 * <p><b>Pipelining and memory.</b> Commands go to the connection as they come while the server
 * keeps up; once the connection's out-queue passes the toolkit's high watermark the client holds
 * them back (up to {@link Builder#maxUnsentBytes}) and sends them as the queue drains, so a long
 * pipeline never trips the toolkit's hard limit. Replies are read as they arrive; each is at most
 * {@link Builder#maxBulkBytes} per bulk string.
 *
 * <p><b>Threading.</b> Every method may be called from any thread. The commands one thread sends go
 * out, and complete, in the order it sent them; commands sent on the client's loop (its thread or a
 * fiber it carries) are queued at once, those from other threads are handed to the loop first.
 * Callbacks of the returned deferreds and subscription handlers run on the loop.
 *
 * <p><b>Failures.</b> Methods throw only for bad arguments ({@link NullPointerException},
 * {@link IllegalArgumentException}); everything else fails a deferred, never leaving one pending
 * once the connection has ended: an error reply fails that command's deferred with a
 * {@link RedisException} carrying the server's message (the connection goes on); a lost connection
 * or {@link #close()} fails every waiting and later command with a
 * {@link RedisConnectionException}; a reply that breaks RESP or a limit closes the connection and
 * fails them all with a {@link RedisProtocolException}; more than {@link Builder#maxPending}
 * commands waiting, or more than {@link Builder#maxUnsentBytes} of commands held back while the
 * server reads slower than they come, fails the extra ones at once, unsent, with an
 * {@link IllegalStateException}. A command sent when
 * the reactor has stopped fails with a {@link RedisConnectionException} too. Nothing is retried:
 * the caller decides whether a command that failed with the connection may be sent again.
 */
public final class RedisClient implements AutoCloseable {

    private final Tcp tcp;
    private final String host;
    private final int port;
    private final Builder settings;
    private final EventLoop loop;
    /** Commands sent and not answered, oldest first. On the loop. */
    private final ArrayDeque<Pending<?>> pending = new ArrayDeque<>();
    private final RespParser parser;
    /**
     * Requests held back while the connection's out-queue is over its high watermark, oldest first,
     * and their size: the client, not the toolkit's hard limit, absorbs a long pipeline. On the loop.
     */
    private final ArrayDeque<byte[]> unsent = new ArrayDeque<>();
    private long unsentBytes;
    /** Whether the toolkit said to stop sending until {@code drained}. On the loop. */
    private boolean holdBack;
    /** Why commands now fail at once; null while the connection serves. Written on the loop. */
    private volatile RedisConnectionException ended;
    /** The dedicated connection for subscriptions, once one was asked for. On the loop. */
    private Subscriber subscriber;
    private final Connection connection;

    private RedisClient(Tcp tcp, String host, int port, Builder settings) {
        this.tcp = tcp;
        this.host = host;
        this.port = port;
        this.settings = settings;
        this.parser = settings.parser();
        // Last: on a loop of tcp's reactor, connect may call the handler before it returns.
        this.connection = tcp.connect(host, port, new Handler());
        this.loop = connection.loop();
    }

    /**
     * A client of the Redis at {@code host}:{@code port}, with the default limits; the same as
     * {@code builder(tcp).connect(host, port)}. Returns at once: commands sent before the
     * connection is established are written once it is; when it cannot be established they fail
     * with a {@link RedisConnectionException} (its {@link RedisConnectionException#reason()} says
     * {@code CONNECT_FAILED} or {@code CONNECT_TIMEOUT}). Any thread.
     *
     * @throws IllegalArgumentException when the port is out of range
     * @throws RejectedExecutionException when the reactor has stopped
     */
    public static RedisClient connect(Tcp tcp, String host, int port) {
        return builder(tcp).connect(host, port);
    }

    /** A builder, to change the client's limits before connecting. Any thread. */
    public static Builder builder(Tcp tcp) {
        return new Builder(Objects.requireNonNull(tcp, "tcp"));
    }

    /** The loop that runs this client's connections and callbacks. Any thread. */
    public EventLoop loop() {
        return loop;
    }

    /** Whether commands are still accepted: neither closed nor lost. Any thread. */
    public boolean isOpen() {
        return ended == null;
    }

    /**
     * Sends any command, such as {@code command("INCRBY", "counter", "5")}, and completes with its
     * reply: a simple string or a bulk string as a {@link String} (UTF-8), an integer as a
     * {@link Long}, an array as an unmodifiable {@link List} of these, a null bulk string or null
     * array as {@link Optional#empty()}; never null. An error reply fails the deferred with a
     * {@link RedisException} (but an error inside an array, as in {@code EXEC}'s reply, is an element
     * of the list). Not for subscription commands: see {@link #subscribe}. Any thread.
     *
     * @throws IllegalArgumentException when {@code args} is empty
     * @throws NullPointerException     when an argument is null
     */
    public Deferred<Object> command(String... args) {
        return send(RedisClient::decode, args);
    }

    /**
     * {@code GET key}: the value, decoded as UTF-8, or empty when there is no such key. Fails with a
     * {@link RedisException} when the key holds another type than a string. Any thread.
     */
    public Deferred<Optional<String>> get(String key) {
        return send(reply -> {
            if (reply instanceof byte[] bytes) {
                return Optional.of(new String(bytes, UTF_8));
            }
            if (reply instanceof Optional<?> none && none.isEmpty()) {
                return Optional.empty();
            }
            throw unexpected(reply);
        }, "GET", key);
    }

    /**
     * {@code SET key value}: completes (with {@code null}) once the server has stored it. Any thread.
     */
    public Deferred<Void> set(String key, String value) {
        return send(reply -> {
            if ("OK".equals(reply)) {
                return null;
            }
            throw unexpected(reply);
        }, "SET", key, value);
    }

    /** {@code DEL key...}: how many of the keys existed. Any thread. */
    public Deferred<Long> del(String... keys) {
        String[] args = new String[keys.length + 1];
        args[0] = "DEL";
        System.arraycopy(keys, 0, args, 1, keys.length);
        return send(RedisClient::integer, args);
    }

    /**
     * {@code PUBLISH channel message}: how many subscribers (on any connection) received it. Any
     * thread.
     */
    public Deferred<Long> publish(String channel, String message) {
        return send(RedisClient::integer, "PUBLISH", channel, message);
    }

    /**
     * Subscribes to {@code channel} on this client's dedicated subscription connection, opened on
     * first use (and opened again on the next call after it was lost). Completes once the server
     * confirms; from then on each message published to the channel is given to {@code onMessage},
     * decoded as UTF-8, on the client's loop, in the order the server sent them, until
     * {@link Subscription#unsubscribe()}. What {@code onMessage} throws is reported on the loop
     * ({@link dev.strand.reactor.Failure#CALLBACK}) and the next messages still come.
     *
     * <p>Fails with an {@link IllegalStateException} when this client is already subscribed to
     * {@code channel}, with a {@link RedisConnectionException} when the subscription connection
     * cannot be made or is lost before the confirmation. If that connection is lost later, messages
     * stop and {@link Subscription#unsubscribe()} fails with the same exception. Any thread.
     */
    public Deferred<Subscription> subscribe(String channel, Consumer<String> onMessage) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(onMessage, "onMessage");
        Deferred<Subscription> deferred = Deferred.create(loop);
        onLoop(deferred, () -> {
            if (ended != null) {
                deferred.tryFail(ended);
                return;
            }
            if (subscriber == null || !subscriber.isOpen()) {
                // Called on the loop: the toolkit puts the new connection on this same loop.
                subscriber = new Subscriber(tcp, host, port, settings);
            }
            subscriber.subscribe(channel, onMessage, deferred);
        });
        return deferred;
    }

    /**
     * Closes the connections now: commands still waiting fail with a
     * {@link RedisConnectionException}, as do later ones; subscriptions end. Idempotent. Any thread.
     */
    @Override
    public void close() {
        try {
            loop.schedule(() -> {
                end(new RedisConnectionException("strand-redis: the client was closed", (Throwable) null));
                connection.close();
                if (subscriber != null) {
                    subscriber.close();
                }
            });
        } catch (RejectedExecutionException stopped) {
            // The loop has stopped: it closed the connections, and their unbind failed what waited.
        }
    }

    @Override
    public String toString() {
        return "RedisClient " + host + ":" + port + " on " + loop + (ended == null ? "" : " (ended)");
    }

    private <T> Deferred<T> send(Function<Object, T> convert, String... args) {
        byte[] request = encode(args);
        Deferred<T> deferred = Deferred.create(loop);
        String name = args[0];
        onLoop(deferred, () -> {
            if (ended != null) {
                deferred.tryFail(ended);
            } else if (pending.size() >= settings.maxPending) {
                deferred.tryFail(new IllegalStateException("strand-redis: " + settings.maxPending
                        + " commands already wait for their replies; " + name + " not sent"));
            } else if (holdBack && unsentBytes + request.length > settings.maxUnsentBytes) {
                deferred.tryFail(new IllegalStateException("strand-redis: " + unsentBytes
                        + " bytes of commands already wait for the server to read; " + name + " not sent"));
            } else {
                pending.add(new Pending<>(deferred, convert, name));
                if (holdBack) {
                    unsent.add(request);
                    unsentBytes += request.length;
                } else {
                    holdBack = connection.sendData(request);
                }
            }
        });
        return deferred;
    }

    /** Runs {@code action} on the loop, or fails {@code deferred} when the loop has stopped. */
    private void onLoop(Deferred<?> deferred, Runnable action) {
        try {
            loop.schedule(action);
        } catch (RejectedExecutionException stopped) {
            deferred.tryFail(new RedisConnectionException("strand-redis: the reactor has stopped", stopped));
        }
    }

    /** Fails every waiting command with {@code why}, and every later one. On the loop (or a stopped loop's caller). */
    private void end(RedisConnectionException why) {
        if (ended == null) {
            ended = why;
        }
        unsent.clear();
        unsentBytes = 0;
        Pending<?> waiting;
        while ((waiting = pending.poll()) != null) {
            waiting.deferred.tryFail(ended);
        }
    }

    /** A command as RESP: an array of bulk strings. */
    static byte[] encode(String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("strand-redis: a command needs at least its name");
        }
        byte[][] parts = new byte[args.length][];
        int size = 16;
        for (int i = 0; i < args.length; i++) {
            parts[i] = Objects.requireNonNull(args[i], "command argument").getBytes(UTF_8);
            size += parts[i].length + 16;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(("*" + args.length + "\r\n").getBytes(UTF_8));
        for (byte[] part : parts) {
            out.put(("$" + part.length + "\r\n").getBytes(UTF_8)).put(part).put((byte) '\r').put((byte) '\n');
        }
        byte[] request = new byte[out.position()];
        out.flip().get(request);
        return request;
    }

    /** A reply as {@link #command} gives it: bulk strings decoded, errors in arrays as exceptions. */
    static Object decode(Object reply) {
        return switch (reply) {
            case byte[] bytes -> new String(bytes, UTF_8);
            case RespParser.ErrorReply error -> new RedisException(error.message());
            case List<?> list -> {
                List<Object> decoded = new ArrayList<>(list.size());
                for (Object item : list) {
                    decoded.add(decode(item));
                }
                yield List.copyOf(decoded);
            }
            default -> reply;
        };
    }

    private static Long integer(Object reply) {
        if (reply instanceof Long n) {
            return n;
        }
        throw unexpected(reply);
    }

    private static RuntimeException unexpected(Object reply) {
        return new RedisException("strand-redis: unexpected reply " + decode(reply));
    }

    /** A command waiting for its reply, and how to turn the reply into its deferred's value. */
    private record Pending<T>(Deferred<T> deferred, Function<Object, T> convert, String name) {
        void complete(Object reply) {
            if (reply instanceof RespParser.ErrorReply error) {
                deferred.tryFail(new RedisException(error.message()));
                return;
            }
            T value;
            try {
                value = convert.apply(reply);
            } catch (RedisException e) {
                deferred.tryFail(new RedisException(e.getMessage() + " to " + name));
                return;
            }
            deferred.trySucceed(value);
        }
    }

    /** The connection's events: replies complete the oldest waiting command; its end fails them all. */
    private final class Handler implements ConnectionHandler {
        @Override
        public void receiveData(Connection connection, ByteBuffer data) {
            if (ended != null) {
                return; // closed for a bad reply or by close(): the rest of the stream means nothing
            }
            try {
                parser.feed(data, this::onReply);
            } catch (RedisProtocolException e) {
                end(e);
                connection.close();
            }
        }

        private void onReply(Object reply) {
            Pending<?> oldest = pending.poll();
            if (oldest == null) {
                throw new RedisProtocolException("strand-redis: a reply from " + host + ":" + port
                        + " that no command asked for: " + decode(reply));
            }
            oldest.complete(reply);
        }

        @Override
        public void drained(Connection connection) {
            holdBack = false;
            byte[] request;
            while (!holdBack && (request = unsent.poll()) != null) {
                unsentBytes -= request.length;
                holdBack = connection.sendData(request);
            }
        }

        @Override
        public void unbind(Connection connection, CloseReason reason) {
            end(new RedisConnectionException("strand-redis: the connection to " + host + ":" + port + " ended", reason));
        }
    }

    /**
     * The client's limits. Not thread-safe; configure, then {@link #connect}.
     */
    public static final class Builder {
        private final Tcp tcp;
        private long maxBulkBytes = 512L * 1024 * 1024;
        private int maxArrayLength = 16 * 1024 * 1024;
        private int maxLineBytes = 64 * 1024;
        private int maxDepth = 32;
        private int maxPending = 1024 * 1024;
        private long maxUnsentBytes = 64L * 1024 * 1024;

        private Builder(Tcp tcp) {
            this.tcp = tcp;
        }

        /**
         * The longest bulk string accepted in a reply; default 512 MiB, Redis's own limit. A longer
         * one fails the connection with a {@link RedisProtocolException} before it is read.
         *
         * @throws IllegalArgumentException when negative or over {@code Integer.MAX_VALUE - 8}
         */
        public Builder maxBulkBytes(long bytes) {
            if (bytes < 0 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxBulkBytes out of range: " + bytes);
            }
            this.maxBulkBytes = bytes;
            return this;
        }

        /**
         * The most elements an array in a reply may announce; default 16 Mi. More fails the
         * connection with a {@link RedisProtocolException}.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder maxArrayLength(int length) {
            if (length < 0) {
                throw new IllegalArgumentException("maxArrayLength must not be negative: " + length);
            }
            this.maxArrayLength = length;
            return this;
        }

        /**
         * The longest line (simple string, error, header) in a reply, CRLF excluded; default 64 KiB.
         *
         * @throws IllegalArgumentException when below 16
         */
        public Builder maxLineBytes(int bytes) {
            if (bytes < 16) {
                throw new IllegalArgumentException("maxLineBytes must be at least 16: " + bytes);
            }
            this.maxLineBytes = bytes;
            return this;
        }

        /**
         * How deep arrays may nest in a reply; default 32.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxDepth(int depth) {
            if (depth < 1) {
                throw new IllegalArgumentException("maxDepth must be positive: " + depth);
            }
            this.maxDepth = depth;
            return this;
        }

        /**
         * How many commands may wait for their replies at once; default 1 Mi. One more fails at once
         * with an {@link IllegalStateException}, unsent.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxPending(int commands) {
            if (commands < 1) {
                throw new IllegalArgumentException("maxPending must be positive: " + commands);
            }
            this.maxPending = commands;
            return this;
        }

        /**
         * How many bytes of commands the client holds back while the server reads slower than
         * they are sent (past the toolkit's high watermark, see
         * {@link Tcp.Builder#highWatermark}); default 64 MiB. A command beyond it fails at once
         * with an {@link IllegalStateException}, unsent; the connection goes on.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder maxUnsentBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxUnsentBytes must not be negative: " + bytes);
            }
            this.maxUnsentBytes = bytes;
            return this;
        }

        /**
         * Connects: see {@link RedisClient#connect(Tcp, String, int)}. Any thread.
         *
         * @throws IllegalArgumentException   when the port is out of range
         * @throws RejectedExecutionException when the reactor has stopped
         */
        public RedisClient connect(String host, int port) {
            Objects.requireNonNull(host, "host");
            return new RedisClient(tcp, host, port, this.copy());
        }

        RespParser parser() {
            return new RespParser(maxBulkBytes, maxArrayLength, maxLineBytes, maxDepth);
        }

        int maxPending() {
            return maxPending;
        }

        private Builder copy() {
            Builder copy = new Builder(tcp);
            copy.maxBulkBytes = maxBulkBytes;
            copy.maxArrayLength = maxArrayLength;
            copy.maxLineBytes = maxLineBytes;
            copy.maxDepth = maxDepth;
            copy.maxPending = maxPending;
            copy.maxUnsentBytes = maxUnsentBytes;
            return copy;
        }
    }
}
