package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;

class WaitersAreServedInArrivalOrderTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @SuppressWarnings("try") // leases held only to keep resources busy; close() called as what is tested
    @RepeatedTest(5)
    void aReturnedResourceGoesToTheOldestWaiterAndNewcomersDoNotOvertake() throws Exception {
        int waiters = 20;
        try (Pool<TestResources.Res> pool = Pool.builder("fifo", new TestResources()).maxSize(1).build()) {
            List<Integer> served = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            Lease<TestResources.Res> held = pool.acquire();
            for (int i = 0; i < waiters; i++) {
                int arrival = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try (var lease = pool.acquire()) {
                        served.add(arrival);
                    }
                }));
                // The next one arrives only once this one waits: arrival order is then known.
                int expected = i + 1;
                Await.until(AWAIT, () -> pool.metrics().waiters() == expected, expected + " waiters");
            }
            held.close();
            // A newcomer after the release queues behind all of them, though the resource moves on quickly.
            Thread late = Thread.ofVirtual().start(() -> {
                try (var lease = pool.acquire()) {
                    served.add(waiters);
                }
            });
            threads.add(late);
            for (Thread thread : threads) {
                assertTrue(thread.join(AWAIT), "a waiter did not finish");
            }

            List<Integer> arrivalOrder = IntStream.rangeClosed(0, waiters).boxed().toList();
            assertEquals(arrivalOrder, served);
        }
    }
}
