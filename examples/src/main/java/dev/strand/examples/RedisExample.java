package dev.strand.examples;

import dev.strand.examples.redis.RedisClient;
import dev.strand.examples.redis.Subscription;
import dev.strand.reactor.Deferred;
import dev.strand.reactor.Reactor;
import dev.strand.reactor.tcp.Tcp;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Redis client at work against a Redis on 127.0.0.1: a SET and a GET, a pipelined batch, and a
 * pub/sub round trip, each printed. Run it with
 * {@code ./mvnw -q -pl examples -am package -DskipTests -Prun -Dexample=RedisExample -Dport=6379}.
 *
 * <p>The steps are plain sequential code on a fiber of the client's loop: each {@code await()} parks
 * the fiber until the reply, and the loop serves the connection meanwhile. The batch shows the other
 * style: commands sent without waiting, their deferreds completed in order as the replies come.
 */
public final class RedisExample {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private RedisExample() {
    }

    /**
     * Runs the steps against the Redis at {@code host}:{@code port} on {@code reactor}, printing each
     * to {@code out}, and deletes the keys it made. Any thread but a loop's own (it waits for the
     * fiber that does the work).
     *
     * @throws CompletionException when a step fails (the cause says why: no server, an error reply)
     *                             or does not finish within 5 s
     */
    public static void run(Reactor reactor, String host, int port, PrintStream out) {
        RedisClient redis = RedisClient.connect(Tcp.create(reactor), host, port);
        CompletableFuture<Void> done = new CompletableFuture<>();
        redis.loop().startFiber(() -> {
            try {
                steps(redis, out);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            } finally {
                redis.close();
            }
        });
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof CompletionException c ? c : new CompletionException(e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            redis.close();
            throw new CompletionException("the Redis example did not finish in 30 s", e);
        }
    }

    /** On a fiber of the client's loop. */
    private static void steps(RedisClient redis, PrintStream out) {
        String prefix = "strand-example:" + ProcessHandle.current().pid() + ":";
        String greeting = prefix + "greeting";
        List<String> keys = new ArrayList<>(List.of(greeting));
        try {
            redis.set(greeting, "hello from strand").await(WAIT);
            out.println("SET " + greeting + " -> OK");
            Optional<String> value = redis.get(greeting).await(WAIT);
            out.println("GET " + greeting + " -> " + value.orElse("(nil)"));

            // Pipelined: 1,000 SETs and GETs go out without waiting; replies complete them in order.
            int batch = 1_000;
            long start = System.nanoTime();
            List<Deferred<Optional<String>>> gets = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                String key = prefix + "batch:" + i;
                keys.add(key);
                redis.set(key, "value " + i);
                gets.add(redis.get(key));
            }
            int right = 0;
            for (int i = 0; i < batch; i++) {
                if (gets.get(i).await(WAIT).equals(Optional.of("value " + i))) {
                    right++;
                }
            }
            out.printf("pipelined %d SETs and %d GETs in %d ms: %d values read back as written%n",
                    batch, batch, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), right);

            // Pub/sub: the subscription has its own connection; the message comes back on the loop.
            String channel = prefix + "news";
            Deferred<String> received = Deferred.create(redis.loop());
            Subscription subscription = redis.subscribe(channel, received::trySucceed).await(WAIT);
            out.println("SUBSCRIBE " + channel + " -> subscribed");
            long receivers = redis.publish(channel, "hello, subscribers").await(WAIT);
            out.println("PUBLISH " + channel + " -> " + receivers + " receiver(s)");
            out.println("message on " + channel + ": " + received.await(WAIT));
            subscription.unsubscribe().await(WAIT);
            out.println("UNSUBSCRIBE " + channel + " -> unsubscribed");
        } finally {
            if (redis.isOpen()) {
                long deleted = redis.del(keys.toArray(String[]::new)).await(WAIT);
                out.println("DEL " + deleted + " keys made by this example");
            }
        }
    }

    /**
     * Runs the example once against 127.0.0.1 and exits: status 0 when every step worked, 1 when one
     * failed (the reason is printed).
     *
     * @param args the Redis port; 6379 when none is given
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 6379;
        int status = 0;
        try (Reactor reactor = Reactor.create()) {
            System.out.println("Redis example against 127.0.0.1:" + port);
            run(reactor, "127.0.0.1", port, System.out);
        } catch (CompletionException e) {
            System.out.println("failed: " + (e.getCause() != null ? e.getCause() : e));
            status = 1;
        }
        System.exit(status);
    }
}
