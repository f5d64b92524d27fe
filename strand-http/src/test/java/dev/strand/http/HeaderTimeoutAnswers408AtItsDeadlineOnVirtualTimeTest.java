package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Fiber;
import dev.strand.reactor.Simulation;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The header-read timeout, on virtual time: it runs from a head's first byte and covers the whole
 * head, however steadily the bytes trickle in; the server's sweep (every housekeeping period, from
 * the server's start) answers 408 and closes at the first sweep at or after the deadline — never
 * before it, and not one period late — while the same loop serves other clients without delay.
 *
 * <p>The sweep granularity is what makes two tests necessary: a head that starts on a sweep's tick
 * has its deadline on a tick (a late timeout would show as one period late), and one that starts
 * 1 ns after a tick has its deadline 1 ns after one (an early timeout would show as one period early).
 */
class HeaderTimeoutAnswers408AtItsDeadlineOnVirtualTimeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration SWEEP = Duration.ofMillis(100);

    private static HttpServer start(Simulation sim) {
        return HttpServer.builder().reactor(sim.reactor())
                .config(c -> c.listen(false).headerReadTimeout(TIMEOUT).housekeepingPeriod(SWEEP))
                .routing(r -> r.get("/ping", (req, res) -> res.send("pong")))
                .build().start();
    }

    /** Starts a head at {@code headStart} (virtual, from the server's start) and trickles a byte every 200 ms; returns when and what the server answered. */
    private static Outcome trickleAHeadFrom(Duration headStart, long seed) {
        try (Simulation sim = Simulation.builder().seed(seed).timeLimit(Duration.ofMinutes(1)).build()) {
            return sim.run(() -> {
                HttpServer server = start(sim);
                Fiber.sleep(headStart);
                PipeClient slow = PipeClient.connect(sim, server);
                slow.send("GET /ping HTTP/1.1\r\nHost: a\r\nX-Slow: ");
                sim.loop().startFiber(() -> {
                    try {
                        while (true) { // always sending, never finishing the head
                            Fiber.sleep(Duration.ofMillis(200));
                            slow.send("v");
                        }
                    } catch (IOException | InterruptedException closed) {
                        // the server gave up on this client: expected
                    }
                });
                // Meanwhile, on the same and only loop, another client is answered at the instant it asks.
                Fiber.sleep(Duration.ofMillis(500));
                Duration asked = sim.elapsed();
                PipeClient other = PipeClient.connect(sim, server);
                assertEquals("pong", other.send("GET /ping HTTP/1.1\r\nHost: a\r\n\r\n").read().body());
                assertEquals(asked, sim.elapsed(), "the other client waited on virtual time");

                PipeClient.Response answer = slow.read();
                Duration answeredAt = sim.elapsed();
                assertTrue(slow.closedByServer(), "the connection must close after the 408");
                assertEquals(answeredAt, sim.elapsed(), "closed at the instant of the 408");
                return new Outcome(answer, answeredAt);
            });
        }
    }

    private record Outcome(PipeClient.Response answer, Duration at) {
    }

    @Test
    void aHeadStartedOnASweepGets408AtExactlyItsTimeoutFromItsFirstByte() {
        for (long seed = 0; seed < 5; seed++) {
            Outcome outcome = trickleAHeadFrom(SWEEP, seed);
            assertEquals(408, outcome.answer().status(), outcome.answer().head());
            assertEquals("close", outcome.answer().header("Connection").orElse(""));
            // Bytes kept coming every 200 ms: the deadline did not move with them.
            assertEquals(SWEEP.plus(TIMEOUT), outcome.at(), "seed " + seed);
        }
    }

    @Test
    void aHeadStartedJustAfterASweepIsCutOffByTheFirstSweepPastItsDeadlineNotBefore() {
        for (long seed = 0; seed < 5; seed++) {
            Outcome outcome = trickleAHeadFrom(SWEEP.plusNanos(1), seed);
            assertEquals(408, outcome.answer().status(), outcome.answer().head());
            // The deadline is 1 ns after the sweep at +1.1 s: that sweep must leave it, the next one cut it off.
            assertEquals(SWEEP.plus(TIMEOUT).plus(SWEEP), outcome.at(), "seed " + seed);
        }
    }
}
