package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Fiber;
import dev.strand.reactor.Reactor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

class ThousandFibersShareEightResourcesTest {

    @RepeatedTest(3)
    void everyFiberGetsAResourceNoneIsLentTwiceAndThePoolNeverGrowsPastItsMax() throws Exception {
        int fibers = 1_000;
        TestResources resources = new TestResources();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (Reactor reactor = Reactor.builder().loops(2).build();
             Pool<TestResources.Res> pool = Pool.builder("shared", resources).maxSize(8).build()) {
            CountDownLatch done = new CountDownLatch(fibers);
            for (int i = 0; i < fibers; i++) {
                EventLoop loop = reactor.next();
                loop.startFiber(() -> {
                    try (var lease = pool.acquire()) {
                        TestResources.Res res = lease.get().take();
                        Fiber.sleep(Duration.ofMillis(1));
                        res.putBack();
                    } catch (Throwable t) {
                        failures.add(t);
                    } finally {
                        done.countDown();
                    }
                });
            }

            assertTrue(done.await(30, TimeUnit.SECONDS), "fibers unfinished: " + done.getCount());
            assertEquals(List.of(), failures);
            PoolMetrics metrics = pool.metrics();
            assertEquals(0, metrics.inUse());
            assertEquals(0, metrics.waiters());
            assertEquals(fibers, metrics.waitTimes().count());
            assertEquals(0, metrics.timeouts());
            assertTrue(metrics.size() <= 8 && resources.created.size() <= 8, "grew past 8: " + metrics);
        }
    }
}
