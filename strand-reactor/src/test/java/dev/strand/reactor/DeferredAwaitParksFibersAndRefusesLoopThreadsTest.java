package dev.strand.reactor;

import static dev.strand.reactor.Loops.ms;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Deferred#await}: a fiber parks and its loop goes on; a platform thread blocks; a loop's own
 * thread is refused.
 */
class DeferredAwaitParksFibersAndRefusesLoopThreadsTest {

    @Test
    void aCarriedFiberParksWhileItsLoopRunsOtherWorkAndResumesOnItsLoop() throws Exception {
        assumeTrue(Reactor.carrierHookAvailable(), "java.lang is not opened in this JVM");
        try (Reactor reactor = Reactor.builder().loops(1).fiberMode(FiberMode.LOOP_CARRIER).build()) {
            EventLoop loop = reactor.loops().getFirst();
            Deferred<String> deferred = Deferred.create(loop);
            CountDownLatch awaiting = new CountDownLatch(1);
            CompletableFuture<String> result = new CompletableFuture<>();
            CompletableFuture<Boolean> resumedOnLoop = new CompletableFuture<>();
            loop.startFiber(() -> {
                awaiting.countDown();
                try {
                    result.complete(deferred.await());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
                resumedOnLoop.complete(loop.inLoop());
            });
            assertTrue(awaiting.await(5, SECONDS));

            // The loop is free while its fiber waits: this would time out if the fiber held it.
            assertTrue(Loops.call(loop, loop::inLoop));
            assertFalse(result.isDone());
            deferred.succeed("value");

            assertEquals("value", result.get(5, SECONDS));
            assertTrue(resumedOnLoop.get(5, SECONDS));
        }
    }

    @Test
    void aFiberOnTheJdkSchedulerAwaitsToo() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).fiberMode(FiberMode.JDK_SCHEDULER).build()) {
            EventLoop loop = reactor.loops().getFirst();
            Deferred<Integer> deferred = Deferred.create(loop);
            CompletableFuture<Integer> result = new CompletableFuture<>();
            loop.startFiber(() -> result.complete(deferred.await()));
            deferred.succeed(5);
            assertEquals(5, result.get(5, SECONDS));
        }
    }

    @Test
    void aPlatformThreadBlocksUntilTheValueArrives() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            Deferred<String> deferred = Deferred.create(loop);
            CompletableFuture<String> result = new CompletableFuture<>();
            CountDownLatch waiting = new CountDownLatch(1);
            Thread waiter = Thread.ofPlatform().start(() -> {
                waiting.countDown();
                result.complete(deferred.await());
            });
            assertTrue(waiting.await(5, SECONDS));
            assertFalse(result.isDone());

            loop.execute(() -> deferred.succeed("from the loop"));

            assertEquals("from the loop", result.get(5, SECONDS));
            assertTrue(waiter.join(Duration.ofSeconds(5)));
        }
    }

    @Test
    void awaitingAFailedDeferredThrowsACompletionExceptionCausedByTheFailure() {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            Deferred<String> deferred = Deferred.create(reactor.next());
            Exception failure = new java.io.IOException("expected by the test");
            deferred.fail(failure);

            CompletionException thrown = assertThrows(CompletionException.class, deferred::await);
            assertSame(failure, thrown.getCause());
        }
    }

    @Test
    void awaitingOnALoopsOwnThreadIsRefusedEvenWhenComplete() {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            Deferred<String> pending = Deferred.create(loop);
            Deferred<String> done = Deferred.create(loop);
            done.succeed("x");

            assertInstanceOf(IllegalStateException.class, Loops.call(loop, () -> thrownBy(pending::await)));
            assertInstanceOf(IllegalStateException.class, Loops.call(loop, () -> thrownBy(() -> done.await(ms(10)))));
            assertFalse(pending.isDone());
        }
    }

    @Test
    void anAwaitWhoseTimeRunsOutThrowsATimedOutAndLeavesTheDeferredPending() {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            Deferred<String> deferred = Deferred.create(reactor.next());
            long start = System.nanoTime();

            DeferredTimeoutException thrown = assertThrows(DeferredTimeoutException.class, () -> deferred.await(ms(50)));

            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
            assertInstanceOf(TimedOut.class, thrown);
            assertFalse(deferred.isDone());
            deferred.succeed("later"); // still completable
            assertEquals("later", deferred.await(ms(10)));
        }
    }

    @Test
    void anInterruptedAwaitThrowsWithAnInterruptedCauseAndKeepsTheInterruptStatus() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            Deferred<String> deferred = Deferred.create(reactor.next());
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
            CountDownLatch waiting = new CountDownLatch(1);
            Thread waiter = Thread.ofPlatform().start(() -> {
                waiting.countDown();
                try {
                    deferred.await(Duration.ofSeconds(30));
                    thrown.complete(null);
                } catch (Throwable t) {
                    thrown.complete(t);
                }
                stillInterrupted.complete(Thread.currentThread().isInterrupted());
            });
            assertTrue(waiting.await(5, SECONDS));

            waiter.interrupt();

            Throwable t = thrown.get(5, SECONDS);
            assertInstanceOf(CompletionException.class, t);
            assertInstanceOf(InterruptedException.class, t.getCause());
            assertTrue(stillInterrupted.get(5, SECONDS));
            assertFalse(deferred.isDone());
        }
    }

    private static Throwable thrownBy(Runnable action) {
        try {
            action.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
