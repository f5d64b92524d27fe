package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A lease given back on an event-loop thread (as an async handler's callback would) while fibers of
 * that same loop wait on the pool: the loop thread must never wait behind a fiber it carries itself.
 * Fibers on both loops take leases and hand half of them to their loop's thread to give back, so
 * that loop threads and fibers meet on the pool's lock all the time; everything must finish.
 */
class LeasesGivenBackOnALoopThreadDoNotStallItTest {

    private static final int FIBERS_PER_LOOP = 64;
    private static final int ROUNDS = 200;

    @RepeatedTest(3)
    void loopThreadsAndTheirFibersShareThePool() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(2).name("pool-loops").build();
             Pool<TestResources.Res> pool = Pool.builder("shared", new TestResources()).maxSize(2)
                     .acquireTimeout(Duration.ofSeconds(30)).build()) {
            CountDownLatch done = new CountDownLatch(2 * FIBERS_PER_LOOP);
            AtomicInteger failures = new AtomicInteger();
            for (EventLoop loop : reactor.loops()) {
                for (int f = 0; f < FIBERS_PER_LOOP; f++) {
                    int fiber = f;
                    loop.startFiber(() -> {
                        try {
                            for (int r = 0; r < ROUNDS; r++) {
                                Lease<TestResources.Res> lease = pool.acquire();
                                if ((r + fiber) % 2 == 0) {
                                    lease.close();
                                } else {
                                    CountDownLatch given = new CountDownLatch(1);
                                    loop.execute(() -> { // the loop's own thread gives it back
                                        lease.close();
                                        given.countDown();
                                    });
                                    given.await();
                                }
                            }
                        } catch (Throwable t) {
                            failures.incrementAndGet();
                        } finally {
                            done.countDown();
                        }
                    });
                }
            }
            assertTrue(done.await(30, TimeUnit.SECONDS), "every fiber finished; left: " + done.getCount()
                    + " (a loop waiting behind a fiber it carries never returns)");
            assertEquals(0, failures.get());
            assertEquals(0, pool.metrics().inUse());
        }
    }
}
