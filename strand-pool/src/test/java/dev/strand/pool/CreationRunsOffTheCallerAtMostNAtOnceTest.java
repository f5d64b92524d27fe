package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.RepeatedTest;

class CreationRunsOffTheCallerAtMostNAtOnceTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @RepeatedTest(3)
    void creatorFibersOfThePoolCreateAtMostTheLimitAtOnce() throws Exception {
        TestResources resources = new TestResources();
        CountDownLatch gate = new CountDownLatch(1);
        resources.gate = gate;
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (Pool<TestResources.Res> pool = Pool.builder("creators", resources)
                .maxSize(8).maxConcurrentCreations(3).build()) {
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                callers.add(Thread.ofVirtual().start(() -> {
                    try (var lease = pool.acquire()) {
                        lease.get().take().putBack();
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            Await.until(AWAIT, () -> pool.metrics().waiters() == 20, "20 waiters");
            Await.until(AWAIT, () -> resources.creatingNow.get() == 3, "3 creations under way");
            assertEquals(3, pool.metrics().creating());
            assertEquals(3, resources.createCalls.get(), "creations begun while the first three hang");

            gate.countDown();
            for (Thread caller : callers) {
                assertTrue(caller.join(AWAIT), "a caller did not finish");
            }

            assertEquals(List.of(), failures);
            assertTrue(resources.mostCreatingAtOnce.get() <= 3, resources.mostCreatingAtOnce.get() + " creations at once");
            assertTrue(resources.created.size() <= 8, resources.created.size() + " created");
            assertTrue(Collections.disjoint(callers, resources.creatorThreads), "a caller created a resource");
            for (Thread creator : resources.creatorThreads) {
                assertTrue(creator.isVirtual() && creator.getName().startsWith("creators-create-"), creator.toString());
            }
            assertFalse(resources.creatorThreads.isEmpty());
        }
    }
}
