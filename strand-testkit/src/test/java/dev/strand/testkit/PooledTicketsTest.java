package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.http.HttpServer;
import dev.strand.pool.Lease;
import dev.strand.pool.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * docs/testing.md's example of a handler that uses a pool: requests beyond the pool's size wait
 * for a resource (their fibers park) rather than fail, and never hold more than it has.
 */
@ServerTest
@CheckLeaks
class PooledTicketsTest {

    static final Pool<AtomicInteger> TICKETS = Pool.builder("tickets", AtomicInteger::new).maxSize(2).build();
    static final AtomicInteger HOLDING = new AtomicInteger();
    static final AtomicInteger MOST = new AtomicInteger();
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    @SetUpServer
    static void server(HttpServer.Builder server) {
        server.routing(r -> r.get("/ticket", (req, res) -> {
            try (Lease<AtomicInteger> ticket = TICKETS.acquire(Duration.ofSeconds(10))) {
                MOST.accumulateAndGet(HOLDING.incrementAndGet(), Math::max);
                RELEASE.await(); // the work done with the resource, until the test lets it finish
                HOLDING.decrementAndGet();
                res.send("ticket used " + ticket.get().incrementAndGet() + " times");
            }
        }));
    }

    @AfterAll
    static void closePool() {
        TICKETS.close();
    }

    @Test
    void eightRequestsShareTwoTicketsWaitingTheirTurn(TestClient client) throws Exception {
        List<Future<Integer>> statuses = new ArrayList<>();
        // Platform threads: virtual ones would open the JDK's socket pollers, which outlive the test.
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                statuses.add(clients.submit(() -> client.get("/ticket").status()));
            }
            // Two requests hold the tickets; the six others wait for one, parked, not refused.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (TICKETS.metrics().waiters() < 6 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(6, TICKETS.metrics().waiters(), TICKETS.metrics().toString());
            assertEquals(2, TICKETS.metrics().inUse());
            RELEASE.countDown();
            for (Future<Integer> status : statuses) {
                assertEquals(200, status.get(20, TimeUnit.SECONDS));
            }
        }
        assertEquals(2, MOST.get(), "two at once: the pool's size, reached and never passed");
        assertEquals(0, TICKETS.metrics().waiters());
        assertEquals(2, TICKETS.metrics().creations());
        assertEquals(0, TICKETS.metrics().timeouts());
    }
}
