package dev.strand.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A limit is asked by event-loop threads (an HTTP server admits at a request's head, on its loop)
 * and given back by the fibers those loops carry. A loop thread must never wait behind a fiber it
 * carries itself: fibers on both loops take permits (parking when the limit is full) and give them
 * back, while their loops' threads ask for permits of their own; everything must finish.
 */
class LoopThreadsAndTheirFibersShareALimitTest {

    private static final int FIBERS_PER_LOOP = 64;
    private static final int ROUNDS = 200;

    @RepeatedTest(3)
    void loopThreadsAndFibersMeetOnTheLimit() throws Exception {
        Limit limit = FixedLimit.builder().name("shared").permits(2).queueLength(10_000)
                .queueTimeout(Duration.ofSeconds(30)).build();
        try (Reactor reactor = Reactor.builder().loops(2).name("limit-loops").build()) {
            CountDownLatch done = new CountDownLatch(2 * FIBERS_PER_LOOP);
            AtomicInteger failures = new AtomicInteger();
            for (EventLoop loop : reactor.loops()) {
                for (int f = 0; f < FIBERS_PER_LOOP; f++) {
                    loop.startFiber(() -> {
                        try {
                            for (int r = 0; r < ROUNDS; r++) {
                                limit.acquire().close();
                                CompletableFuture<Void> asked = new CompletableFuture<>();
                                loop.execute(() -> // the loop's own thread asks, as admission does
                                        limit.acquireAsync(QosClass.STANDARD).whenComplete((permit, error) -> {
                                            if (permit != null) {
                                                permit.close();
                                                asked.complete(null);
                                            } else {
                                                asked.completeExceptionally(error);
                                            }
                                        }));
                                asked.get(30, TimeUnit.SECONDS);
                            }
                        } catch (Throwable t) {
                            failures.incrementAndGet();
                        } finally {
                            done.countDown();
                        }
                    });
                }
            }
            assertTrue(done.await(30, TimeUnit.SECONDS), "every fiber finished; left: " + done.getCount());
            assertEquals(0, failures.get());
            assertEquals(0, limit.stats().inFlight());
            assertEquals(0, limit.stats().queued());
        }
    }
}
