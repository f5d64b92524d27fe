package dev.strand.reactor;

import dev.strand.reactor.spi.IoHandler;
import static dev.strand.reactor.Loops.ms;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No {@link Throwable} ends a loop: whatever a task, timer, I/O handler, end-of-turn action or fiber
 * throws, {@link Error}s included, is counted and reported, and the loop goes on; so does a logger
 * that throws while reporting it.
 */
class LoopSurvivesErrorsTest {

    /** The logger the loops report through (java.util.logging backs System.Logger here). */
    private static final Logger LOOP_LOG = Logger.getLogger(EventLoop.class.getName());

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Reactor reactor;
    private EventLoop loop;
    private Thread loopThread;

    @BeforeEach
    void start() {
        LOOP_LOG.addHandler(recorder);
        LOOP_LOG.setUseParentHandlers(false); // the failures below are expected: keep them out of the test output
        reactor = Reactor.builder().loops(1).name("survivor").build();
        loop = reactor.loops().getFirst();
        loopThread = Loops.thread(loop);
    }

    @AfterEach
    void stop() {
        reactor.close();
        LOOP_LOG.removeHandler(recorder);
        LOOP_LOG.setUseParentHandlers(true);
    }

    /** The loop still runs tasks, on the same thread. */
    private void assertLoopRuns() {
        assertSame(loopThread, Loops.thread(loop), "the loop's thread was replaced or stopped");
        assertTrue(loopThread.isAlive());
    }

    @Test
    void aTaskThatThrowsAnErrorIsCountedReportedAndTheLoopGoesOn() throws Exception {
        Error error = new NoClassDefFoundError("Could not initialize class sun.util.calendar.ZoneInfoFile (expected by the test)");
        loop.execute(() -> {
            throw error;
        });
        CountDownLatch later = new CountDownLatch(1);
        loop.execute(later::countDown);

        assertTrue(later.await(5, SECONDS), "the loop ran nothing after a task threw an Error");
        assertLoopRuns();
        assertEquals(1, loop.failures(Failure.TASK));
        assertEquals(1, reactor.failures(Failure.TASK));
        assertEquals(1, records.size(), "one report: " + records);
        assertSame(error, records.getFirst().getThrown(), "the first report of a kind carries the stack trace");
        assertTrue(records.getFirst().getMessage().contains("a task failed"), records.getFirst().getMessage());
    }

    @Test
    void aStackOverflowInATaskLeavesTheLoopRunning() throws Exception {
        loop.execute(LoopSurvivesErrorsTest::recurseForever);
        CountDownLatch later = new CountDownLatch(1);
        loop.execute(later::countDown);

        assertTrue(later.await(5, SECONDS));
        assertLoopRuns();
        assertEquals(1, loop.failures(Failure.TASK));
        assertInstanceOf(StackOverflowError.class, records.getFirst().getThrown());
    }

    private static void recurseForever() {
        recurseForever();
    }

    @Test
    void oneOutOfMemoryErrorInATaskLeavesTheLoopRunning() throws Exception {
        loop.execute(() -> {
            throw new OutOfMemoryError("simulated");
        });
        CountDownLatch later = new CountDownLatch(1);
        loop.execute(later::countDown);

        assertTrue(later.await(5, SECONDS), "the loop ran nothing after a task ran out of memory");
        assertLoopRuns();
        assertEquals(1, loop.failures(Failure.TASK));
        assertEquals(1, loop.failures(Failure.OUT_OF_MEMORY));
        assertTrue(records.getFirst().getMessage().contains("out of memory in a task"), records.getFirst().getMessage());
    }

    @Test
    void underSurviveEveryOutOfMemoryErrorIsSurvived() {
        try (Reactor surviving = Reactor.builder().loops(1).name("survive")
                .outOfMemoryPolicy(OutOfMemoryPolicy.SURVIVE).build()) {
            EventLoop only = surviving.loops().getFirst();
            int n = OutOfMemoryPolicy.PERSISTENT_COUNT + 2;
            for (int i = 0; i < n; i++) {
                only.execute(() -> {
                    throw new OutOfMemoryError("simulated");
                });
            }
            Loops.run(only, () -> only.addTimer(ms(1), () -> {
                throw new OutOfMemoryError("simulated");
            }));
            // The timer's failure counts too, once it has run: wait for it (bounded), else the two
            // counts below could be read on either side of it.
            long deadline = System.nanoTime() + SECONDS.toNanos(5);
            while (only.failures(Failure.TIMER) == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            Loops.run(only, () -> { });

            assertTrue(Loops.call(only, only::inLoop));
            assertEquals(1, only.failures(Failure.TIMER));
            assertEquals(n, only.failures(Failure.TASK));
            assertEquals(n + 1, surviving.failures(Failure.OUT_OF_MEMORY));
        }
    }

    @Test
    void manyFailuresAreCountedButReportedOnce() throws Exception {
        int n = 1_000;
        for (int i = 0; i < n; i++) {
            loop.execute(() -> {
                throw new AssertionError("an Error (expected by the test)");
            });
        }
        Loops.run(loop, () -> { });

        assertEquals(n, loop.failures(Failure.TASK));
        assertEquals(1, records.size(), "reports are rate-limited: the rest are counted for the next summary");
    }

    @Test
    void aPeriodicTimerThatThrowsKeepsItsScheduleAndTheLoopGoesOn() throws Exception {
        CountDownLatch runs = new CountDownLatch(3);
        Timer timer = loop.addPeriodicTimer(ms(5), () -> {
            runs.countDown();
            throw new InternalError("expected by the test"); // not out of memory: three would halt this JVM
        });
        try {
            assertTrue(runs.await(5, SECONDS), "a periodic timer stopped after it threw");
        } finally {
            timer.cancel();
        }
        assertLoopRuns();
        assertTrue(loop.failures(Failure.TIMER) >= 3, "timer failures: " + loop.failures(Failure.TIMER));
    }

    @Test
    void anEndOfTurnActionThatThrowsDoesNotStopTheOthers() throws Exception {
        CountDownLatch second = new CountDownLatch(1);
        loop.execute(() -> {
            loop.endOfTurn(() -> {
                throw new LinkageError("expected by the test");
            });
            loop.endOfTurn(second::countDown);
        });

        assertTrue(second.await(5, SECONDS), "the action after a failed one did not run");
        assertLoopRuns();
        assertEquals(1, loop.failures(Failure.END_OF_TURN));
    }

    @Test
    void anIoHandlerThatThrowsAnErrorHasItsChannelClosedAndTheLoopGoesOn() throws Exception {
        Pipe pipe = Pipe.open();
        try {
            CompletableFuture<Throwable> closedWith = new CompletableFuture<>();
            Error error = new InternalError("expected by the test");
            Loops.run(loop, () -> loop.register(pipe.source(), SelectionKey.OP_READ, new IoHandler() {
                @Override
                public void ready(SelectionKey key) {
                    throw error;
                }

                @Override
                public void closed(Throwable cause) {
                    closedWith.complete(cause);
                    throw new InternalError("the close callback fails too (expected by the test)");
                }
            }));
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));

            assertSame(error, closedWith.get(5, SECONDS));
            assertLoopRuns();
            assertFalse(pipe.source().isOpen(), "the failed handler's channel is closed");
            assertEquals(2, loop.failures(Failure.IO_HANDLER), "ready and closed both failed");
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = FiberMode.class, names = {"LOOP_CARRIER", "JDK_SCHEDULER"})
    void aFiberThatDiesOfAnErrorIsCountedAndReported(FiberMode mode) throws Exception {
        assumeTrue(mode != FiberMode.LOOP_CARRIER || Reactor.carrierHookAvailable(), "java.lang is not opened in this JVM");
        try (Reactor own = Reactor.builder().loops(1).name("fibers").fiberMode(mode).build()) {
            EventLoop fiberLoop = own.loops().getFirst();
            Error error = new ExceptionInInitializerError("expected by the test");
            Thread fiber = fiberLoop.startFiber(() -> {
                throw error;
            });

            assertTrue(fiber.join(Duration.ofSeconds(5)), "the fiber did not end");
            assertEquals(1, fiberLoop.failures(Failure.FIBER));
            assertEquals(1, own.failures(Failure.FIBER));
            assertTrue(records.stream().anyMatch(r -> r.getThrown() == error), "the fiber's death was not reported");
            assertTrue(Loops.call(fiberLoop, fiberLoop::inLoop));
        }
    }

    @Test
    void aLoggerThatThrowsCannotEndTheLoopAndTheReportGoesToStandardError() throws Exception {
        LOOP_LOG.removeHandler(recorder);
        Handler broken = new Handler() {
            @Override
            public void publish(LogRecord record) {
                // What JUL's formatter threw with the process out of descriptors.
                throw new NoClassDefFoundError("Could not initialize class sun.util.calendar.ZoneInfoFile");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        LOOP_LOG.addHandler(broken);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            loop.execute(() -> {
                throw new IllegalStateException("boom (expected by the test)");
            });
            Loops.run(loop, () -> { });
        } finally {
            System.setErr(original);
            LOOP_LOG.removeHandler(broken);
        }
        assertLoopRuns();
        assertEquals(1, loop.failures(Failure.TASK));
        String err = captured.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("a task failed") && err.contains("IllegalStateException: boom"), err);
        assertTrue(err.contains("NoClassDefFoundError"), err);
    }

    @Test
    void failuresAreCountedPerLoopAndSummedByTheReactor() throws IOException {
        try (Reactor two = Reactor.builder().loops(2).name("two").build()) {
            for (EventLoop each : two.loops()) {
                Loops.run(each, () -> each.execute(() -> {
                    throw new IllegalStateException("expected by the test");
                }));
                Loops.run(each, () -> { });
                assertEquals(1, each.failures(Failure.TASK));
            }
            assertEquals(2, two.failures(Failure.TASK));
            assertEquals(0, two.failures(Failure.TIMER));
        }
    }
}
