package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Fiber;
import dev.strand.reactor.Simulation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The idle timeout, on virtual time: a keep-alive connection busy with requests more often than
 * the timeout stays open; one left idle is closed by the first sweep at or after its last response
 * plus the timeout (never before, not one sweep late); a request body that stops arriving gets 408
 * the same timeout after its last byte. Sweeps run every housekeeping period from the server's start,
 * so each case is run from on a sweep's tick (a late close shows) and from 1 ns after one (an early one does).
 */
class IdleTimeoutClosesAtItsDeadlineOnVirtualTimeTest {

    private static final Duration IDLE = Duration.ofMillis(500);
    private static final Duration SWEEP = Duration.ofMillis(100);
    private static final String PING = "GET /ping HTTP/1.1\r\nHost: a\r\n\r\n";

    private static HttpServer start(Simulation sim) {
        return HttpServer.builder().reactor(sim.reactor())
                .config(c -> c.listen(false).idleTimeout(IDLE).housekeepingPeriod(SWEEP))
                .routing(r -> r.get("/ping", (req, res) -> res.send("pong"))
                        .post("/upload", (req, res) -> res.send("read " + req.body().bytes().length)))
                .build().start();
    }

    private static Simulation simulation(long seed) {
        return Simulation.builder().seed(seed).timeLimit(Duration.ofMinutes(1)).build();
    }

    /** Keeps a connection busy for 1.2 s, then leaves it idle from {@code offset} past a sweep; returns when it was closed, counted from its last response. */
    private static Duration idleUntilClosed(long seed, Duration offset) {
        try (Simulation sim = simulation(seed)) {
            return sim.run(() -> {
                PipeClient client = PipeClient.connect(sim, start(sim));
                // Busy: a request every 200 ms, for more than twice the idle timeout.
                for (int i = 0; i < 6; i++) {
                    assertEquals("pong", client.send(PING).read().body(), "request " + i + " on a busy connection");
                    Fiber.sleep(Duration.ofMillis(200));
                }
                Fiber.sleep(offset);
                assertEquals("pong", client.send(PING).read().body(), "the busy connection was closed");
                Duration answered = sim.elapsed();
                assertTrue(client.closedByServer(), "an idle connection must be closed");
                return sim.elapsed().minus(answered);
            });
        }
    }

    @Test
    void anIdleConnectionWhoseDeadlineFallsOnASweepIsClosedAtExactlyTheIdleTimeout() {
        for (long seed = 0; seed < 5; seed++) {
            assertEquals(IDLE, idleUntilClosed(seed, Duration.ZERO), "seed " + seed);
        }
    }

    @Test
    void anIdleConnectionWhoseDeadlineFallsJustAfterASweepIsClosedByTheNextSweepNotBefore() {
        for (long seed = 0; seed < 5; seed++) {
            // Answered 1 ns after a sweep: its deadline is 1 ns after the sweep at +500 ms, so the one after closes it.
            assertEquals(IDLE.plus(SWEEP).minusNanos(1), idleUntilClosed(seed, Duration.ofNanos(1)), "seed " + seed);
        }
    }

    @Test
    void aBodyThatStopsArrivingGets408TheIdleTimeoutAfterItsLastByte() {
        for (long seed = 0; seed < 5; seed++) {
            try (Simulation sim = simulation(seed)) {
                long s = seed;
                sim.run(() -> {
                    PipeClient client = PipeClient.connect(sim, start(sim));
                    client.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nfirst part ");
                    // Body bytes at +300 ms restart the wait; the last at +600 ms is what the timeout counts from.
                    Fiber.sleep(Duration.ofMillis(300));
                    client.send("more ");
                    Fiber.sleep(Duration.ofMillis(300));
                    client.send("last");
                    Duration lastByte = sim.elapsed();
                    PipeClient.Response answer = client.read();
                    assertEquals(408, answer.status(), answer.head());
                    assertEquals(IDLE, sim.elapsed().minus(lastByte), "seed " + s);
                    assertTrue(client.closedByServer(), "the connection must close after the 408");
                    return null;
                });
            }
        }
    }
}
