package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Closing the reactor fails the offloaded blocks not done, queued or running, instead of leaving
 * their waiters hanging; running ones are interrupted, and later blocks are refused.
 */
class ClosingTheReactorFailsPendingOffloadsTest {

    @Test
    void runningAndQueuedBlocksFailWithAClosedRejectionAndTheirErrbacksStillRun() throws Exception {
        Reactor reactor = Reactor.builder().loops(1).name("closing").offloadThreads(1).build();
        EventLoop loop = reactor.loops().getFirst();
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        AtomicBoolean queuedRan = new AtomicBoolean();
        Deferred<String> runningBlock = loop.defer(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await(10, SECONDS);
                interrupted.complete(false);
            } catch (InterruptedException e) {
                interrupted.complete(true);
            }
            return "ran to the end";
        });
        Deferred<String> queuedBlock = loop.defer(() -> {
            queuedRan.set(true);
            return "queued";
        });
        assertTrue(running.await(5, SECONDS));
        CompletableFuture<Throwable> errback = new CompletableFuture<>();
        runningBlock.errback(errback::complete);

        reactor.close();

        assertClosedRejection(runningBlock);
        assertClosedRejection(queuedBlock);
        assertInstanceOf(OffloadRejectedException.class, errback.get(5, SECONDS), "the errback did not run as the loop stopped");
        assertTrue(interrupted.get(5, SECONDS), "the running block was not interrupted");
        assertFalse(queuedRan.get(), "a queued block ran after the close");
    }

    @Test
    void aBlockThatIgnoresTheInterruptDoesNotHoldItsWaiter() throws Exception {
        Reactor reactor = Reactor.builder().loops(1).name("closing").offloadThreads(1).build();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            Deferred<String> stubborn = reactor.next().defer(() -> {
                running.countDown();
                while (true) {
                    try {
                        if (release.await(10, SECONDS)) {
                            return "released";
                        }
                    } catch (InterruptedException ignored) {
                        // this block ignores interrupts on purpose
                    }
                }
            });
            assertTrue(running.await(5, SECONDS));

            reactor.close();

            assertClosedRejection(stubborn);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aFiberWaitingOnAnOffloadGetsTheRejectionWhenTheReactorCloses() throws Exception {
        assumeTrue(Reactor.carrierHookAvailable(), "java.lang is not opened in this JVM");
        Reactor reactor = Reactor.builder().loops(1).name("closing").fiberMode(FiberMode.LOOP_CARRIER).build();
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        reactor.next().startFiber(() -> {
            try {
                Fiber.offload(() -> {
                    running.countDown();
                    new CountDownLatch(1).await(10, SECONDS);
                    return null;
                });
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        assertTrue(running.await(5, SECONDS));

        reactor.close();

        OffloadRejectedException rejection = assertInstanceOf(OffloadRejectedException.class, thrown.get(5, SECONDS));
        assertTrue(rejection.closed());
    }

    @Test
    void aBlockDeferredAfterTheCloseIsRefusedAtOnce() {
        Reactor reactor = Reactor.builder().loops(1).name("closed").build();
        EventLoop loop = reactor.loops().getFirst();
        reactor.close();

        Deferred<String> late = loop.defer(() -> "never");

        assertTrue(late.isDone());
        assertClosedRejection(late);
    }

    private static void assertClosedRejection(Deferred<?> deferred) {
        CompletionException thrown = assertThrows(CompletionException.class, () -> deferred.await(Duration.ofSeconds(5)));
        OffloadRejectedException rejection = assertInstanceOf(OffloadRejectedException.class, thrown.getCause());
        assertTrue(rejection.closed(), rejection.getMessage());
        assertTrue(rejection.getMessage().contains("closed"), rejection.getMessage());
    }
}
