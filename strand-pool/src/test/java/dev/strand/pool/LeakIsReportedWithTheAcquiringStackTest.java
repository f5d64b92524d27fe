package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LeakIsReportedWithTheAcquiringStackTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @Test
    void aLeaseHeldPastTheThresholdIsLoggedOnceWithWhereItWasTaken() {
        try (LogCapture logs = new LogCapture();
             Pool<TestResources.Res> pool = Pool.builder("leaky", new TestResources())
                     .maxSize(2).leakThreshold(Duration.ofMillis(100)).build()) {
            Lease<TestResources.Res> first = takeAndForget(pool);
            Await.until(AWAIT, () -> leakReports(logs).size() == 1, "the first leak reported");

            // A second leak reported later shows the upkeep has looked again: the first is not repeated.
            Lease<TestResources.Res> second = pool.acquire();
            Await.until(AWAIT, () -> leakReports(logs).size() == 2, "the second leak reported");

            LogRecord report = leakReports(logs).getFirst();
            assertTrue(report.getMessage().matches("pool 'leaky': a lease has been held for \\d+ ms, longer than the leak"
                    + " threshold of 100 ms; it was taken at the trace that follows"), report.getMessage());
            assertTrue(Arrays.stream(report.getThrown().getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("takeAndForget")),
                    "the trace is the acquire's: " + Arrays.toString(report.getThrown().getStackTrace()));
            assertEquals(Level.WARNING, report.getLevel());
            first.close();
            second.close();
        }
    }

    @Test
    void aLeaseReturnedInTimeIsNotReported() {
        try (LogCapture logs = new LogCapture();
             Pool<TestResources.Res> pool = Pool.builder("tidy", new TestResources())
                     .maxSize(2).leakThreshold(Duration.ofMillis(100)).build()) {
            pool.acquire().close();
            Lease<TestResources.Res> kept = pool.acquire(); // the same resource, lent again
            Await.until(AWAIT, () -> leakReports(logs).size() == 1, "the kept lease reported");
            kept.close();
            assertEquals(1, leakReports(logs).size());
        }
    }

    private static Lease<TestResources.Res> takeAndForget(Pool<TestResources.Res> pool) {
        return pool.acquire();
    }

    private static List<LogRecord> leakReports(LogCapture logs) {
        return logs.atOrAbove(Level.WARNING).stream().filter(r -> r.getMessage().contains("a lease has been held")).toList();
    }
}
