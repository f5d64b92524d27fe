package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deadline;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineInForceLimitsTheWaitTest {

    @SuppressWarnings("try") // leases held only to keep resources busy; close() called as what is tested
    @Test
    void anEarlierDeadlineCutsThePoolsTimeoutShort() {
        try (Pool<TestResources.Res> pool = Pool.builder("deadline", new TestResources())
                .maxSize(1).acquireTimeout(Duration.ofSeconds(30)).build();
             var held = pool.acquire()) {
            long start = System.nanoTime();
            PoolTimeoutException e = assertThrows(PoolTimeoutException.class,
                    () -> Deadline.after(Duration.ofMillis(150)).call(pool::acquire));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertTrue(tookMillis >= 150 && tookMillis < 10_000, "waited " + tookMillis + " ms");
            assertTrue(e.getMessage().contains("no resource within the deadline in force"), e.getMessage());
        }
    }

    @SuppressWarnings("try") // leases held only to keep resources busy; close() called as what is tested
    @Test
    void anEarlierTimeoutWinsOverALaterDeadline() {
        try (Pool<TestResources.Res> pool = Pool.builder("timeout-first", new TestResources())
                .maxSize(1).acquireTimeout(Duration.ofMillis(100)).build();
             var held = pool.acquire()) {
            PoolTimeoutException e = assertThrows(PoolTimeoutException.class,
                    () -> Deadline.after(Duration.ofSeconds(30)).call(pool::acquire));

            assertTrue(e.getMessage().contains("no resource within the pool's acquire timeout of 100 ms"), e.getMessage());
            assertTrue(e.waited().toMillis() < 10_000, "waited " + e.waited());
        }
    }

    @Test
    void aPassedDeadlineNeverWaitsButStillTakesAnIdleResource() {
        try (Pool<TestResources.Res> pool = Pool.builder("passed", new TestResources()).maxSize(1).build()) {
            Deadline passed = Deadline.after(Duration.ZERO);
            assertThrows(PoolTimeoutException.class, () -> passed.call(pool::acquire), "nothing idle yet");

            pool.acquire().close();
            passed.call(pool::acquire).close();
        }
    }
}
