package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaiterBoundRejectsAtOnceTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @Test
    void aCallerBeyondTheBoundIsRefusedWithoutWaiting() throws Exception {
        try (Pool<TestResources.Res> pool = Pool.builder("bounded", new TestResources())
                .maxSize(1).maxWaiters(2).acquireTimeout(Duration.ofSeconds(30)).build()) {
            Lease<TestResources.Res> held = pool.acquire();
            List<Thread> waiters = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                waiters.add(Thread.ofVirtual().start(() -> pool.acquire().close()));
                int expected = i + 1;
                Await.until(AWAIT, () -> pool.metrics().waiters() == expected, expected + " waiters");
            }

            long start = System.nanoTime();
            PoolSaturatedException e = assertThrows(PoolSaturatedException.class, pool::acquire);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertTrue(tookMillis < 5_000, "refused only after " + tookMillis + " ms; the timeout is 30 s");
            assertTrue(e.getMessage().startsWith("pool 'bounded': 2 callers are waiting already, the most allowed"), e.getMessage());
            assertEquals(1, pool.metrics().rejections());

            held.close(); // the two that waited are served
            for (Thread waiter : waiters) {
                assertTrue(waiter.join(AWAIT));
            }
            assertEquals(3, pool.metrics().waitTimes().count());
        }
    }
}
