package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

            long cpuBefore = cpuButTheJit();
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
            long cpuMillis = (cpuButTheJit() - cpuBefore) / 1_000_000;
            long wallMillis = (System.nanoTime() - wallBefore) / 1_000_000;

            assertEquals(0, running, "waiter fibers found running, over 50 samples");
            assertEquals(2, resources.createCalls.get(), "creations begun");
            // A spinning pool would burn a core or two for the whole second; sampling the states costs little.
            assertTrue(cpuMillis < wallMillis / 3, "the process's threads used " + cpuMillis + " ms of CPU in " + wallMillis + " ms");

            gate.countDown();
            assertTrue(done.await(30, TimeUnit.SECONDS), "waiters unfinished: " + done.getCount());
        }
    }

    /**
     * The CPU time of the process's Java threads but the JIT's compiler threads, which may still be
     * compiling what earlier tests ran (600 ms of a second was seen): a spinning pool would spin on a
     * loop thread, a fiber's carrier, or a thread of its own, all counted here.
     */
    private static long cpuButTheJit() {
        var threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || info.getThreadName().startsWith("C1 CompilerThread") || info.getThreadName().startsWith("C2 CompilerThread")) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                sum += cpu;
            }
        }
        return sum;
    }
}
