package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.OperatingSystemMXBean;
import dev.strand.reactor.Reactor;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * While creation hangs and the pool is below its max, waiters park: the process burns next to no
 * CPU, no fiber is found running, and no creation beyond the allowed ones is begun.
 */
class SlowCreationDoesNotSpinTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @Test
    void waitersParkWhileCreationHangs() throws Exception {
        int waiters = 200;
        TestResources resources = new TestResources();
        CountDownLatch gate = new CountDownLatch(1);
        resources.gate = gate;
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Reactor reactor = Reactor.builder().loops(2).build();
             Pool<TestResources.Res> pool = Pool.builder("slow", resources).maxSize(50).maxConcurrentCreations(2).build()) {
            List<Thread> fibers = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(waiters);
            for (int i = 0; i < waiters; i++) {
                fibers.add(reactor.next().startFiber(() -> {
                    try (var lease = pool.acquire()) {
                        lease.get();
                    } finally {
                        done.countDown();
                    }
                }));
            }
            Await.until(AWAIT, () -> pool.metrics().waiters() == waiters, waiters + " waiters");
            Await.until(AWAIT, () -> resources.creatingNow.get() == 2, "2 creations under way");

            long cpuBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            int running = 0;
            for (int sample = 0; sample < 50; sample++) {
                for (Thread fiber : fibers) {
                    if (fiber.getState() == Thread.State.RUNNABLE) {
                        running++;
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // let time pass; nothing to wait for
            }
            long cpuMillis = (os.getProcessCpuTime() - cpuBefore) / 1_000_000;
            long wallMillis = (System.nanoTime() - wallBefore) / 1_000_000;

            assertEquals(0, running, "waiter fibers found running, over 50 samples");
            assertEquals(2, resources.createCalls.get(), "creations begun");
            // A spinning pool would burn a core or two for the whole second; sampling the states costs little.
            assertTrue(cpuMillis < wallMillis / 3, "the process used " + cpuMillis + " ms of CPU in " + wallMillis + " ms");

            gate.countDown();
            assertTrue(done.await(30, TimeUnit.SECONDS), "waiters unfinished: " + done.getCount());
        }
    }
}
