package dev.strand.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokenResourceIsReplacedTest {

    private static final Duration AWAIT = Duration.ofSeconds(10);

    @Test
    void aDiscardedResourceIsDestroyedAndTheNextCallerGetsANewOne() {
        TestResources resources = new TestResources();
        try (Pool<TestResources.Res> pool = Pool.builder("discard", resources).maxSize(1).build()) {
            TestResources.Res first;
            try (var lease = pool.acquire()) {
                first = lease.get();
                lease.discard();
                assertThrows(IllegalStateException.class, lease::get, "a discarded lease is over");
            } // close() after discard() does nothing

            TestResources.Res second;
            try (var lease = pool.acquire()) {
                second = lease.get();
            }
            assertNotSame(first, second);
            Await.until(AWAIT, () -> first.destroyed, "the discarded resource destroyed");
            assertEquals(List.of(first), resources.destroyed);
            assertEquals(1, pool.metrics().size());
            assertEquals(1, pool.metrics().destructions());
        }
    }

    @Test
    void aWaiterIsServedByTheReplacementOfADiscardedResource() throws Exception {
        TestResources resources = new TestResources();
        try (Pool<TestResources.Res> pool = Pool.builder("replace", resources).maxSize(1).build()) {
            Lease<TestResources.Res> held = pool.acquire();
            Thread waiter = Thread.ofVirtual().start(() -> pool.acquire().close());
            Await.until(AWAIT, () -> pool.metrics().waiters() == 1, "a waiter");

            held.discard();

            assertTrue(waiter.join(AWAIT), "the waiter was not served");
            assertEquals(2, resources.created.size());
        }
    }

    @Test
    void anIdleResourceThatFailsValidationIsDestroyedAndAnotherLent() {
        TestResources resources = new TestResources();
        try (Pool<TestResources.Res> pool = Pool.builder("validate", resources)
                .maxSize(2).validateAfterIdle(Duration.ZERO).build()) {
            TestResources.Res bad;
            try (var lease = pool.acquire()) {
                bad = lease.get();
            }
            bad.bad = true;

            try (var lease = pool.acquire()) {
                assertNotSame(bad, lease.get());
                assertTrue(!lease.get().bad);
            }
            Await.until(AWAIT, () -> bad.destroyed, "the invalid resource destroyed");
        }
    }

    @Test
    void aResourceUsedRecentlyIsNotValidatedAgain() {
        TestResources resources = new TestResources();
        try (Pool<TestResources.Res> pool = Pool.builder("no-validate", resources)
                .maxSize(1).validateAfterIdle(Duration.ofHours(1)).build()) {
            TestResources.Res res;
            try (var lease = pool.acquire()) {
                res = lease.get();
            }
            res.bad = true; // validation would fail; within the hour it is not asked
            try (var lease = pool.acquire()) {
                assertSame(res, lease.get());
            }
        }
    }

    @Test
    void creationThatFailsIsRetriedAndTheWaiterServedOnceItWorks() {
        TestResources resources = new TestResources();
        resources.failuresLeft.set(3);
        try (LogCapture logs = new LogCapture();
             Pool<TestResources.Res> pool = Pool.builder("flaky", resources).build()) {
            try (var lease = pool.acquire(Duration.ofSeconds(10))) {
                assertEquals(1, lease.get().id);
            }
            assertEquals(3, pool.metrics().creationFailures());
            assertEquals(1, pool.metrics().creations());
            Await.until(AWAIT, () -> logs.atOrAbove(java.util.logging.Level.INFO).stream()
                    .anyMatch(r -> r.getMessage().equals("pool 'flaky': creating resources works again, after 3 failures")),
                    "the recovery logged");
        }
    }
}
