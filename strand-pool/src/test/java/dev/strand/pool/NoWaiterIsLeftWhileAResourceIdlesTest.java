package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Returning a resource without the lock races with a caller that begins to wait: the returner may
 * see nobody waiting as the caller finds nothing idle. Both look again after their own step, so
 * the caller is served; a lost hand-off would leave it waiting while the resource sits idle. The
 * window is nanoseconds wide, so these tests run the race many times rather than prove it closed:
 * they catch gross mistakes (the reasoning is in {@link FairPool}'s Javadoc).
 */
class NoWaiterIsLeftWhileAResourceIdlesTest {

    /**
     * One return and one acquire at the same moment, many times, with nobody else around who could
     * come by later and hand the idle resource over instead.
     */
    @Test
    void aReturnAndAnAcquireAtTheSameMomentNeverStrandTheAcquirer() throws Exception {
        int rounds = 20_000;
        try (Pool<TestResources.Res> pool = Pool.builder("duel", new TestResources()).maxSize(1).build()) {
            CyclicBarrier together = new CyclicBarrier(2);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch acquirerDone = new CountDownLatch(1);
            Lease<TestResources.Res> first = pool.acquire();
            Thread acquirer = Thread.ofPlatform().name("duel-acquirer").start(() -> {
                try {
                    for (int round = 0; round < rounds; round++) {
                        together.await(10, TimeUnit.SECONDS);
                        pool.acquire(Duration.ofSeconds(5)).close();
                        together.await(10, TimeUnit.SECONDS);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                    together.reset();
                } finally {
                    acquirerDone.countDown();
                }
            });
            Lease<TestResources.Res> lease = first;
            for (int round = 0; round < rounds && failure.get() == null; round++) {
                together.await(10, TimeUnit.SECONDS);
                lease.close(); // races the acquirer's acquire
                together.await(10, TimeUnit.SECONDS);
                lease = pool.acquire(Duration.ofSeconds(5));
            }
            lease.close();
            assertTrue(acquirerDone.await(20, TimeUnit.SECONDS));
            acquirer.join();
            assertEquals(null, failure.get());
            assertEquals(0, pool.metrics().timeouts());
        }
    }

    @RepeatedTest(5)
    void manyCallersRacingReturnsAreAllServed() throws Exception {
        int callers = 24;
        int rounds = 300;
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (Pool<TestResources.Res> pool = Pool.builder("race", new TestResources())
                .maxSize(2).minIdle(2).acquireTimeout(Duration.ofSeconds(10)).build()) {
            Await.until(Duration.ofSeconds(10), () -> pool.metrics().idle() == 2, "2 idle");
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                // Half platform threads, half fibers: the races differ in timing.
                Thread.Builder builder = i % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
                threads.add(builder.start(() -> {
                    try {
                        go.await();
                        for (int round = 0; round < rounds; round++) {
                            try (var lease = pool.acquire()) {
                                lease.get().take().putBack();
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            go.countDown();
            for (Thread thread : threads) {
                assertTrue(thread.join(Duration.ofSeconds(60)), thread + " did not finish");
            }

            assertEquals(List.of(), failures);
            PoolMetrics metrics = pool.metrics();
            assertEquals(0, metrics.waiters());
            assertEquals(2, metrics.idle());
            assertEquals((long) callers * rounds, metrics.waitTimes().count());
        }
    }
}
