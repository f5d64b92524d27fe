package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}, which the default surefire execution
 * passes. Skipped (not failed) in a JVM without it, e.g. when {@code -Dtest=} makes the
 * without-carrier-hook execution pick this class up too.
 *
 * <p>"Resumed on the same loop" is checked two ways: the fiber's carrier thread (read through
 * {@code Thread.currentCarrierThread()}) is the loop's thread, and {@code loop.inLoop()} is true.
 */
class LoopCarriesItsFibersTest {


    /** {@code Thread.currentCarrierThread()}: the platform thread under the current fiber. */
    private static Method currentCarrierThread;

    @BeforeAll
    static void javaLangIsOpen() throws ReflectiveOperationException {
        assumeTrue(Object.class.getModule().isOpen("java.lang", LoopCarriesItsFibersTest.class.getModule()),
                "needs --add-opens java.base/java.lang=ALL-UNNAMED");
        currentCarrierThread = Thread.class.getDeclaredMethod("currentCarrierThread");
        currentCarrierThread.setAccessible(true);
    }

    private static Thread carrier() {
        try {
            return (Thread) currentCarrierThread.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void carrierHookIsAvailableWithJavaLangOpened() {
        assertTrue(Reactor.carrierHookAvailable());
    }

    @Test
    void autoModeResolvesToLoopCarrier() {
        try (Reactor reactor = Reactor.builder().loops(2).fiberMode(FiberMode.AUTO).build()) {
            assertEquals(FiberMode.LOOP_CARRIER, reactor.fiberMode());
            assertTrue(reactor.loops().stream().allMatch(EventLoop::carriesFibers));
        }
        try (Reactor reactor = Reactor.builder().loops(1).fiberMode(FiberMode.LOOP_CARRIER).build()) {
            assertEquals(FiberMode.LOOP_CARRIER, reactor.fiberMode());
        }
    }

    /**
     * Starts a fiber on loop 0 of a two-loop reactor that runs {@code check} at four checkpoints:
     * at start, after {@code Thread.sleep(20)}, after {@code LockSupport.park} (unparked by this
     * thread) and after a blocking {@code CompletableFuture.get} (completed by this thread).
     * {@code check} adds a description of anything wrong to the list it is given.
     */
    private static void parkFourWays(CheckOnFiber check) throws Exception {
        try (Reactor reactor = Reactor.builder().loops(2).build()) {
            EventLoop loop = reactor.loops().get(0);
            EventLoop other = reactor.loops().get(1);
            Thread loopThread = Loops.thread(loop);
            List<String> checkpoints = new CopyOnWriteArrayList<>();
            List<String> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean virtual = new AtomicBoolean();
            CountDownLatch aboutToPark = new CountDownLatch(1);
            AtomicBoolean unparked = new AtomicBoolean();
            CompletableFuture<CompletableFuture<String>> futureToComplete = new CompletableFuture<>();

            Thread fiber = loop.startFiber(() -> {
                virtual.set(Thread.currentThread().isVirtual());
                Consumer<String> at = where -> {
                    List<String> wrong = new CopyOnWriteArrayList<>();
                    try {
                        check.check(loop, other, loopThread, wrong);
                    } catch (RuntimeException e) {
                        wrong.add("threw " + e);
                    }
                    wrong.forEach(w -> failures.add(where + ": " + w));
                    checkpoints.add(where);
                };
                try {
                    at.accept("started");
                    Thread.sleep(20);
                    at.accept("after sleep");

                    aboutToPark.countDown();
                    while (!unparked.get()) {
                        LockSupport.park();
                    }
                    at.accept("after park");

                    CompletableFuture<String> value = new CompletableFuture<>();
                    futureToComplete.complete(value);
                    String got = value.get(5, SECONDS);
                    at.accept("after get() of " + got);
                } catch (Exception e) {
                    failures.add("fiber failed: " + e);
                } finally {
                    aboutToPark.countDown();
                }
            });

            assertTrue(aboutToPark.await(5, SECONDS), "the fiber did not reach park()");
            unparked.set(true);
            LockSupport.unpark(fiber);
            futureToComplete.get(5, SECONDS).complete("a value");
            assertTrue(fiber.join(Duration.ofSeconds(5)), "the fiber did not finish");

            assertTrue(fiber.isVirtual());
            assertTrue(virtual.get(), "Thread.currentThread().isVirtual() inside the fiber");
            assertEquals(List.of(), failures);
            assertEquals(List.of("started", "after sleep", "after park", "after get() of a value"), checkpoints);
        }
    }

    @FunctionalInterface
    private interface CheckOnFiber {
        void check(EventLoop loop, EventLoop other, Thread loopThread, List<String> wrong);
    }

    @RepeatedTest(3)
    void fiberIsCarriedByItsLoopThreadAcrossParking() throws Exception {
        parkFourWays((loop, other, loopThread, wrong) -> {
            if (carrier() != loopThread) {
                wrong.add("carried by " + carrier());
            }
        });
    }

    @RepeatedTest(3)
    void fiberSeesItsLoopAsInLoopAcrossParkingButNotTheOtherLoop() throws Exception {
        parkFourWays((loop, other, loopThread, wrong) -> {
            if (!loop.inLoop()) {
                wrong.add("loop.inLoop() is false");
            }
            if (other.inLoop()) {
                wrong.add("the other loop's inLoop() is true");
            }
        });
    }

    @Test
    void fiberStartedFromAnotherLoopIsCarriedByTheLoopItWasStartedOn() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(2).build()) {
            EventLoop second = reactor.loops().get(1);
            Thread secondThread = Loops.thread(second);
            CompletableFuture<Thread> carriedBy = new CompletableFuture<>();
            // Started from loop 0's thread, on loop 1: loop 1 carries it.
            Loops.run(reactor.loops().get(0), () -> second.startFiber(() -> carriedBy.complete(carrier())));

            assertSame(secondThread, carriedBy.get(5, SECONDS));
        }
    }

    @Test
    void tenThousandSleepingFibersOnTwoLoopsFinishQuickly() throws InterruptedException {
        int fibers = 10_000;
        try (Reactor reactor = Reactor.builder().loops(2).build()) {
            List<Thread> loopThreads = reactor.loops().stream().map(Loops::thread).toList();
            CountDownLatch finished = new CountDownLatch(fibers);
            AtomicInteger strayed = new AtomicInteger();
            long start = System.nanoTime();
            for (int i = 0; i < fibers; i++) {
                EventLoop loop = reactor.next();
                Thread loopThread = loopThreads.get(loop.index());
                loop.startFiber(() -> {
                    try {
                        Thread.sleep(100);
                        if (carrier() != loopThread) {
                            strayed.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        finished.countDown();
                    }
                });
            }

            assertTrue(finished.await(10, SECONDS), "fibers unfinished: " + finished.getCount());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 5_000, "10,000 fibers sleeping 100 ms took " + millis + " ms");
            assertEquals(0, strayed.get(), "fibers that woke up off their loop");
        }
    }

    @Test
    void aFiberThatThrowsDoesNotKillItsLoop() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            Thread loopThread = Loops.thread(loop);
            Thread fiber = loop.startFiber(() -> {
                throw new IllegalStateException("boom (expected by the test)");
            });
            assertTrue(fiber.join(Duration.ofSeconds(5)));

            CompletableFuture<Thread> later = new CompletableFuture<>();
            loop.startFiber(() -> later.complete(carrier()));
            assertSame(loopThread, later.get(5, SECONDS));
            assertSame(loopThread, Loops.thread(loop));
        }
    }

    @Test
    void scheduleFromACarriedFiberRunsInlineAndExecuteRunsOnTheLoopThread() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            Thread loopThread = Loops.thread(loop);
            CompletableFuture<Thread> fiberThread = new CompletableFuture<>();
            CompletableFuture<Thread> scheduledOn = new CompletableFuture<>();
            CompletableFuture<Thread> executedOn = new CompletableFuture<>();
            loop.startFiber(() -> {
                fiberThread.complete(Thread.currentThread());
                loop.schedule(() -> scheduledOn.complete(Thread.currentThread()));
                loop.execute(() -> executedOn.complete(Thread.currentThread()));
            });

            assertSame(fiberThread.get(5, SECONDS), scheduledOn.get(5, SECONDS), "schedule on the loop runs inline");
            assertSame(loopThread, executedOn.get(5, SECONDS), "execute from the fiber");
        }
    }

    @Test
    void aFiberUnparkedByAFiberOfAnotherLoopResumesOnItsOwnLoop() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(2).build()) {
            EventLoop first = reactor.loops().get(0);
            EventLoop second = reactor.loops().get(1);
            Thread firstThread = Loops.thread(first);
            CompletableFuture<String> value = new CompletableFuture<>();
            CountDownLatch waiting = new CountDownLatch(1);
            CompletableFuture<Thread> resumedOn = new CompletableFuture<>();
            first.startFiber(() -> {
                waiting.countDown();
                try {
                    value.get(5, SECONDS);
                    resumedOn.complete(carrier());
                } catch (Exception e) {
                    resumedOn.completeExceptionally(e);
                }
            });
            assertTrue(waiting.await(5, SECONDS));
            CompletableFuture<Void> completed = new CompletableFuture<>();
            // Completing the future unparks the first fiber from a fiber that loop 1 carries.
            second.startFiber(() -> {
                try {
                    value.complete("from loop 1");
                    completed.complete(null);
                } catch (RuntimeException e) {
                    completed.completeExceptionally(e);
                }
            });

            completed.get(5, SECONDS);
            assertSame(firstThread, resumedOn.get(5, SECONDS));
        }
    }

    @Test
    void jdkSchedulerModeRunsFibersOffTheLoopAndScheduleHandsWorkToIt() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).fiberMode(FiberMode.JDK_SCHEDULER).build()) {
            assertEquals(FiberMode.JDK_SCHEDULER, reactor.fiberMode());
            EventLoop loop = reactor.loops().getFirst();
            assertFalse(loop.carriesFibers());
            Thread loopThread = Loops.thread(loop);

            CompletableFuture<Boolean> virtual = new CompletableFuture<>();
            CompletableFuture<Boolean> inLoopBeforeSleep = new CompletableFuture<>();
            CompletableFuture<Boolean> inLoopAfterSleep = new CompletableFuture<>();
            CompletableFuture<Thread> carriedBy = new CompletableFuture<>();
            CompletableFuture<Thread> scheduledOn = new CompletableFuture<>();
            CompletableFuture<Boolean> scheduledInLoop = new CompletableFuture<>();
            Thread fiber = loop.startFiber(() -> {
                virtual.complete(Thread.currentThread().isVirtual());
                inLoopBeforeSleep.complete(loop.inLoop());
                carriedBy.complete(carrier());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                inLoopAfterSleep.complete(loop.inLoop());
                loop.schedule(() -> {
                    scheduledInLoop.complete(loop.inLoop());
                    scheduledOn.complete(Thread.currentThread());
                });
            });

            assertTrue(fiber.isVirtual());
            assertTrue(virtual.get(5, SECONDS));
            assertFalse(inLoopBeforeSleep.get(5, SECONDS));
            assertFalse(inLoopAfterSleep.get(5, SECONDS));
            assertNotSame(loopThread, carriedBy.get(5, SECONDS));
            assertSame(loopThread, scheduledOn.get(5, SECONDS), "schedule from a JDK-scheduled fiber");
            assertTrue(scheduledInLoop.get(5, SECONDS));
        }
    }
}
