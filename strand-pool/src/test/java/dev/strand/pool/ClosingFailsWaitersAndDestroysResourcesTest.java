package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClosingFailsWaitersAndDestroysResourcesTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @SuppressWarnings("try") // leases held only to keep resources busy; close() called as what is tested
    @Test
    void closeFailsTheWaitersAtOnce() throws Exception {
        try (Pool<TestResources.Res> pool = Pool.builder("closing", new TestResources()).maxSize(1).build();
             var held = pool.acquire()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    pool.acquire(Duration.ofSeconds(30)).close();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            Await.until(AWAIT, () -> pool.metrics().waiters() == 1, "a waiter");

            pool.close();

            PoolClosedException e = assertInstanceOf(PoolClosedException.class, outcome.get(10, TimeUnit.SECONDS));
            assertEquals("pool 'closing' is closed", e.getMessage());
            assertThrows(PoolClosedException.class, pool::acquire);
        }
    }

    @Test
    void closeDestroysIdleResourcesBeforeItReturnsAndLeasedOnesWhenReturned() {
        TestResources resources = new TestResources();
        Pool<TestResources.Res> pool = Pool.builder("closing", resources).maxSize(2).build();
        Lease<TestResources.Res> held = pool.acquire();
        TestResources.Res idle;
        try (var lease = pool.acquire()) {
            idle = lease.get();
        }

        pool.close();

        assertEquals(List.of(idle), resources.destroyed, "destroyed by close() itself");
        TestResources.Res stillHeld = held.get();
        assertFalse(stillHeld.destroyed, "a leased resource is its holder's until returned");
        held.close();
        Await.until(AWAIT, () -> stillHeld.destroyed, "the leased one destroyed on its return");
        assertEquals(0, pool.metrics().size());
        assertEquals(2, pool.metrics().destructions());
        pool.close(); // idempotent
        assertEquals(2, resources.destroyed.size());
    }
}
