package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.RepeatedTest;

class PlatformThreadsShareThePoolTest {

    @RepeatedTest(3)
    void platformThreadsWaitAndAreServedLikeFibers() throws Exception {
        int threads = 16;
        int rounds = 200;
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (Pool<TestResources.Res> pool = Pool.builder("platform", new TestResources()).maxSize(2).build()) {
            List<Thread> started = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                started.add(Thread.ofPlatform().name("platform-user-" + i).start(() -> {
                    try {
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
            for (Thread thread : started) {
                assertTrue(thread.join(Duration.ofSeconds(30)), thread + " did not finish");
            }
            assertEquals(List.of(), failures);
            assertEquals(threads * rounds, pool.metrics().waitTimes().count());
            assertTrue(pool.metrics().size() <= 2);
        }
    }
}
