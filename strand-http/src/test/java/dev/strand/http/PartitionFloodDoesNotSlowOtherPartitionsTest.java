package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.admission.FixedLimit;
import dev.strand.admission.Limit;
import dev.strand.admission.PartitionedLimit;
import dev.strand.reactor.Fiber;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Partitions are isolated: while partition A floods a route (far past its share, answered 503),
 * partition B's requests on the same route keep their latency (p99 under twice B's p99 alone). The
 * control shows the measurement can fail: with one shared limit, the same flood crowds B out.
 */
class PartitionFloodDoesNotSlowOtherPartitionsTest {

    private static final int SAMPLES = 300;
    /**
     * Twice A's share (4 running, 4 queued): 8 clients always hold it, the other 8 are refused over
     * and over, without taking every CPU cycle from B's client.
     */
    private static final int FLOOD_CLIENTS = 16;
    /** A refused flooding client's pause before it asks again: A still asks for several times its share. */
    private static final Duration FLOOD_PAUSE = Duration.ofMillis(2);
    private static final String B = "GET /work HTTP/1.1\r\nHost: x\r\nX-Tenant: b\r\n\r\n";
    private static final String A = "GET /work HTTP/1.1\r\nHost: x\r\nX-Tenant: a\r\n\r\n";

    private static HttpServer server(Limit limit) {
        return HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/work", RouteOptions.builder()
                        .partition(req -> req.header("X-Tenant").orElse("none"))
                        .limit(limit).build(), (req, res) -> {
                            Fiber.sleep(Duration.ofMillis(10)); // a backend call: the fiber parks
                            res.send("done");
                        }))
                .build().start();
    }

    private static FixedLimit share(String name) {
        return FixedLimit.builder().name(name).permits(4).queueLength(4).queueTimeout(Duration.ofSeconds(1)).build();
    }

    @Test
    void aFloodInOnePartitionLeavesAnotherAsFastAsAlone() throws Exception {
        PartitionedLimit perTenant = PartitionedLimit.builder(tenant -> share("tenant " + tenant)).build();
        try (HttpServer server = server(perTenant)) {
            ClosedLoopClients.sequential(server.port(), B, 30, 200); // warm-up
            double alone = ClosedLoopClients.percentileMs(ClosedLoopClients.sequential(server.port(), B, SAMPLES, 200), 99);
            double flooded;
            ClosedLoopClients flood = new ClosedLoopClients(server.port(), FLOOD_CLIENTS, A, FLOOD_PAUSE);
            try {
                Await.until(Duration.ofSeconds(10), () -> flood.count(503) > 500, "the flood is over A's share");
                flooded = ClosedLoopClients.percentileMs(ClosedLoopClients.sequential(server.port(), B, SAMPLES, 200), 99);
            } finally {
                flood.close();
            }
            System.out.printf("B p99 alone %.2f ms, under A's flood %.2f ms; A: %d ok, %d refused%n",
                    alone, flooded, flood.count(200), flood.count(503));
            assertTrue(flood.count(200) > 0 && flood.count(503) > flood.count(200),
                    "A was served within its share and mostly refused: " + flood.count(200) + " ok, " + flood.count(503) + " refused");
            assertEquals(0, flood.broken.get(), "no flood connection broke");
            assertTrue(flooded < 2 * alone, "B's p99 " + flooded + " ms under A's flood, " + alone + " ms alone");
            Await.until(Duration.ofSeconds(5), () -> perTenant.stats().inFlight() == 0 && perTenant.stats().queued() == 0,
                    "permits back: " + perTenant.partitions());
        }
    }

    @Test
    void withOneSharedLimitTheSameFloodCrowdsTheOtherOut() throws Exception {
        FixedLimit shared = share("shared");
        try (HttpServer server = server(shared)) {
            ClosedLoopClients flood = new ClosedLoopClients(server.port(), FLOOD_CLIENTS, A, FLOOD_PAUSE);
            int refused = 0;
            try {
                Await.until(Duration.ofSeconds(10), () -> flood.count(503) > 500, "the flood fills the limit");
                try (RawConnection b = new RawConnection(server.port(), 10_000)) {
                    for (int i = 0; i < 50; i++) {
                        refused += b.send(B).read().status() == 503 ? 1 : 0;
                    }
                }
            } finally {
                flood.close();
            }
            assertTrue(refused > 10, "without partitions B shares A's fate: " + refused + " of 50 refused");
        }
    }
}
