package dev.strand.reactor.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deferred;
import dev.strand.reactor.Fiber;
import dev.strand.reactor.Simulation;
import dev.strand.reactor.SimulationException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What would make a simulated run depend on the real world fails it at once, with a message that
 * says what escaped and how to replay the seed, instead of hanging or passing by luck.
 */
class EscapesFromTheSimulationFailAtOnceTest {

    /** Each failure must come long before the real time it would otherwise have waited. */
    private static SimulationException failure(Simulation sim, java.util.concurrent.Callable<?> body) {
        long start = System.nanoTime();
        SimulationException e = assertThrows(SimulationException.class, () -> sim.run(body));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "it took the real time it should not have");
        assertTrue(e.getMessage().contains("[seed " + sim.seed() + ", at +"), e.getMessage());
        assertTrue(e.getMessage().contains("replay: Simulation.create(" + sim.seed() + "L)"), e.getMessage());
        assertEquals(sim.seed(), e.seed());
        return e;
    }

    @Test
    void threadSleepOnAFiberFailsNamingTheFiberAndItsStack() {
        try (Simulation sim = Simulation.create(11)) {
            SimulationException e = failure(sim, () -> {
                Thread.sleep(Duration.ofSeconds(60));
                return null;
            });
            assertTrue(e.getMessage().startsWith("fiber-1 parked with a real-time timeout"), e.getMessage());
            assertTrue(Arrays.stream(e.getCause().getStackTrace()).anyMatch(f -> f.getMethodName().equals("sleep")),
                    "the cause shows the sleep: " + Arrays.toString(e.getCause().getStackTrace()));
        }
    }

    @Test
    void aFiberReportedForItsTimedParkDoesNotFailTheNextRun() {
        try (Simulation sim = Simulation.create(20)) {
            assertThrows(SimulationException.class, () -> sim.run(() -> {
                Thread.sleep(Duration.ofMinutes(10));
                return null;
            }));
            assertEquals("next", sim.run(() -> {
                Fiber.sleep(Duration.ofSeconds(1));
                return "next";
            }));
        }
    }

    @Test
    void aRealSocketIsRefused() throws Exception {
        try (Simulation sim = Simulation.create(12); ServerSocketChannel channel = ServerSocketChannel.open()) {
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            SimulationException e = failure(sim, () -> sim.loop().register(channel, SelectionKey.OP_ACCEPT, key -> { }));
            assertTrue(e.getMessage().contains("a simulated loop has no real sockets"), e.getMessage());
            assertTrue(e.getMessage().contains("MemoryPipe"), e.getMessage());
        }
    }

    @Test
    void workHandedInByAnotherThreadFailsTheRun() {
        try (Simulation sim = Simulation.create(13)) {
            SimulationException e = failure(sim, () -> {
                Deferred<String> answer = Deferred.create(sim.loop());
                java.util.concurrent.atomic.AtomicBoolean handedIn = new java.util.concurrent.atomic.AtomicBoolean();
                Thread.ofPlatform().name("outsider").start(() -> {
                    sim.loop().execute(() -> answer.succeed("late"));
                    handedIn.set(true);
                });
                // Busy, not parked, until the outsider has handed its task in: else the run would
                // be found stuck first (nothing runnable, no timer), which is a failure too.
                while (!handedIn.get()) {
                    Thread.onSpinWait();
                }
                return answer.await();
            });
            assertTrue(e.getMessage().contains("was handed to the simulated loop from Thread[#"), e.getMessage());
            assertTrue(e.getMessage().contains("outsider"), e.getMessage());
        }
    }

    @Test
    void aRunWithNothingToDoAndNoTimerIsStuckAndShowsWhereItsFibersWait() {
        try (Simulation sim = Simulation.create(14)) {
            SimulationException e = failure(sim, () -> Deferred.create(sim.loop()).await());
            assertTrue(e.getMessage().startsWith("stuck: nothing is runnable, no timer is pending"), e.getMessage());
            assertTrue(e.getMessage().contains("fiber-1 (WAITING)"), e.getMessage());
            assertTrue(e.getMessage().contains("Deferred.await"), e.getMessage());
        }
    }

    @Test
    void aRunKeptGoingOnlyByAPeriodicTimerStopsAtItsVirtualTimeLimit() {
        try (Simulation sim = Simulation.builder().seed(15).timeLimit(Duration.ofMinutes(10)).build()) {
            SimulationException e = failure(sim, () -> {
                sim.loop().addPeriodicTimer(Duration.ofSeconds(1), () -> { });
                return Deferred.create(sim.loop()).await();
            });
            assertTrue(e.getMessage().startsWith("the run passed its limit of PT10M of virtual time"), e.getMessage());
            assertTrue(e.getMessage().contains("at +PT10M"), e.getMessage());
        }
    }

    @Test
    void aTurnThatBlocksTheLoopsThreadForRealFailsShowingItsStack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Simulation sim = Simulation.builder().seed(16).turnLimit(Duration.ofMillis(200)).build()) {
            SimulationException e = failure(sim, () -> {
                Deferred<Void> blocked = Deferred.create(sim.loop());
                sim.loop().execute(() -> {
                    try {
                        release.await(); // holds the loop's thread, as a blocking call would
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    blocked.succeed(null);
                });
                return blocked.await();
            });
            assertTrue(e.getMessage().startsWith("one turn of the simulated loop has run for more than PT0.2S of real time"),
                    e.getMessage());
            assertTrue(Arrays.stream(e.getCause().getStackTrace()).anyMatch(f -> f.getClassName().contains("CountDownLatch")),
                    Arrays.toString(e.getCause().getStackTrace()));
            release.countDown(); // before the close, which would otherwise wait for the held loop
        } finally {
            release.countDown();
        }
    }

    @Test
    void theBodysOwnFailureCarriesTheSeed() {
        try (Simulation sim = Simulation.create(17)) {
            SimulationException e = failure(sim, () -> {
                Fiber.sleep(Duration.ofSeconds(3));
                throw new AssertionError("expected 2 but was 1");
            });
            assertInstanceOf(AssertionError.class, e.getCause());
            assertTrue(e.getMessage().startsWith("the body threw java.lang.AssertionError: expected 2 but was 1"), e.getMessage());
            assertTrue(e.getMessage().contains("at +PT3S of virtual time"), e.getMessage());
        }
    }

    @Test
    void aTaskThatThrowsOnTheLoopFailsTheRunUnlessToldNotTo() {
        try (Simulation sim = Simulation.create(18)) {
            SimulationException e = failure(sim, () -> {
                sim.loop().execute(() -> {
                    throw new IllegalStateException("a callback's bug");
                });
                Fiber.sleep(Duration.ofSeconds(1));
                return null;
            });
            assertTrue(e.getMessage().startsWith("the loop caught a failure of task: java.lang.IllegalStateException: a callback's bug"),
                    e.getMessage());
        }
        try (Simulation sim = Simulation.builder().seed(18).failOnLoopFailure(false).build()) {
            assertEquals("went on", sim.run(() -> {
                sim.loop().execute(() -> {
                    throw new IllegalStateException("a callback's bug");
                });
                Fiber.sleep(Duration.ofSeconds(1));
                return "went on";
            }));
        }
    }

    @Test
    void aSimulationGoesOnAfterAFailedRun() {
        try (Simulation sim = Simulation.create(19)) {
            assertThrows(SimulationException.class, () -> sim.run(() -> Deferred.create(sim.loop()).await()));
            assertEquals(42, sim.run(() -> {
                Fiber.sleep(Duration.ofSeconds(1));
                return 42;
            }));
        }
    }
}
