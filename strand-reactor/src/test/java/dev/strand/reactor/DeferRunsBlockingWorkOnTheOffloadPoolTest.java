package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link EventLoop#defer}: EventMachine's {@code defer}, work on the offload pool, result on the loop. */
class DeferRunsBlockingWorkOnTheOffloadPoolTest {

    private Reactor reactor;
    private EventLoop loop;
    private Thread loopThread;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(1).name("defer").build();
        loop = reactor.loops().getFirst();
        loopThread = Loops.thread(loop);
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    @Test
    void theWorkRunsOnAnOffloadPlatformThreadAndItsValueReachesTheCallbackOnTheLoop() throws Exception {
        CompletableFuture<Thread> workedOn = new CompletableFuture<>();
        CompletableFuture<Thread> calledBackOn = new CompletableFuture<>();
        CompletableFuture<String> value = new CompletableFuture<>();

        loop.defer(() -> {
            workedOn.complete(Thread.currentThread());
            return "worked";
        }).callback(v -> {
            calledBackOn.complete(Thread.currentThread());
            value.complete(v);
        });

        assertEquals("worked", value.get(5, SECONDS));
        Thread worker = workedOn.get(5, SECONDS);
        assertNotSame(loopThread, worker);
        assertFalse(worker.isVirtual());
        assertTrue(worker.getName().contains("-offload-"), worker.getName());
        assertSame(loopThread, calledBackOn.get(5, SECONDS));
    }

    @Test
    void aCheckedExceptionInTheWorkReachesTheErrbackAsIs() throws Exception {
        IOException failure = new IOException("expected by the test");
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();

        loop.<String>defer(() -> {
            throw failure;
        }).errback(f -> {
            ranOn.complete(Thread.currentThread());
            seen.complete(f);
        });

        assertSame(failure, seen.get(5, SECONDS));
        assertSame(loopThread, ranOn.get(5, SECONDS));
    }

    @Test
    void anErrorInTheWorkReachesTheErrbackToo() throws Exception {
        StackOverflowError failure = new StackOverflowError("expected by the test");
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        loop.defer(() -> {
            throw failure;
        }).errback(seen::complete);
        assertSame(failure, seen.get(5, SECONDS));
    }

    @Test
    void theLoopRunsOtherTasksWhileTheWorkBlocks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch working = new CountDownLatch(1);
        Deferred<String> deferred = loop.defer(() -> {
            working.countDown();
            assertTrue(release.await(5, SECONDS));
            return "released";
        });
        assertTrue(working.await(5, SECONDS));

        assertTrue(Loops.call(loop, loop::inLoop), "the loop was held by the deferred work");
        assertFalse(deferred.isDone());
        release.countDown();

        assertEquals("released", deferred.await(java.time.Duration.ofSeconds(5)));
    }

    @Test
    void deferFromTheLoopItselfDoesNotBlockIt() throws Exception {
        CompletableFuture<Integer> value = new CompletableFuture<>();
        Loops.run(loop, () -> loop.defer(() -> 6 * 7).callback(value::complete));
        assertEquals(42, value.get(5, SECONDS));
    }

    @Test
    void theBuilderRefusesAnOffloadPoolWithoutThreadsOrQueue() {
        assertThrows(IllegalArgumentException.class, () -> Reactor.builder().offloadThreads(0));
        assertThrows(IllegalArgumentException.class, () -> Reactor.builder().maxPendingOffloads(0));
    }
}
