package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.FiberMode;
import dev.strand.reactor.Reactor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class IdleResourcesStayOnTheirLoopTest {

    @BeforeEach
    void needsTheCarrierHook() {
        assumeTrue(Reactor.carrierHookAvailable(), "java.lang is not opened in this JVM");
    }

    @RepeatedTest(3)
    void aFiberTakesAResourceLastReturnedOnItsOwnLoop() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(2).fiberMode(FiberMode.LOOP_CARRIER).build();
             Pool<TestResources.Res> pool = Pool.builder("affinity", new TestResources()).maxSize(4).build()) {
            EventLoop first = reactor.loops().get(0);
            EventLoop second = reactor.loops().get(1);
            // Four resources at once, two held by a fiber of each loop, then each pair returned on its loop.
            CountDownLatch allHeld = new CountDownLatch(2);
            CompletableFuture<Set<TestResources.Res>> firsts = holdTwoUntilAllHeld(first, pool, allHeld);
            CompletableFuture<Set<TestResources.Res>> seconds = holdTwoUntilAllHeld(second, pool, allHeld);
            Set<TestResources.Res> onFirst = firsts.get(10, TimeUnit.SECONDS);
            Set<TestResources.Res> onSecond = seconds.get(10, TimeUnit.SECONDS);
            assertEquals(4, pool.metrics().idle());

            for (int round = 0; round < 10; round++) {
                assertTrue(onFirst.contains(onFiber(first, () -> leaseAndReturn(pool))), "loop 0 got a resource of loop 1");
                assertTrue(onSecond.contains(onFiber(second, () -> leaseAndReturn(pool))), "loop 1 got a resource of loop 0");
            }
        }
    }

    @Test
    void acquiringOnALoopsOwnThreadIsRefused() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).build();
             Pool<TestResources.Res> pool = Pool.builder("loop-thread", new TestResources()).build()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            reactor.next().execute(() -> {
                try {
                    pool.acquire().close();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            Throwable refused = outcome.get(10, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, refused);
            assertTrue(refused.getMessage().startsWith("pool 'loop-thread': acquiring would block"), refused.getMessage());
        }
    }

    private static CompletableFuture<Set<TestResources.Res>> holdTwoUntilAllHeld(
            EventLoop loop, Pool<TestResources.Res> pool, CountDownLatch allHeld) {
        CompletableFuture<Set<TestResources.Res>> result = new CompletableFuture<>();
        loop.startFiber(() -> {
            try {
                Set<TestResources.Res> held;
                try (var a = pool.acquire(); var b = pool.acquire()) {
                    allHeld.countDown();
                    if (!allHeld.await(10, TimeUnit.SECONDS)) {
                        throw new AssertionError("the other loop's fiber did not take its two");
                    }
                    held = new HashSet<>(List.of(a.get(), b.get()));
                }
                result.complete(held); // returned on this loop by now
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    private static TestResources.Res leaseAndReturn(Pool<TestResources.Res> pool) {
        try (var lease = pool.acquire()) {
            return lease.get();
        }
    }

    private static <T> T onFiber(EventLoop loop, Supplier<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.startFiber(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }
}
