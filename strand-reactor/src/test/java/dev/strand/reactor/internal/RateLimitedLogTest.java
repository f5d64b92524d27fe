package dev.strand.reactor.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The rate-limited failure log, on a clock the test moves: no sleeping. */
class RateLimitedLogTest {

    private static final System.Logger.Level ERROR = System.Logger.Level.ERROR;
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final RecordingLogger logger = new RecordingLogger();

    private void advance(Duration by) {
        clock.addAndGet(by.toNanos());
    }

    private RateLimitedLog log() {
        return new RateLimitedLog(logger, INTERVAL, clock::get, null);
    }

    @Test
    void theFirstFailureOfAKindIsLoggedWithItsStackTraceAndTheRestAreCountedOncePerInterval() {
        RateLimitedLog log = log();
        IllegalStateException first = new IllegalStateException("first");
        log.report("task", ERROR, "a task failed", first);
        for (int i = 0; i < 100; i++) {
            advance(Duration.ofMillis(50)); // 5 s in all: still the first interval
            log.report("task", ERROR, "a task failed", new IllegalStateException("again " + i));
        }

        assertEquals(1, logger.lines.size(), "suppressed reports were written: " + logger.lines);
        assertSame(first, logger.lines.getFirst().thrown());
        assertEquals("a task failed", logger.lines.getFirst().message());

        advance(Duration.ofSeconds(5)); // the interval is over
        log.report("task", ERROR, "a task failed", new IllegalStateException("after"));

        assertEquals(2, logger.lines.size());
        Line summary = logger.lines.get(1);
        assertNull(summary.thrown(), "a summary carries no stack trace");
        assertEquals("a task failed: java.lang.IllegalStateException: after (100 more in the last 10 s)", summary.message());
        assertEquals(ERROR, summary.level());

        advance(Duration.ofSeconds(11));
        log.report("task", ERROR, "a task failed", new IllegalStateException("alone"));
        assertEquals("a task failed: java.lang.IllegalStateException: alone", logger.lines.get(2).message(),
                "after a quiet interval a report is one line, without a count and without a stack trace");
        assertNull(logger.lines.get(2).thrown());
    }

    @Test
    void kindsAndFailureClassesAreLimitedApart() {
        RateLimitedLog log = log();
        log.report("task", ERROR, "a task failed", new IllegalStateException());
        log.report("task", ERROR, "a task failed", new IllegalStateException());
        log.report("task", ERROR, "a task failed", new NullPointerException());
        log.report("timer", ERROR, "a timer failed", new IllegalStateException());
        log.report("timer", ERROR, "a timer failed", new IllegalStateException());

        assertEquals(List.of("a task failed", "a task failed", "a timer failed"),
                logger.lines.stream().map(Line::message).toList());
        assertTrue(logger.lines.stream().allMatch(l -> l.thrown() != null), "each first carries its stack trace");
    }

    @Test
    void reportsWithoutAFailureAreLimitedToo() {
        RateLimitedLog log = log();
        for (int i = 0; i < 5; i++) {
            log.report("rejected", System.Logger.Level.WARNING, "timer rejected", null);
        }
        advance(INTERVAL);
        log.report("rejected", System.Logger.Level.WARNING, "timer rejected", null);

        assertEquals(List.of("timer rejected", "timer rejected (4 more in the last 10 s)"),
                logger.lines.stream().map(Line::message).toList());
    }

    @Test
    void aQuietSpellIsSummarisedByTheScheduledFlush() {
        List<Duration> delays = new ArrayList<>();
        List<Runnable> flushes = new ArrayList<>();
        RateLimitedLog log = new RateLimitedLog(logger, INTERVAL, clock::get, (delay, task) -> {
            delays.add(delay);
            flushes.add(task);
        });
        log.report("accept", ERROR, "accept failed", new IOException("Too many open files"));
        assertEquals(List.of(), delays, "nothing to summarise yet");

        advance(Duration.ofSeconds(3));
        for (int i = 0; i < 7; i++) {
            log.report("accept", ERROR, "accept failed", new IOException("Too many open files"));
        }
        assertEquals(List.of(Duration.ofSeconds(7)), delays, "one flush, when the interval ends");

        log.flushDue();
        assertEquals(1, logger.lines.size(), "flushed before the interval ended");

        advance(Duration.ofSeconds(7));
        flushes.getFirst().run();
        assertEquals(2, logger.lines.size());
        assertEquals("accept failed (7 more in the last 10 s)", logger.lines.get(1).message());

        flushes.getFirst().run();
        assertEquals(2, logger.lines.size(), "a count is summarised once");

        advance(Duration.ofSeconds(1));
        log.report("accept", ERROR, "accept failed", new IOException("Too many open files"));
        assertEquals(2, delays.size(), "the next suppressed report asks for the next flush");
    }

    @Test
    void whenTheLoggerThrowsTheLineGoesToStandardError() {
        System.Logger broken = new RecordingLogger() {
            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                throw new NoClassDefFoundError("Could not initialize class sun.util.calendar.ZoneInfoFile");
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                throw new NoClassDefFoundError("Could not initialize class sun.util.calendar.ZoneInfoFile");
            }
        };
        RateLimitedLog log = new RateLimitedLog(broken, INTERVAL, clock::get, null);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertDoesNotThrow(() -> log.report("accept", ERROR, "accept failed on port 8080",
                    new IOException("Too many open files")));
            for (int i = 0; i < 10; i++) {
                log.report("accept", ERROR, "accept failed on port 8080", new IOException("Too many open files"));
            }
        } finally {
            System.setErr(original);
        }
        String err = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, err.lines().count(), "one plain line, rate-limited like the logger's: " + err);
        assertTrue(err.contains("accept failed on port 8080: java.io.IOException: Too many open files"), err);
        assertTrue(err.contains("NoClassDefFoundError"), "the line says why the logger was bypassed: " + err);
        assertEquals(0, log.lost());
    }

    @Test
    void whenStandardErrorThrowsTooTheReportIsOnlyCounted() {
        System.Logger broken = new RecordingLogger() {
            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                throw new OutOfMemoryError("simulated");
            }
        };
        RateLimitedLog log = new RateLimitedLog(broken, INTERVAL, clock::get, null);
        PrintStream original = System.err;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                throw new OutOfMemoryError("simulated");
            }
        }));
        try {
            assertDoesNotThrow(() -> log.report("task", ERROR, "a task failed", new IllegalStateException()));
        } finally {
            System.setErr(original);
        }
        assertEquals(1, log.lost());
    }

    @Test
    void aFlushSchedulerThatThrowsDoesNotBreakReporting() {
        RateLimitedLog log = new RateLimitedLog(logger, INTERVAL, clock::get, (delay, task) -> {
            throw new IllegalStateException("the loop has stopped");
        });
        log.report("task", ERROR, "a task failed", new IllegalStateException());
        assertDoesNotThrow(() -> log.report("task", ERROR, "a task failed", new IllegalStateException()));
        advance(INTERVAL);
        log.report("task", ERROR, "a task failed", new IllegalStateException());
        assertEquals(2, logger.lines.size());
    }

    @Test
    void concurrentReportsAreAllCountedAndLoggedOnceWithTheStackTrace() throws Exception {
        RateLimitedLog log = log();
        int threads = 4;
        int perThread = 20_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    log.report("task", ERROR, "a task failed", new IllegalStateException());
                }
            }));
        }
        go.countDown();
        for (Thread thread : started) {
            assertTrue(thread.join(Duration.ofSeconds(20)), "a reporting thread did not finish");
        }
        advance(INTERVAL);
        log.flushDue();

        assertEquals(2, logger.lines.size(), "" + logger.lines);
        assertNotNull(logger.lines.getFirst().thrown());
        Matcher more = Pattern.compile("\\((\\d+) more in the last").matcher(logger.lines.get(1).message());
        assertTrue(more.find(), logger.lines.get(1).message());
        assertEquals(threads * perThread - 1, Long.parseLong(more.group(1)), "every report is counted");
    }

    record Line(System.Logger.Level level, String message, Throwable thrown) {
    }

    /** Keeps what would have been logged. */
    static class RecordingLogger implements System.Logger {
        final List<Line> lines = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(new Line(level, msg, thrown));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(new Line(level, format, null));
        }
    }
}
