package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AcquireTimesOutNamingThePoolTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @SuppressWarnings("try") // leases held only to keep resources busy; close() called as what is tested
    @Test
    void theMessageNamesThePoolTheLimitTheWaitAndHowManyWereAhead() throws Exception {
        try (Pool<TestResources.Res> pool = Pool.builder("orders-db", new TestResources()).maxSize(1).build()) {
            Lease<TestResources.Res> held = pool.acquire();
            List<Thread> ahead = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                // They time out too, later: the pool is closed under them at the end.
                ahead.add(Thread.ofVirtual().start(() -> {
                    try {
                        pool.acquire().close();
                    } catch (PoolClosedException expected) {
                        // the test closes the pool
                    }
                }));
                int expected = i + 1;
                Await.until(AWAIT, () -> pool.metrics().waiters() == expected, expected + " waiters");
            }

            long start = System.nanoTime();
            PoolTimeoutException e = assertThrows(PoolTimeoutException.class, () -> pool.acquire(Duration.ofMillis(100)));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            String message = e.getMessage();
            assertTrue(message.startsWith("pool 'orders-db': no resource within the timeout of 100 ms"), message);
            assertTrue(message.contains("with 3 callers ahead on arrival"), message);
            assertTrue(message.contains("1 of max 1 in use"), message);
            Matcher waited = Pattern.compile("waited (\\d+) ms").matcher(message);
            assertTrue(waited.find(), message);
            long waitedMillis = Long.parseLong(waited.group(1));
            assertTrue(waitedMillis >= 100 && waitedMillis <= tookMillis, message + " (took " + tookMillis + " ms)");
            assertEquals(3, e.ahead());
            assertEquals(waitedMillis, e.waited().toMillis());
            assertEquals("orders-db", e.pool());
            assertEquals(1, pool.metrics().timeouts());

            held.close();
            pool.close();
            for (Thread thread : ahead) {
                assertTrue(thread.join(AWAIT));
            }
        }
    }

    @SuppressWarnings("try") // leases held only to keep resources busy; close() called as what is tested
    @Test
    void aZeroTimeoutFailsAtOnceWhenNothingIsIdle() {
        try (Pool<TestResources.Res> pool = Pool.builder("zero", new TestResources()).maxSize(1).build()) {
            try (var held = pool.acquire()) {
                PoolTimeoutException e = assertThrows(PoolTimeoutException.class, () -> pool.acquire(Duration.ZERO));
                assertTrue(e.getMessage().contains("waited 0 ms with 0 callers ahead"), e.getMessage());
            }
            pool.acquire(Duration.ZERO).close(); // idle now: taken without waiting
        }
    }

    @Test
    void whenCreatingFailsTheTimeoutCarriesTheLatestFailure() {
        TestResources resources = new TestResources();
        resources.failuresLeft.set(Integer.MAX_VALUE);
        try (LogCapture logs = new LogCapture();
             Pool<TestResources.Res> pool = Pool.builder("down-db", resources).acquireTimeout(Duration.ofMillis(200)).build()) {
            PoolTimeoutException e = assertThrows(PoolTimeoutException.class, pool::acquire);

            assertTrue(e.getMessage().contains("within the pool's acquire timeout of 200 ms"), e.getMessage());
            assertTrue(e.getMessage().contains("creating resources fails: java.lang.IllegalStateException: creation fails"), e.getMessage());
            assertSame(IllegalStateException.class, e.getCause().getClass());
            assertTrue(pool.metrics().creationFailures() >= 1);
            // Retried with back-off (10, 20, 40, 80 ms...), not in a busy loop.
            assertTrue(resources.createCalls.get() <= 10, resources.createCalls.get() + " creation attempts in 200 ms");
            long warnings = logs.atOrAbove(java.util.logging.Level.WARNING).stream()
                    .filter(r -> r.getMessage().startsWith("pool 'down-db': creating a resource failed")).count();
            assertEquals(1, warnings, "the first failure of a run is a warning, the rest debug");
        }
    }
}
