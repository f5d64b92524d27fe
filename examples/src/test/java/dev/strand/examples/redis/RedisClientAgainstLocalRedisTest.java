package dev.strand.examples.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deferred;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import dev.strand.reactor.tcp.Tcp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against the real local Redis (skipped with the reason when there is none, failed
 * under CI): commands, pipelining, pub/sub and fibers. Every key is under a prefix unique to this
 * run, deleted afterwards.
 */
class RedisClientAgainstLocalRedisTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private Reactor reactor;
    private RedisClient client;
    private String prefix;
    private final List<String> keys = new ArrayList<>();

    @BeforeEach
    void connect() {
        LocalRedis.assumeAvailable();
        reactor = Reactor.builder().loops(2).name("redis-test").build();
        client = RedisClient.connect(Tcp.create(reactor), LocalRedis.HOST, LocalRedis.PORT);
        prefix = LocalRedis.uniquePrefix("client");
    }

    @AfterEach
    void cleanUp() {
        if (reactor == null) {
            return;
        }
        try {
            if (!keys.isEmpty()) {
                RedisClient cleaner = RedisClient.connect(Tcp.create(reactor), LocalRedis.HOST, LocalRedis.PORT);
                cleaner.del(keys.toArray(String[]::new)).await(WAIT);
                cleaner.close();
            }
        } finally {
            client.close();
            reactor.close();
        }
    }

    private String key(String name) {
        String key = prefix + name;
        keys.add(key);
        return key;
    }

    @Test
    void aSetValueIsWhatGetReturnsAndAMissingKeyIsEmpty() {
        String key = key("greeting");
        client.set(key, "hello, strand \u00e9").await(WAIT);
        assertEquals(Optional.of("hello, strand \u00e9"), client.get(key).await(WAIT));
        assertEquals(Optional.empty(), client.get(key("missing")).await(WAIT));
    }

    @Test
    void commandGivesEachReplyTypeAsDocumented() {
        String counter = key("counter");
        String text = key("text");
        assertEquals("PONG", client.command("PING").await(WAIT));
        assertEquals(5L, client.command("INCRBY", counter, "5").await(WAIT));
        assertEquals("echo me", client.command("ECHO", "echo me").await(WAIT));
        client.set(text, "t").await(WAIT);
        assertEquals(List.of("t", Optional.empty()), client.command("MGET", text, key("none")).await(WAIT));
        assertEquals(List.of(), client.command("LRANGE", key("no-list"), "0", "-1").await(WAIT));
    }

    @Test
    void anErrorReplyFailsOnlyItsCommand() {
        String list = key("list");
        client.command("RPUSH", list, "a").await(WAIT);
        Deferred<Optional<String>> wrongType = client.get(list);
        Deferred<Object> unknown = client.command("NO-SUCH-COMMAND");
        Deferred<Object> after = client.command("LLEN", list);
        RedisException e = assertInstanceOf(RedisException.class,
                assertThrows(CompletionException.class, () -> wrongType.await(WAIT)).getCause());
        assertTrue(e.getMessage().startsWith("WRONGTYPE"), e.getMessage());
        assertTrue(assertThrows(CompletionException.class, () -> unknown.await(WAIT)).getCause()
                .getMessage().startsWith("ERR unknown command"));
        assertEquals(1L, after.await(WAIT));
        assertTrue(client.isOpen());
    }

    @Test
    void tenThousandPipelinedSetsThenGetsEachGetTheirOwnValue() {
        int n = 10_000;
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(key("p" + i));
        }
        // All sent from the loop in one task: nothing waits for a reply before the last GET is queued.
        CompletableFuture<List<Deferred<Optional<String>>>> sent = new CompletableFuture<>();
        List<Deferred<Void>> sets = new ArrayList<>(n);
        client.loop().execute(() -> {
            for (int i = 0; i < n; i++) {
                sets.add(client.set(names.get(i), "value-" + i));
            }
            List<Deferred<Optional<String>>> gets = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                gets.add(client.get(names.get(i)));
            }
            sent.complete(gets);
        });
        List<Deferred<Optional<String>>> gets = sent.join();
        for (int i = 0; i < n; i++) {
            sets.get(i).await(WAIT);
            assertEquals(Optional.of("value-" + i), gets.get(i).await(WAIT), "GET " + i);
        }
    }

    @Test
    void aPipelineFarOverTheToolkitsHardLimitIsHeldBackNotCutOff() {
        // 4 KiB may be queued on the connection; 2,000 SETs are about 200 KiB, all sent in one loop task.
        Tcp small = Tcp.builder(reactor).lowWatermark(512).highWatermark(1024).maxQueuedBytes(4096).build();
        RedisClient pipelining = RedisClient.connect(small, LocalRedis.HOST, LocalRedis.PORT);
        int n = 2_000;
        String value = "v".repeat(64);
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(key("held" + i));
        }
        CompletableFuture<List<Deferred<Void>>> sent = new CompletableFuture<>();
        pipelining.loop().execute(() -> {
            List<Deferred<Void>> sets = new ArrayList<>(n);
            for (String name : names) {
                sets.add(pipelining.set(name, value));
            }
            sent.complete(sets);
        });
        for (Deferred<Void> set : sent.join()) {
            set.await(WAIT);
        }
        assertEquals(Optional.of(value), pipelining.get(names.getLast()).await(WAIT));
        assertTrue(pipelining.isOpen(), "never closed for overflow");
        pipelining.close();
    }

    @Test
    void publishedMessagesArriveInOrderOnTheLoopUntilUnsubscribed() throws Exception {
        String channel = prefix + "news";
        int n = 200;
        List<String> received = new CopyOnWriteArrayList<>();
        List<Boolean> onLoop = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(n);
        EventLoop loop = client.loop();
        Subscription subscription = client.subscribe(channel, message -> {
            received.add(message);
            onLoop.add(loop.inLoop());
            all.countDown();
        }).await(WAIT);
        assertEquals(channel, subscription.channel());

        // From another client (another connection), pipelined.
        RedisClient publisher = RedisClient.connect(Tcp.create(reactor), LocalRedis.HOST, LocalRedis.PORT);
        List<Deferred<Long>> publishes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            publishes.add(publisher.publish(channel, "message " + i));
        }
        for (Deferred<Long> publish : publishes) {
            assertEquals(1L, publish.await(WAIT), "one subscriber got it");
        }
        assertTrue(all.await(5, TimeUnit.SECONDS), "all messages arrived: " + received.size());
        for (int i = 0; i < n; i++) {
            assertEquals("message " + i, received.get(i));
        }
        assertTrue(onLoop.stream().allMatch(b -> b), "every message is handled on the client's loop");

        Deferred<Void> unsubscribed = subscription.unsubscribe();
        assertEquals(unsubscribed, subscription.unsubscribe(), "unsubscribing again is the same request");
        unsubscribed.await(WAIT);
        assertEquals(0L, publisher.publish(channel, "too late").await(WAIT), "the server has no subscriber left");
        // Subscribing again on the same connection works, and the old handler does not come back.
        CountDownLatch again = new CountDownLatch(1);
        client.subscribe(channel, message -> again.countDown()).await(WAIT);
        assertEquals(1L, publisher.publish(channel, "back").await(WAIT));
        assertTrue(again.await(5, TimeUnit.SECONDS));
        assertEquals(n, received.size(), "the unsubscribed handler got nothing more");
        publisher.close();
    }

    @Test
    void subscribingTwiceToOneChannelIsRefused() {
        String channel = prefix + "twice";
        client.subscribe(channel, message -> { }).await(WAIT);
        Deferred<Subscription> second = client.subscribe(channel, message -> { });
        assertInstanceOf(IllegalStateException.class,
                assertThrows(CompletionException.class, () -> second.await(WAIT)).getCause());
    }

    @Test
    void aFiberOnTheClientsLoopAwaitsRepliesAsPlainCodeWithoutBlockingTheLoop() throws Exception {
        Assumptions.assumeTrue(Reactor.carrierHookAvailable(), "java.lang is not opened in this JVM");
        // One loop: were await to block the loop's thread, no reply could ever be read, and this would time out.
        try (Reactor single = Reactor.builder().loops(1).name("redis-fiber").build()) {
            RedisClient fiberClient = RedisClient.connect(Tcp.create(single), LocalRedis.HOST, LocalRedis.PORT);
            String key = key("fiber");
            CompletableFuture<String> result = new CompletableFuture<>();
            fiberClient.loop().startFiber(() -> {
                try {
                    fiberClient.set(key, "from a fiber").await();
                    long length = (Long) fiberClient.command("STRLEN", key).await();
                    String value = fiberClient.get(key).await().orElseThrow();
                    result.complete(value + " (" + length + ", on the loop: " + fiberClient.loop().inLoop() + ")");
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            assertEquals("from a fiber (12, on the loop: true)", result.get(5, TimeUnit.SECONDS));
            fiberClient.close();
        }
    }
}
