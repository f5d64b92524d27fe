package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MaxLifetimeRetiresButNeverTakesFromAHolderTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);
    private static final Duration LIFETIME = Duration.ofMillis(200);

    @Test
    void idleResourcesAreRetiredAfterTheirLifetimeAndHeldOnesOnlyWhenReturned() {
        TestResources resources = new TestResources();
        try (Pool<TestResources.Res> pool = Pool.builder("lifetime", resources).maxSize(3).maxLifetime(LIFETIME).build()) {
            Lease<TestResources.Res> held = pool.acquire();
            TestResources.Res kept = held.get();

            TestResources.Res idleA = createdAndReturned(pool, kept);
            Await.until(AWAIT, () -> idleA.destroyed, "the idle resource retired");
            // Created after idleA was retired, so retired itself well after the held one's lifetime ended.
            TestResources.Res idleB = createdAndReturned(pool, kept);
            Await.until(AWAIT, () -> idleB.destroyed, "the second idle resource retired");

            assertFalse(kept.destroyed, "a held resource was destroyed");
            held.get(); // still the holder's
            held.close();
            Await.until(AWAIT, () -> kept.destroyed, "the held one retired on its return");
            assertEquals(0, pool.metrics().size());
        }
    }

    /** A resource other than {@code held}'s, created for this call and returned idle. */
    private static TestResources.Res createdAndReturned(Pool<TestResources.Res> pool, TestResources.Res held) {
        try (var lease = pool.acquire()) {
            assertNotSame(held, lease.get());
            return lease.get();
        }
    }
}
