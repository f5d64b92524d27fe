package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.admission.FixedLimit;
import dev.strand.reactor.Failure;
import dev.strand.reactor.Fiber;
import dev.strand.reactor.Reactor;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Ten times the capacity of a slow route: the excess is refused fast, the requests it admits keep
 * their latency (p99 under twice the unloaded p99), nothing runs out of memory, and once the flood
 * stops the route answers as it did before, with nothing left in flight or queued.
 *
 * <p>The route: 8 permits, a queue of 4, 20 ms of (parked) work per request, so 400 requests a
 * second. The flood: 32 clients that each ask again 3 ms after a refusal, over 4,000 requests a
 * second (checked). Few clients asking often rather than many: the load generator shares the
 * machine's two cores with the server, and a crowd of client threads would measure the OS's
 * scheduler rather than the server. For the same reason the latency of admitted requests is taken
 * by the server, from the parsed head (so the wait in the queue counts) to the end of the handler:
 * a client thread among dozens on two cores adds its own wait for a core to every answer it reads.
 * Refusals are timed by the clients.
 */
class OverloadOfASlowRouteIsShedFastTest {

    private static final String SLOW = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n";

    @Test
    void tenTimesTheCapacityIsShedAndTheServerRecovers() throws Exception {
        ConcurrentLinkedQueue<Long> served = new ConcurrentLinkedQueue<>();
        FixedLimit limit = FixedLimit.builder().name("slow").permits(8).queueLength(4)
                .queueTimeout(Duration.ofMillis(100)).build();
        try (Reactor reactor = Reactor.builder().name("overload").build();
             HttpServer server = HttpServer.builder().host("127.0.0.1").port(0).reactor(reactor)
                     .routing(r -> r.get("/slow", RouteOptions.builder().limit(limit)
                             .after((req, res) -> served.add(RequestContext.current().orElseThrow().elapsed().toNanos()))
                             .build(), (req, res) -> {
                         Fiber.sleep(Duration.ofMillis(20));
                         res.send("done");
                     })).build().start()) {
            ClosedLoopClients.sequential(server.port(), SLOW, 20, 200); // warm-up
            served.clear();
            ClosedLoopClients.sequential(server.port(), SLOW, 100, 200);
            double unloaded = p99(served);
            served.clear();

            long floodStart = System.nanoTime();
            ClosedLoopClients flood = new ClosedLoopClients(server.port(), 32, SLOW, Duration.ofMillis(3));
            try {
                Await.until(Duration.ofSeconds(20), () -> flood.samples.size() > 15_000, "the flood runs");
            } finally {
                flood.close();
            }
            double perSecond = flood.samples.size() / ((System.nanoTime() - floodStart) / 1e9);
            long ok = flood.count(200);
            long refused = flood.count(503);
            double admittedP99 = p99(served);
            double refusedMedian = ClosedLoopClients.percentileMs(flood.nanosOf(503), 50);
            double refusedP99 = ClosedLoopClients.percentileMs(flood.nanosOf(503), 99);
            System.out.printf("unloaded p99 %.2f ms; flood of %.0f/s: %d ok (p99 %.2f ms), %d refused (median %.2f ms, p99 %.2f ms)%n",
                    unloaded, perSecond, ok, admittedP99, refused, refusedMedian, refusedP99);
            assertTrue(perSecond > 8 * 400, "the flood asks for about ten times the route's 400/s: " + perSecond);

            assertEquals(ok + refused, flood.samples.size(), "every answer is a 200 or a 503");
            assertEquals(0, flood.broken.get(), "no connection broke");
            assertTrue(refused > 5 * ok, "most of the flood is refused: " + ok + " ok, " + refused + " refused");
            assertTrue(refusedMedian < 5, "refusals are fast: median " + refusedMedian + " ms");
            assertTrue(admittedP99 < 2 * unloaded, "admitted p99 " + admittedP99 + " ms, unloaded " + unloaded + " ms");
            assertEquals(0, reactor.failures(Failure.OUT_OF_MEMORY));

            Await.until(Duration.ofSeconds(5), () -> limit.stats().inFlight() == 0 && limit.stats().queued() == 0,
                    "nothing left in flight or queued: " + limit.stats());
            served.clear();
            ClosedLoopClients.sequential(server.port(), SLOW, 100, 200);
            double after = p99(served);
            assertTrue(after < 1.5 * unloaded, "recovered: p99 " + after + " ms after, " + unloaded + " ms before");
        }
    }

    private static double p99(ConcurrentLinkedQueue<Long> nanos) {
        return ClosedLoopClients.percentileMs(nanos.stream().mapToLong(Long::longValue).toArray(), 99);
    }
}
