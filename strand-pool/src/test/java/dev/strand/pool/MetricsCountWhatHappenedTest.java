package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class MetricsCountWhatHappenedTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @SuppressWarnings("try") // leases held only to keep resources busy; close() called as what is tested
    @Test
    void gaugesCountersAndWaitTimesFollowTheLeases() throws Exception {
        try (Pool<TestResources.Res> pool = Pool.builder("metered", new TestResources()).maxSize(2).build()) {
            Lease<TestResources.Res> a = pool.acquire();
            Lease<TestResources.Res> b = pool.acquire();
            PoolMetrics busy = pool.metrics();
            assertEquals(2, busy.size());
            assertEquals(2, busy.inUse());
            assertEquals(0, busy.idle());
            assertEquals(2, busy.creations());

            Thread waiter = Thread.ofVirtual().start(() -> pool.acquire().close());
            Await.until(AWAIT, () -> pool.metrics().waiters() == 1, "a waiter");
            long waiting = System.nanoTime();
            // Let 20 ms pass (not a wait for a condition): the waiter waits at least that long.
            Await.until(AWAIT, () -> System.nanoTime() - waiting >= Duration.ofMillis(20).toNanos(), "20 ms passed");
            a.close();
            assertTrue(waiter.join(AWAIT));
            b.discard();
            assertThrows(PoolTimeoutException.class, () -> {
                try (var c = pool.acquire(); var d = pool.acquire()) {
                    pool.acquire(Duration.ZERO);
                }
            });

            Await.until(AWAIT, () -> pool.metrics().inUse() == 0, "all returned");
            PoolMetrics after = pool.metrics();
            assertEquals(after.size(), after.idle());
            assertEquals(1, after.destructions());
            assertEquals(1, after.timeouts());
            assertEquals(0, after.rejections());
            assertEquals(3, after.creations());
            WaitTimes waits = after.waitTimes();
            assertEquals(5, waits.count(), "a, b, the waiter, c and d");
            assertTrue(waits.quantile(1).compareTo(Duration.ofMillis(16)) >= 0, "the waiter waited 20 ms or more: " + waits);
        }
    }

    @Test
    void waitTimesFallInPowerOfTwoMicrosecondBuckets() {
        WaitTimes.Recorder recorder = new WaitTimes.Recorder();
        recorder.record(0);           // < 1 µs
        recorder.record(999);         // < 1 µs
        recorder.record(1_000);       // [1, 2) µs
        recorder.record(3_999);       // [2, 4) µs
        recorder.record(1_500_000);   // 1500 µs: [1024, 2048)
        recorder.record(Long.MAX_VALUE);
        WaitTimes waits = recorder.snapshot();

        assertEquals(6, waits.count());
        assertEquals(2, waits.count(0));
        assertEquals(1, waits.count(1));
        assertEquals(1, waits.count(2));
        assertEquals(1, waits.count(11));
        assertEquals(1, waits.count(waits.buckets() - 1));
        assertEquals(Duration.ofNanos(1_000), waits.upperBound(0));
        assertEquals(Duration.ofNanos(2_048_000), waits.upperBound(11));
        assertEquals(ChronoUnit.FOREVER.getDuration(), waits.upperBound(waits.buckets() - 1));
        assertEquals(Duration.ofNanos(1_000), waits.quantile(0.3));
        assertEquals(Duration.ofNanos(4_000), waits.quantile(0.6));
        assertEquals(Duration.ofNanos(2_048_000), waits.quantile(0.8));
        assertEquals(Duration.ZERO, new WaitTimes.Recorder().snapshot().quantile(0.5));
    }
}
