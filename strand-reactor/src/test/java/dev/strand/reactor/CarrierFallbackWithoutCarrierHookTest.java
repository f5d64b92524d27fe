package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs in the pom's {@code without-carrier-hook} surefire execution (classes named
 * {@code *WithoutCarrierHookTest}), whose JVM has no {@code --add-opens java.base/java.lang}.
 * Skipped (not failed) in a JVM that has it, e.g. when {@code -Dtest=} makes the default execution
 * pick this class up too.
 */
class CarrierFallbackWithoutCarrierHookTest {

    @BeforeAll
    static void javaLangIsNotOpen() {
        assumeFalse(Object.class.getModule().isOpen("java.lang", CarrierFallbackWithoutCarrierHookTest.class.getModule()),
                "needs a JVM without --add-opens java.base/java.lang");
    }

    @Test
    void carrierHookIsUnavailable() {
        assertFalse(Reactor.carrierHookAvailable());
    }

    @Test
    void autoModeFallsBackToTheJdkScheduler() {
        try (Reactor reactor = Reactor.builder().loops(2).fiberMode(FiberMode.AUTO).build()) {
            assertEquals(FiberMode.JDK_SCHEDULER, reactor.fiberMode());
            assertTrue(reactor.loops().stream().noneMatch(EventLoop::carriesFibers));
        }
        try (Reactor reactor = Reactor.create()) {
            assertEquals(FiberMode.JDK_SCHEDULER, reactor.fiberMode());
        }
    }

    @Test
    void loopCarrierModeCannotBeBuilt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Reactor.builder().loops(1).fiberMode(FiberMode.LOOP_CARRIER).build());
        assertTrue(e.getMessage().contains("cannot carry fibers"), e.getMessage());
    }

    @Test
    void thousandSleepingFibersFinish() throws InterruptedException {
        int fibers = 1_000;
        try (Reactor reactor = Reactor.builder().loops(2).build()) {
            CountDownLatch finished = new CountDownLatch(fibers);
            AtomicInteger thoughtInLoop = new AtomicInteger();
            long start = System.nanoTime();
            for (int i = 0; i < fibers; i++) {
                EventLoop loop = reactor.next();
                loop.startFiber(() -> {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (loop.inLoop()) {
                        thoughtInLoop.incrementAndGet();
                    }
                    finished.countDown();
                });
            }

            assertTrue(finished.await(10, SECONDS), "fibers unfinished: " + finished.getCount());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 5_000, "1,000 fibers sleeping 50 ms took " + millis + " ms");
            assertEquals(0, thoughtInLoop.get(), "JDK-scheduled fibers that claimed to be on their loop");
        }
    }

    @Test
    void fibersParkAndResumeAndHandWorkToTheLoop() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            Thread loopThread = Loops.thread(loop);
            CountDownLatch aboutToPark = new CountDownLatch(1);
            AtomicBoolean unparked = new AtomicBoolean();
            CompletableFuture<CompletableFuture<String>> futureToComplete = new CompletableFuture<>();
            CompletableFuture<String> result = new CompletableFuture<>();
            CompletableFuture<Thread> scheduledOn = new CompletableFuture<>();

            Thread fiber = loop.startFiber(() -> {
                try {
                    aboutToPark.countDown();
                    while (!unparked.get()) {
                        LockSupport.park();
                    }
                    CompletableFuture<String> value = new CompletableFuture<>();
                    futureToComplete.complete(value);
                    result.complete(value.get(5, SECONDS));
                    loop.schedule(() -> scheduledOn.complete(Thread.currentThread()));
                } catch (Exception e) {
                    result.completeExceptionally(e);
                }
            });
            assertTrue(fiber.isVirtual());
            assertTrue(aboutToPark.await(5, SECONDS));
            unparked.set(true);
            LockSupport.unpark(fiber);
            futureToComplete.get(5, SECONDS).complete("resumed");

            assertEquals("resumed", result.get(5, SECONDS));
            assertSame(loopThread, scheduledOn.get(5, SECONDS));
        }
    }

    @Test
    void withoutExactWakeupsTimersStillNeverRunEarly() throws Exception {
        // This JVM opens nothing, so the loop sleeps in whole milliseconds, rounded up.
        assertFalse(Reactor.exactTimerWakeupsAvailable());
        long[] lateness = SleepingLoopWakesAtTheTimersDeadlineTest.measureLateness();
        assertTrue(java.util.Arrays.stream(lateness).allMatch(l -> l >= 0), "a timer ran before its deadline");
    }
}
