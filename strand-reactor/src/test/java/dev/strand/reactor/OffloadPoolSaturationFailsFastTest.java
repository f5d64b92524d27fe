package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * One offload thread and one queue slot: a third block is refused at once with an
 * {@link OffloadRejectedException} instead of queueing without bound, and the pool serves again once
 * the first ones are done.
 */
class OffloadPoolSaturationFailsFastTest {

    @Test
    void aBlockBeyondTheThreadsAndTheQueueFailsItsDeferredAtOnce() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).name("full").offloadThreads(1).maxPendingOffloads(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            Deferred<String> first = loop.defer(() -> {
                running.countDown();
                assertTrue(release.await(5, SECONDS));
                return "first";
            });
            assertTrue(running.await(5, SECONDS));
            Deferred<String> queued = loop.defer(() -> "queued");

            Deferred<String> refused = loop.defer(() -> "never");

            assertTrue(refused.isDone(), "refused only later: it was queued");
            CompletableFuture<Throwable> errback = new CompletableFuture<>();
            refused.errback(errback::complete);
            OffloadRejectedException rejection = assertInstanceOf(OffloadRejectedException.class, errback.get(5, SECONDS));
            assertInstanceOf(RejectedExecutionException.class, rejection);
            assertFalse(rejection.closed());
            assertTrue(rejection.getMessage().contains("full"), rejection.getMessage());
            assertFalse(queued.isDone());

            release.countDown();
            assertEquals("first", first.await(Duration.ofSeconds(5)));
            assertEquals("queued", queued.await(Duration.ofSeconds(5)));
            assertEquals("again", loop.defer(() -> "again").await(Duration.ofSeconds(5)), "the pool did not recover");
        }
    }

    @Test
    void aFiberOffloadingToAFullPoolGetsTheRejectionThrown() throws Exception {
        assumeTrue(Reactor.carrierHookAvailable(), "java.lang is not opened in this JVM");
        try (Reactor reactor = Reactor.builder().loops(1).name("full").fiberMode(FiberMode.LOOP_CARRIER)
                .offloadThreads(1).maxPendingOffloads(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch running = new CountDownLatch(1);
            Deferred<String> first = loop.defer(() -> {
                running.countDown();
                assertTrue(release.await(5, SECONDS));
                return "first";
            });
            assertTrue(running.await(5, SECONDS));
            Deferred<String> queued = loop.defer(() -> "queued");
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();

            loop.startFiber(() -> {
                try {
                    Fiber.offload(() -> "never");
                    thrown.complete(null);
                } catch (Throwable t) {
                    thrown.complete(t);
                }
            });

            assertInstanceOf(OffloadRejectedException.class, thrown.get(5, SECONDS));
            release.countDown();
            assertEquals("first", first.await(Duration.ofSeconds(5)));
            assertEquals("queued", queued.await(Duration.ofSeconds(5)));
        }
    }

    @Test
    void awaitingARefusedBlockThrowsTheRejectionAsCause() {
        try (Reactor reactor = Reactor.builder().loops(1).offloadThreads(1).maxPendingOffloads(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            CountDownLatch release = new CountDownLatch(1);
            try {
                loop.defer(() -> release.await(5, SECONDS));
                loop.defer(() -> release.await(5, SECONDS));
                Deferred<Boolean> refused = loop.defer(() -> true);
                CompletionException thrown = assertThrows(CompletionException.class, () -> refused.await(Duration.ofSeconds(5)));
                assertInstanceOf(OffloadRejectedException.class, thrown.getCause());
            } finally {
                release.countDown();
            }
        }
    }
}
