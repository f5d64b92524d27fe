package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdleEvictionKeepsMinIdleTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @Test
    void minIdleResourcesAreCreatedWithoutAnyAcquire() {
        TestResources resources = new TestResources();
        try (Pool<TestResources.Res> pool = Pool.builder("warm", resources).maxSize(5).minIdle(3).build()) {
            Await.until(AWAIT, () -> pool.metrics().idle() == 3, "3 idle resources");
            assertEquals(3, resources.created.size());
        }
    }

    @Test
    void surplusIdleResourcesAreEvictedDownToMinIdle() {
        TestResources resources = new TestResources();
        try (Pool<TestResources.Res> pool = Pool.builder("evict", resources)
                .maxSize(4).minIdle(1).idleTimeout(Duration.ofMillis(100)).build()) {
            List<Lease<TestResources.Res>> leases = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                leases.add(pool.acquire());
            }
            leases.forEach(Lease::close);

            Await.until(AWAIT, () -> pool.metrics().idle() == 1, "evicted down to 1 idle");
            Await.until(AWAIT, () -> resources.destroyed.size() == 3, "3 destroyed");
            assertEquals(1, pool.metrics().size());
        }
    }

    @Test
    void aDiscardedResourceIsReplacedToKeepMinIdle() {
        TestResources resources = new TestResources();
        try (Pool<TestResources.Res> pool = Pool.builder("refill", resources).maxSize(3).minIdle(2).build()) {
            Await.until(AWAIT, () -> pool.metrics().idle() == 2, "2 idle resources");
            pool.acquire().discard();
            Await.until(AWAIT, () -> pool.metrics().idle() == 2 && resources.created.size() == 3, "refilled to 2 idle");
        }
    }
}
