package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Callbacks and errbacks run on the deferred's loop, in their own task, in the order added. */
class DeferredCallbacksRunOnItsLoopTest {

    private Reactor reactor;
    private EventLoop loop;
    private Thread loopThread;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(1).name("callbacks").build();
        loop = reactor.loops().getFirst();
        loopThread = Loops.thread(loop);
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    @Test
    void aCallbackAddedBeforeASucceedFromAnotherThreadRunsOnTheLoopWithTheValue() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        CompletableFuture<String> value = new CompletableFuture<>();
        deferred.callback(v -> {
            ranOn.complete(Thread.currentThread());
            value.complete(v);
        });

        deferred.succeed("hi");

        assertEquals("hi", value.get(5, SECONDS));
        assertSame(loopThread, ranOn.get(5, SECONDS));
    }

    @Test
    void aCallbackAddedAfterSuccessRunsSoonOnTheLoop() throws Exception {
        Deferred<Integer> deferred = Deferred.create(loop);
        deferred.succeed(42);
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        CompletableFuture<Integer> value = new CompletableFuture<>();

        deferred.callback(v -> {
            ranOn.complete(Thread.currentThread());
            value.complete(v);
        });

        assertEquals(42, value.get(5, SECONDS));
        assertSame(loopThread, ranOn.get(5, SECONDS));
    }

    @Test
    void onTheLoopACallbackAddedAfterSuccessRunsAfterTheAddCallReturnsNotInsideIt() throws Exception {
        Deferred<Integer> deferred = Deferred.create(loop);
        CompletableFuture<Boolean> addHadReturned = new CompletableFuture<>();
        Loops.run(loop, () -> {
            deferred.succeed(1);
            AtomicBoolean returned = new AtomicBoolean();
            deferred.callback(v -> addHadReturned.complete(returned.get()));
            returned.set(true);
        });
        assertTrue(addHadReturned.get(5, SECONDS), "the callback ran inside callback(...)");
    }

    @Test
    void onTheLoopSucceedDoesNotRunTheCallbacksInsideIt() throws Exception {
        Deferred<Integer> deferred = Deferred.create(loop);
        CompletableFuture<Boolean> succeedHadReturned = new CompletableFuture<>();
        AtomicBoolean returned = new AtomicBoolean();
        deferred.callback(v -> succeedHadReturned.complete(returned.get()));
        Loops.run(loop, () -> {
            deferred.succeed(1);
            returned.set(true);
        });
        assertTrue(succeedHadReturned.get(5, SECONDS), "the callback ran inside succeed(...)");
    }

    @Test
    void callbacksRunInTheOrderTheyWereAddedBeforeAndAfterCompletion() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        List<Integer> order = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(4);
        deferred.callback(v -> order.add(1)).callback(v -> order.add(2));
        deferred.callback(v -> all.countDown()).callback(v -> all.countDown());
        deferred.succeed("x");
        deferred.callback(v -> order.add(3)).callback(v -> order.add(4));
        deferred.callback(v -> all.countDown()).callback(v -> all.countDown());

        assertTrue(all.await(5, SECONDS));
        assertEquals(List.of(1, 2, 3, 4), order);
    }

    @Test
    void aCallbackAddedOnTheLoopAfterACompletionFromAnotherThreadRunsAfterTheEarlierOnes() throws Exception {
        // The completion's task is handed in from another thread, the later add is on the loop:
        // order must not depend on which of the loop's queues each went through.
        Deferred<String> deferred = Deferred.create(loop);
        List<Integer> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        deferred.callback(v -> order.add(1));
        Loops.run(loop, () -> {
            Thread completer = Thread.ofPlatform().start(() -> deferred.succeed("x"));
            try {
                assertTrue(completer.join(java.time.Duration.ofSeconds(5)));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            deferred.callback(v -> order.add(2)).callback(v -> done.countDown());
        });

        assertTrue(done.await(5, SECONDS));
        assertEquals(List.of(1, 2), order);
    }

    @Test
    void onFailureTheErrbacksRunWithTheFailureAndTheCallbacksNever() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        AtomicInteger callbacks = new AtomicInteger();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        deferred.callback(v -> callbacks.incrementAndGet()).errback(f -> {
            ranOn.complete(Thread.currentThread());
            failure.complete(f);
        });
        IllegalStateException boom = new IllegalStateException("expected by the test");

        deferred.fail(boom);
        CountDownLatch later = new CountDownLatch(1);
        deferred.callback(v -> callbacks.incrementAndGet()).errback(f -> later.countDown());

        assertSame(boom, failure.get(5, SECONDS));
        assertSame(loopThread, ranOn.get(5, SECONDS));
        assertTrue(later.await(5, SECONDS), "an errback added after the failure did not run");
        assertEquals(0, callbacks.get(), "a callback ran for a failed deferred");
    }

    @Test
    void onSuccessTheErrbacksNeverRun() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        AtomicInteger errbacks = new AtomicInteger();
        CountDownLatch last = new CountDownLatch(1);
        deferred.errback(f -> errbacks.incrementAndGet()).callback(v -> last.countDown());
        deferred.succeed("ok");
        assertTrue(last.await(5, SECONDS));
        assertEquals(0, errbacks.get());
    }

    @Test
    void aDeferredOfVoidSucceedsWithNull() throws Exception {
        Deferred<Void> deferred = Deferred.create(loop);
        CompletableFuture<Boolean> wasNull = new CompletableFuture<>();
        deferred.callback(v -> wasNull.complete(v == null));
        deferred.succeed(null);
        assertTrue(wasNull.get(5, SECONDS));
    }

    @RepeatedTest(20)
    void callbacksAddedFromManyThreadsWhileItCompletesEachRunExactlyOnceOnTheLoop() throws Exception {
        Deferred<Integer> deferred = Deferred.create(loop);
        int threads = 4;
        int perThread = 200;
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger offLoop = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> adders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            adders.add(Thread.ofPlatform().start(() -> {
                awaitQuietly(go);
                for (int i = 0; i < perThread; i++) {
                    deferred.callback(v -> {
                        runs.incrementAndGet();
                        if (Thread.currentThread() != loopThread) {
                            offLoop.incrementAndGet();
                        }
                    });
                }
            }));
        }
        Thread completer = Thread.ofPlatform().start(() -> {
            awaitQuietly(go);
            deferred.succeed(7);
        });
        go.countDown();
        for (Thread adder : adders) {
            assertTrue(adder.join(java.time.Duration.ofSeconds(5)));
        }
        assertTrue(completer.join(java.time.Duration.ofSeconds(5)));
        CountDownLatch last = new CountDownLatch(1);
        deferred.callback(v -> last.countDown());

        assertTrue(last.await(5, SECONDS));
        assertEquals(threads * perThread, runs.get());
        assertEquals(0, offLoop.get());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
