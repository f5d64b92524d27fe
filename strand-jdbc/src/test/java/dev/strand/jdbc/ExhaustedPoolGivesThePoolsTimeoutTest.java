package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.pool.PoolTimeoutException;
import dev.strand.reactor.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExhaustedPoolGivesThePoolsTimeoutTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void aCallBeyondThePoolWaitsItsAcquireTimeoutOrDeadlineThenFailsNamingThePool(Target target) throws Exception {
        try (Database db = target.builder().name("exhausted").poolSize(2).acquireTimeout(Duration.ofMillis(300)).build()) {
            CountDownLatch release = new CountDownLatch(1);
            List<Thread> holders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                holders.add(Thread.ofVirtual().start(() -> db.inTransaction(tx -> {
                    tx.query("SELECT 1", rs -> rs.getInt(1));
                    awaitUninterruptibly(release);
                })));
            }
            Await.until(AWAIT, () -> db.metrics().pool().inUse() == 2, "both connections held");

            long start = System.nanoTime();
            PoolTimeoutException timeout = assertThrows(PoolTimeoutException.class, () -> db.query("SELECT 1", rs -> rs.getInt(1)));
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMs >= 250 && waitedMs < 5_000, "waited " + waitedMs + " ms");
            assertEquals("exhausted", timeout.pool());
            assertTrue(timeout.getMessage().contains("acquire timeout"), timeout.getMessage());

            PoolTimeoutException byDeadline = assertThrows(PoolTimeoutException.class,
                    () -> Deadline.after(Duration.ofMillis(50)).call(() -> db.query("SELECT 1", rs -> rs.getInt(1))));
            assertTrue(byDeadline.getMessage().contains("deadline"), byDeadline.getMessage());

            release.countDown();
            for (Thread holder : holders) {
                assertTrue(holder.join(AWAIT));
            }
            assertEquals(List.of(1), db.query("SELECT 1", rs -> rs.getInt(1)), "served once a connection is back");
            assertEquals(2, db.metrics().pool().timeouts());
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // keep holding until released
            }
        }
    }
}
