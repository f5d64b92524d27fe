package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Fiber;
import dev.strand.reactor.Simulation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A connection answered with an error and closed by the server (here a 414) holds its slot under
 * {@code maxConnections} only while the server lingers for its client's end: the slot is free
 * again the instant the client closes, with no timer to wait for; a client that never closes keeps
 * it until the linger (2 s) ends, to the nanosecond. On virtual time, where "at once" means "at the
 * same instant", not "within a second of real time".
 */
class ARefusedConnectionFreesItsSlotWhenItsClientClosesOnVirtualTimeTest {

    /** The server's close linger (StrandServer's): how long a refused client may keep its slot. */
    private static final Duration LINGER = Duration.ofSeconds(2);
    private static final int MAX_REQUEST_LINE = 64;
    private static final String PING = "GET /ping HTTP/1.1\r\nHost: a\r\n\r\n";

    private static HttpServer start(Simulation sim) {
        return HttpServer.builder().reactor(sim.reactor())
                .config(c -> c.listen(false).maxConnections(1).maxRequestLine(MAX_REQUEST_LINE))
                .routing(r -> r.get("/ping", (req, res) -> res.send("pong")))
                .build().start();
    }

    /** Takes the only slot with a request line too long: answered 414, the server's side shut. Returns when. */
    private static Duration refused(PipeClient client) throws Exception {
        PipeClient.Response answer = client.send("GET /" + "a".repeat(MAX_REQUEST_LINE) + " HTTP/1.1\r\nHost: a\r\n\r\n").read();
        assertEquals(414, answer.status(), answer.head());
        assertTrue(client.closedByServer(), "the server must end the connection after the 414");
        return Simulation.current().orElseThrow().elapsed();
    }

    /** Whether a new connection now is served, or turned away (closed unserved) because the slot is taken. */
    private static boolean served(Simulation sim, HttpServer server) throws Exception {
        PipeClient client = PipeClient.connect(sim, server);
        client.send(PING);
        try {
            return client.read().body().equals("pong");
        } catch (java.io.IOException turnedAway) {
            return false;
        } finally {
            client.close();
        }
    }

    @Test
    void theSlotIsFreeTheInstantTheRefusedClientCloses() {
        for (long seed = 0; seed < 5; seed++) {
            try (Simulation sim = Simulation.create(seed)) {
                long s = seed;
                sim.run(() -> {
                    HttpServer server = start(sim);
                    PipeClient first = PipeClient.connect(sim, server);
                    Duration answered = refused(first);
                    Fiber.sleep(Duration.ofMillis(500));
                    assertFalse(served(sim, server), "the lingering connection must still hold the only slot (seed " + s + ")");
                    first.close();
                    // 1 ns later: whatever the close set off at its instant has run, and no timer has.
                    Fiber.sleep(Duration.ofNanos(1));
                    assertTrue(served(sim, server), "the closed client's slot was not freed at once (seed " + s + ")");
                    assertTrue(sim.elapsed().minus(answered).compareTo(LINGER) < 0);
                    return null;
                });
            }
        }
    }

    @Test
    void aRefusedClientThatNeverClosesHoldsTheSlotUntilTheLingerEnds() {
        for (long seed = 0; seed < 5; seed++) {
            try (Simulation sim = Simulation.create(seed)) {
                long s = seed;
                sim.run(() -> {
                    HttpServer server = start(sim);
                    Duration answered = refused(PipeClient.connect(sim, server));
                    Fiber.sleep(LINGER.minusNanos(1));
                    assertFalse(served(sim, server), "the slot was freed before the linger ended (seed " + s + ")");
                    Fiber.sleep(Duration.ofNanos(2));
                    assertEquals(answered.plus(LINGER).plusNanos(1), sim.elapsed());
                    assertTrue(served(sim, server), "the slot was not freed when the linger ended (seed " + s + ")");
                    return null;
                });
            }
        }
    }
}
