package dev.strand.reactor;

import static dev.strand.reactor.Loops.ms;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A loop turn that runs past the stall threshold is reported once, naming what held the loop; a
 * loop asleep in select is never stalled; the threshold can be set, and the watchdog turned off.
 */
class StallWatchdogReportsLongTurnsTest {

    private LogCapture log;

    @BeforeEach
    void captureReports() {
        log = new LogCapture(StallWatchdog.class.getName());
    }

    @AfterEach
    void stopCapturing() {
        log.close();
    }

    /** The reports about {@code loop}. */
    private List<String> reportsOn(EventLoop loop) {
        return log.messagesWith(loop + ": stalled");
    }

    @Test
    void aTaskSpinning300msIsReportedOnceWithTheStackThatNamesTheSpin() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).name("stall-task").build()) {
            EventLoop loop = reactor.loops().getFirst();
            Loops.run(loop, () -> { }); // the loop's first turns load classes: not part of this test

            CountDownLatch spun = new CountDownLatch(1);
            loop.execute(() -> {
                Loops.spin(ms(300));
                spun.countDown();
            });
            assertTrue(spun.await(5, SECONDS));
            idleFor(loop, ms(200)); // time for a second report, if there were one

            List<String> spins = log.messagesWith("dev.strand.reactor.Loops.spin(");
            assertEquals(1, spins.size(), "reports: " + log.messages());
            String report = spins.getFirst();
            assertTrue(report.startsWith(loop + ": stalled: one turn has held the loop for "), report);
            assertTrue(report.contains("(stall threshold 100 ms"), report);
            assertTrue(report.contains(", in a task entered at dev.strand.reactor.StallWatchdogReportsLongTurnsTest.lambda$"), report);
            assertTrue(loop.stalls() >= 1 && reactor.stalls() == loop.stalls(), "stalls: " + loop.stalls());
            // Spinning, the thread is runnable: how much CPU it got depends on the machine, but it was measured.
            assertTrue(report.contains(". The loop's thread was on the CPU ") || report.contains(". The loop's thread was runnable but on the CPU "),
                    report);
        }
    }

    @Test
    void aTaskThatSleepsOnTheLoopIsReportedAsWaitingNotComputing() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).name("stall-sleep").build()) {
            EventLoop loop = reactor.loops().getFirst();
            Loops.run(loop, () -> { });

            CountDownLatch slept = new CountDownLatch(1);
            loop.execute(() -> {
                try {
                    Thread.sleep(300); // the misuse under test: a blocking call on the loop's thread
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                slept.countDown();
            });
            assertTrue(slept.await(5, SECONDS));
            idleFor(loop, ms(200));

            List<String> reports = reportsOn(loop);
            assertEquals(1, reports.size(), "reports: " + log.messages());
            String report = reports.getFirst();
            assertTrue(report.contains(". The loop's thread is TIMED_WAITING (on the CPU "), report);
            assertTrue(report.contains("): the work waits, holding the loop"), report);
            assertTrue(report.contains("java.lang.Thread.sleep"), report);
        }
    }

    @Test
    void cpuTimeOverWallTimeTellsComputingFromStarvedFromWaiting() {
        long ms = 1_000_000;
        assertTrue(new StallWatchdog.OnCpu(45 * ms, 50 * ms, Thread.State.RUNNABLE).explain()
                .equals(". The loop's thread was on the CPU 45 ms of the last 50 ms: the work computes"));
        String starved = new StallWatchdog.OnCpu(5 * ms, 50 * ms, Thread.State.RUNNABLE).explain();
        assertTrue(starved.startsWith(". The loop's thread was runnable but on the CPU 5 ms of the last 50 ms: it was kept off the CPU"),
                starved);
        assertTrue(new StallWatchdog.OnCpu(0, 50 * ms, Thread.State.BLOCKED).explain()
                .equals(". The loop's thread is BLOCKED (on the CPU 0 ms of the last 50 ms): the work waits, holding the loop"));
        assertTrue(new StallWatchdog.OnCpu(25 * ms, 50 * ms, Thread.State.RUNNABLE).explain().endsWith(": the work computes"),
                "half the window on the CPU counts as computing");
    }

    @Test
    void aSpinningFiberIsReportedWithItsNameAndItsOwnFrames() throws Exception {
        Assumptions.assumeTrue(Reactor.carrierHookAvailable(), "java.lang is not opened in this JVM");
        try (Reactor reactor = Reactor.builder().loops(1).name("stall-fiber").fiberMode(FiberMode.LOOP_CARRIER).build()) {
            EventLoop loop = reactor.loops().getFirst();
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.startFiber(() -> {
                Thread.currentThread().setName("spinner");
                spinInAFiber();
                done.complete(null);
            });
            done.get(5, SECONDS);
            idleFor(loop, ms(50));

            List<String> reports = log.messagesWith("spinInAFiber");
            assertEquals(1, reports.size(), "reports: " + log.messages());
            String report = reports.getFirst();
            assertTrue(report.contains(", in fiber VirtualThread[#"), report);
            assertTrue(report.contains(",spinner]"), report);
            // The fiber's frames, then the carrier's, which do not show them.
            int fiberStack = report.indexOf("The fiber's stack:");
            int spin = report.indexOf("\tat dev.strand.reactor.Loops.spin(");
            int caller = report.indexOf("\tat dev.strand.reactor.StallWatchdogReportsLongTurnsTest.spinInAFiber(");
            int carrierStack = report.indexOf("The stack of the loop's thread, its carrier:");
            assertTrue(0 < fiberStack && fiberStack < spin && spin < caller && caller < carrierStack, report);
            assertFalse(report.substring(carrierStack).contains("spinInAFiber"), report);
        }
    }

    private static void spinInAFiber() {
        Loops.spin(ms(300));
    }

    @Test
    void anIoHandlerThatSpinsOnWakingTheLoopIsReported() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).name("stall-io").build()) {
            EventLoop loop = reactor.loops().getFirst();
            Pipe pipe = Pipe.open();
            try {
                CountDownLatch spun = new CountDownLatch(1);
                Loops.run(loop, () -> loop.register(pipe.source(), SelectionKey.OP_READ, key -> {
                    try {
                        pipe.source().read(ByteBuffer.allocate(16));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    Loops.spin(ms(300));
                    spun.countDown();
                }));
                idleFor(loop, ms(50)); // asleep in select when the byte comes

                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
                assertTrue(spun.await(5, SECONDS));

                List<String> spins = log.messagesWith("dev.strand.reactor.Loops.spin(");
                assertEquals(1, spins.size(), "reports: " + log.messages());
                assertTrue(spins.getFirst().contains("EventLoop.dispatchAfterSleep("), spins.getFirst());
            } finally {
                pipe.sink().close();
                pipe.source().close();
            }
        }
    }

    @Test
    void aLoopAsleepInSelectIsNeverStalled() throws Exception {
        // The first loop in a JVM to set up its exact timer wake-up links native calls, a turn of
        // some 25 ms: a real stall, but not this test's. Have a loop of another reactor pay for it.
        try (Reactor first = Reactor.builder().loops(1).name("stall-idle-warm-up").stallWatchdog(false).build()) {
            Reactor.exactTimerWakeupsAvailable(); // the set-up is then queued on that loop, ahead of the next task
            Loops.run(first.loops().getFirst(), () -> { });
        }
        try (Reactor reactor = Reactor.builder().loops(1).name("stall-idle").stallThreshold(ms(20)).build()) {
            EventLoop loop = reactor.loops().getFirst();
            Loops.run(loop, () -> { });
            long before = loop.stalls();

            idleFor(loop, ms(500)); // 25 thresholds asleep until the timer

            assertEquals(List.of(), reportsOn(loop));
            assertEquals(before, loop.stalls());
        }
    }

    @Test
    void theThresholdCanBeSet() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).name("stall-set").stallThreshold(ms(50)).build()) {
            EventLoop loop = reactor.loops().getFirst();
            assertEquals(Optional.of(ms(50)), reactor.stallThreshold());
            Loops.run(loop, () -> { });

            Loops.run(loop, () -> Loops.spin(ms(200)));
            idleFor(loop, ms(50));

            List<String> spins = log.messagesWith("dev.strand.reactor.Loops.spin(");
            assertEquals(1, spins.size(), "reports: " + log.messages());
            assertTrue(spins.getFirst().contains("(stall threshold 50 ms"), spins.getFirst());
        }
    }

    @Test
    void turnedOffThereIsNoWatchdogAndNothingIsReported() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).name("stall-off").stallWatchdog(false).build()) {
            EventLoop loop = reactor.loops().getFirst();
            String watchdogName = Loops.thread(loop).getName().replace("-loop-0", "-stall-watchdog");

            Loops.run(loop, () -> Loops.spin(ms(300)));

            assertEquals(Optional.empty(), reactor.stallThreshold());
            assertEquals(0, loop.stalls());
            assertEquals(List.of(), reportsOn(loop));
            assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(watchdogName)),
                    watchdogName + " runs");
        }
    }

    @Test
    void timeInWhichTheWholeProcessWasPausedIsNotCountedAgainstATurn() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).name("stall-paused").stallWatchdog(false).build()) {
            EventLoop loop = reactor.loops().getFirst();
            // Driven by hand, with a clock of the test's own: no thread, no wall-clock window.
            StallWatchdog watchdog = new StallWatchdog("stall-paused-watchdog", reactor.loops(), ms(100));
            AtomicBoolean release = new AtomicBoolean();
            CompletableFuture<Long> turn = new CompletableFuture<>();
            loop.execute(() -> {
                turn.complete(loop.turnStarted());
                long giveUp = System.nanoTime() + SECONDS.toNanos(5);
                while (!release.get() && System.nanoTime() - giveUp < 0) {
                    Thread.onSpinWait();
                }
            });
            long started = turn.get(5, SECONDS);
            try {
                watchdog.sample(started + ms(40).toNanos(), 0);
                // The watchdog woke 120 ms late: the process was paused; the turn ran 30 ms more.
                watchdog.sample(started + ms(190).toNanos(), ms(120).toNanos());
                assertEquals(0, loop.stalls(), "a pause of the whole process was blamed on the turn");

                watchdog.sample(started + ms(250).toNanos(), 0); // 130 ms of the turn's own
                assertEquals(1, loop.stalls());
            } finally {
                release.set(true);
            }
            List<String> reports = reportsOn(loop);
            assertEquals(1, reports.size(), reports.toString());
            assertTrue(reports.getFirst().contains("held the loop for 130 ms (stall threshold 100 ms; not counting"
                    + " 120 ms in which the watchdog itself was held up"), reports.getFirst());
        }
    }

    @Test
    void aThresholdUnder10msIsRefused() {
        Reactor.Builder builder = Reactor.builder();
        assertThrows(IllegalArgumentException.class, () -> builder.stallThreshold(ms(9)));
    }

    /** Lets {@code loop} sleep for {@code duration}, until a timer of its own, and waits for that timer. */
    private static void idleFor(EventLoop loop, Duration duration) throws InterruptedException {
        CountDownLatch woke = new CountDownLatch(1);
        loop.addTimer(duration, woke::countDown);
        assertTrue(woke.await(5, SECONDS), "the loop's timer did not run");
    }
}
