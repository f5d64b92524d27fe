package dev.strand.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.HttpServer;
import dev.strand.reactor.Fiber;
import dev.strand.reactor.Simulation;
import dev.strand.reactor.spi.MemoryPipe;
import dev.strand.reactor.tcp.BlockingConnection;
import dev.strand.reactor.tcp.Connection;
import dev.strand.reactor.tcp.Tcp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * An HTTP server inside a simulation: a route that takes 30 s answers after exactly 30 s of virtual
 * time, and a keep-alive connection left idle is closed at the idle timeout — tests that would wait
 * for real, or flake on a loaded machine, in milliseconds and the same every run.
 */
class RoutesRunOnVirtualTimeInASimulationTest {

    private static HttpServer start(Simulation sim) {
        return HttpServer.builder().reactor(sim.reactor())
                .config(c -> c.listen(false).idleTimeout(Duration.ofSeconds(30)).housekeepingPeriod(Duration.ofSeconds(1)))
                .routing(r -> r.get("/slow", (req, res) -> {
                    Fiber.sleep(Duration.ofSeconds(30));
                    res.send("done");
                }).get("/date", (req, res) -> res.send(req.header("X-Any").orElse("-"))))
                .build().start();
    }

    @DeterministicTest(seeds = 3, twice = true)
    void aThirtySecondRouteAnswersAfterThirtyVirtualSeconds(Simulation sim) {
        TestClient client = TestClient.inSimulation(sim, start(sim), Duration.ofMinutes(1));
        Duration before = sim.elapsed();
        TestResponse response = client.get("/slow");
        assertEquals(200, response.status());
        assertEquals("done", response.text());
        assertEquals(Duration.ofSeconds(30), sim.elapsed().minus(before));
        // Refreshed by the server's housekeeping every second, which the seed may run after or before the answer.
        String date = response.header("Date").orElseThrow();
        assertTrue(date.equals("Thu, 01 Jan 2026 00:00:30 GMT") || date.equals("Thu, 01 Jan 2026 00:00:29 GMT"),
                "the server's Date header reads the virtual wall clock: " + date);
    }

    @DeterministicTest(seeds = 3)
    void aClientGivesUpOnASlowerRouteAtItsOwnTimeout(Simulation sim) {
        TestClient impatient = TestClient.inSimulation(sim, start(sim), Duration.ofSeconds(10));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> impatient.get("/slow"));
        assertTrue(e.getMessage().contains("INACTIVITY_TIMEOUT"), e.getMessage());
        assertEquals(Duration.ofSeconds(10), sim.elapsed());
    }

    @DeterministicTest(seeds = 3)
    void anIdleKeepAliveConnectionIsClosedAtItsIdleTimeout(Simulation sim) throws IOException {
        HttpServer server = start(sim);
        MemoryPipe pipe = MemoryPipe.create();
        server.attach(pipe.serverSide());
        Connection connection = Tcp.create(sim.reactor()).attach(sim.loop(), pipe.clientSide(), Optional.empty(), (c, data) -> { });
        BlockingConnection blocking = connection.blocking();
        blocking.output().write("GET /date HTTP/1.1\r\nHost: sim\r\n\r\n".getBytes(US_ASCII));
        InputStream in = blocking.input();
        String head = readHead(in);
        assertTrue(head.startsWith("HTTP/1.1 200"), head);
        in.readNBytes(1); // the body, "-"
        Duration answered = sim.elapsed();
        assertEquals(-1, in.read(), "the server closes the idle connection");
        Duration idle = sim.elapsed().minus(answered);
        assertTrue(idle.compareTo(Duration.ofSeconds(30)) >= 0 && idle.compareTo(Duration.ofSeconds(31)) <= 0,
                "closed after " + idle + " idle (30 s, and at most one housekeeping period more)");
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the stream ended in the head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
