package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AnInterruptedWaiterGivesUpTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @SuppressWarnings("try") // leases held only to keep resources busy; close() called as what is tested
    @Test
    void itFailsKeepsItsInterruptAndLeavesTheQueue() throws Exception {
        try (Pool<TestResources.Res> pool = Pool.builder("interrupt", new TestResources()).maxSize(1).build();
             var held = pool.acquire()) {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    pool.acquire();
                } catch (Throwable t) {
                    failure.complete(t);
                    stillInterrupted.complete(Thread.currentThread().isInterrupted());
                }
            });
            Await.until(AWAIT, () -> pool.metrics().waiters() == 1, "a waiter");

            waiter.interrupt();

            Throwable e = failure.get(10, TimeUnit.SECONDS);
            assertSame(PoolException.class, e.getClass());
            assertInstanceOf(InterruptedException.class, e.getCause());
            assertTrue(e.getMessage().startsWith("pool 'interrupt': interrupted after waiting"), e.getMessage());
            assertTrue(stillInterrupted.get(10, TimeUnit.SECONDS));
            assertEquals(0, pool.metrics().waiters());
            assertEquals(0, pool.metrics().timeouts());
        }
    }
}
