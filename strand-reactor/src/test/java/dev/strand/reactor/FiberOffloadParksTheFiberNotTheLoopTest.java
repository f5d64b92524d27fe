package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Fiber#offload}: the block runs on the offload pool while the fiber, not its loop, waits. */
class FiberOffloadParksTheFiberNotTheLoopTest {

    private Reactor reactor;
    private EventLoop loop;
    private Thread loopThread;

    @BeforeEach
    void start() {
        Assumptions.assumeTrue(Reactor.carrierHookAvailable(), "java.lang is not opened in this JVM");
        reactor = Reactor.builder().loops(1).name("offload").fiberMode(FiberMode.LOOP_CARRIER).build();
        loop = reactor.loops().getFirst();
        loopThread = Loops.thread(loop);
    }

    @AfterEach
    void stop() {
        if (reactor != null) {
            reactor.close();
        }
    }

    /** What {@code Fiber.offload(block)} returns or throws on a fiber of the loop. */
    private <T> CompletableFuture<T> offloadOnAFiber(Callable<T> block) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        loop.startFiber(() -> {
            try {
                outcome.complete(Fiber.offload(block));
            } catch (Throwable t) {
                outcome.completeExceptionally(new Thrown(t)); // as is: a future would unwrap a CompletionException
            }
        });
        return outcome;
    }

    /** Carries what the offload threw through a future unchanged. */
    private static final class Thrown extends Exception {
        Thrown(Throwable thrown) {
            super(thrown);
        }
    }

    @Test
    void theBlockRunsOnAnOffloadThreadAndItsValueComesBackToTheFiberOnItsLoop() throws Exception {
        CompletableFuture<Thread> resumedOn = new CompletableFuture<>();
        CompletableFuture<Thread> blockRanOn = new CompletableFuture<>();
        loop.startFiber(() -> {
            try {
                blockRanOn.complete(Fiber.offload(Thread::currentThread));
                resumedOn.complete(loop.inLoop() ? loopThread : Thread.currentThread());
            } catch (Throwable t) {
                blockRanOn.completeExceptionally(t);
            }
        });

        Thread worker = blockRanOn.get(5, SECONDS);
        assertNotSame(loopThread, worker);
        assertFalse(worker.isVirtual());
        assertSame(loopThread, resumedOn.get(5, SECONDS), "the fiber did not resume on its loop");
    }

    @Test
    void anotherFiberOnTheSameLoopRunsWhileTheBlockWaits() throws Exception {
        CountDownLatch blockStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> offloaded = offloadOnAFiber(() -> {
            blockStarted.countDown();
            assertTrue(release.await(5, SECONDS));
            return "released";
        });
        assertTrue(blockStarted.await(5, SECONDS));

        CountDownLatch otherRan = new CountDownLatch(1);
        loop.startFiber(otherRan::countDown);

        assertTrue(otherRan.await(5, SECONDS), "the loop was held while the block waited");
        assertFalse(offloaded.isDone());
        release.countDown();
        assertEquals("released", offloaded.get(5, SECONDS));
    }

    @Test
    void anUncheckedExceptionIsRethrownAsIs() {
        IllegalArgumentException failure = new IllegalArgumentException("expected by the test");
        CompletableFuture<Object> outcome = offloadOnAFiber(() -> {
            throw failure;
        });
        assertSame(failure, causeOf(outcome));
    }

    @Test
    void anErrorIsRethrownAsIs() {
        InternalError failure = new InternalError("expected by the test");
        CompletableFuture<Object> outcome = offloadOnAFiber(() -> {
            throw failure;
        });
        assertSame(failure, causeOf(outcome));
    }

    @Test
    void aCheckedExceptionIsWrappedInACompletionException() {
        IOException failure = new IOException("expected by the test");
        CompletableFuture<Object> outcome = offloadOnAFiber(() -> {
            throw failure;
        });
        CompletionException thrown = assertInstanceOf(CompletionException.class, causeOf(outcome));
        assertSame(failure, thrown.getCause());
    }

    @Test
    void onTheLoopsOwnThreadOffloadIsRefused() {
        Throwable thrown = Loops.call(loop, () -> {
            try {
                Fiber.offload(() -> "never");
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertInstanceOf(IllegalStateException.class, thrown);
    }

    @Test
    void offEveryLoopTheBlockRunsOnTheCallerWithTheSameResults() {
        assertSame(Thread.currentThread(), Fiber.offload(Thread::currentThread));
        IOException failure = new IOException("expected by the test");
        CompletionException thrown = assertThrows(CompletionException.class, () -> Fiber.offload(() -> {
            throw failure;
        }));
        assertSame(failure, thrown.getCause());
    }

    @Test
    void anInterruptedFiberStopsWaitingAndItsBlockIsInterrupted() throws Exception {
        CountDownLatch blockStarted = new CountDownLatch(1);
        CompletableFuture<Boolean> blockInterrupted = new CompletableFuture<>();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        CompletableFuture<Boolean> fiberStillInterrupted = new CompletableFuture<>();
        Thread fiber = loop.startFiber(() -> {
            try {
                Fiber.offload(() -> {
                    blockStarted.countDown();
                    try {
                        new CountDownLatch(1).await(5, SECONDS);
                        blockInterrupted.complete(false);
                    } catch (InterruptedException e) {
                        blockInterrupted.complete(true);
                    }
                    return null;
                });
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
            fiberStillInterrupted.complete(Thread.currentThread().isInterrupted());
        });
        assertTrue(blockStarted.await(5, SECONDS));

        fiber.interrupt();

        Throwable t = thrown.get(5, SECONDS);
        assertInstanceOf(CompletionException.class, t);
        assertInstanceOf(InterruptedException.class, t.getCause());
        assertTrue(fiberStillInterrupted.get(5, SECONDS));
        assertTrue(blockInterrupted.get(5, SECONDS), "the running block was not interrupted");
    }

    private static Throwable causeOf(CompletableFuture<?> outcome) {
        try {
            outcome.get(5, SECONDS);
            throw new AssertionError("the offload returned normally");
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause() instanceof Thrown thrown ? thrown.getCause() : e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
