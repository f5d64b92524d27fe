package dev.strand.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FiberSleepParksOnItsLoopTest {

    @BeforeEach
    void needsTheCarrierHook() {
        // -Dtest=... also runs this class in the execution without --add-opens: nothing to test there.
        Assumptions.assumeTrue(Reactor.carrierHookAvailable(), "java.lang is not opened in this JVM");
    }

    @Test
    void aCarriedFiberSleepsAtLeastItsDurationAndWakesOnItsLoop() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(2).fiberMode(FiberMode.LOOP_CARRIER).build()) {
            EventLoop loop = reactor.loops().get(1);
            CompletableFuture<long[]> result = new CompletableFuture<>();
            loop.startFiber(() -> {
                try {
                    long start = System.nanoTime();
                    Fiber.sleep(Duration.ofMillis(50));
                    long slept = System.nanoTime() - start;
                    result.complete(new long[] {slept, loop.inLoop() ? 1 : 0,
                            EventLoop.current().orElseThrow() == loop ? 1 : 0});
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            long[] r = result.get(5, TimeUnit.SECONDS);
            assertTrue(r[0] >= TimeUnit.MILLISECONDS.toNanos(50), "slept only " + r[0] + " ns");
            assertEquals(1, r[1], "resumed off its loop");
            assertEquals(1, r[2], "EventLoop.current() is not the carrier");
        }
    }

    @Test
    void tenThousandSleepersShareTwoLoops() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(2).fiberMode(FiberMode.LOOP_CARRIER).build()) {
            int n = 10_000;
            CountDownLatch done = new CountDownLatch(n);
            AtomicInteger wrongLoop = new AtomicInteger();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                EventLoop loop = reactor.next();
                loop.startFiber(() -> {
                    try {
                        Fiber.sleep(Duration.ofMillis(100));
                        if (!loop.inLoop()) {
                            wrongLoop.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    done.countDown();
                });
            }
            assertTrue(done.await(5, TimeUnit.SECONDS), "sleepers left: " + done.getCount());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            assertEquals(0, wrongLoop.get());
        }
    }

    @Test
    void anInterruptedSleeperWakesWithInterruptedException() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).fiberMode(FiberMode.LOOP_CARRIER).build()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            CountDownLatch sleeping = new CountDownLatch(1);
            Thread fiber = reactor.next().startFiber(() -> {
                try {
                    sleeping.countDown();
                    Fiber.sleep(Duration.ofSeconds(30));
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            assertTrue(sleeping.await(5, TimeUnit.SECONDS));
            fiber.interrupt();
            assertInstanceOf(InterruptedException.class, outcome.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void onTheLoopThreadItRefusesToBlockAndOffLoopsItIsAPlainSleep() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).fiberMode(FiberMode.JDK_SCHEDULER).build()) {
            CompletableFuture<Throwable> onLoop = new CompletableFuture<>();
            reactor.next().execute(() -> {
                try {
                    Fiber.sleep(Duration.ofMillis(1));
                    onLoop.complete(null);
                } catch (Throwable t) {
                    onLoop.complete(t);
                }
            });
            assertInstanceOf(IllegalStateException.class, onLoop.get(5, TimeUnit.SECONDS));

            CompletableFuture<Long> jdkFiber = new CompletableFuture<>();
            reactor.next().startFiber(() -> {
                long start = System.nanoTime();
                try {
                    Fiber.sleep(Duration.ofMillis(30));
                    jdkFiber.complete(System.nanoTime() - start);
                } catch (InterruptedException e) {
                    jdkFiber.completeExceptionally(e);
                }
            });
            assertTrue(jdkFiber.get(5, TimeUnit.SECONDS) >= TimeUnit.MILLISECONDS.toNanos(30));
        }
    }
}
