package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.HttpServer;
import dev.strand.reactor.Deferred;
import dev.strand.reactor.DeferredTimeoutException;
import dev.strand.reactor.Fiber;
import dev.strand.reactor.Simulation;
import dev.strand.reactor.Trace;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The smaller examples that docs/testing.md quotes, compiled and run here. */
class TestingGuideExamplesTest {

    @EventedTest
    void aTimerCompletesADeferred(EventLoop loop) {
        Deferred<String> tick = Deferred.create(loop);
        loop.addTimer(Duration.ofMillis(10), () -> tick.succeed("tick"));
        assertEquals("tick", tick.await(Duration.ofSeconds(5)));
    }

    @Test
    void eventedRun() {
        Evented.run(loop -> {
            Deferred<Integer> answer = Deferred.create(loop);
            loop.execute(() -> answer.succeed(42));
            assertEquals(42, answer.await(Duration.ofSeconds(5)));
        });
    }

    @Test
    void simulationRun() {
        try (Simulation sim = Simulation.create(42)) {
            Duration waited = sim.run(() -> {
                Deferred<String> never = Deferred.create(sim.loop());
                assertThrows(DeferredTimeoutException.class, () -> never.await(Duration.ofSeconds(30)));
                return sim.elapsed();
            });
            assertEquals(Duration.ofSeconds(30), waited); // in a few milliseconds of real time
        }
    }

    @Test
    void sameSeedSameTrace() {
        Trace first = sleepThenTick(7);
        Trace second = sleepThenTick(7);
        assertEquals(Optional.empty(), first.firstDivergence(second));
    }

    private static Trace sleepThenTick(long seed) {
        try (Simulation sim = Simulation.create(seed)) {
            sim.run(() -> {
                sim.loop().addTimer(Duration.ofSeconds(1), () -> { });
                Fiber.sleep(Duration.ofSeconds(1));
                return null;
            });
            return sim.trace();
        }
    }

    @DeterministicTest(seeds = 5)
    void correlatedRequests(Simulation sim) throws Exception {
        HttpServer server = HttpServer.builder().reactor(sim.reactor()).config(c -> c.listen(false))
                .routing(r -> r.get("/hello/{name}", (req, res) -> res.send("Hello " + req.pathParam("name"))))
                .build().start();
        TestClient client = TestClient.inSimulation(sim, server);
        CompletableFuture<String> bob = new CompletableFuture<>();
        sim.loop().startFiber(() -> bob.complete(correlated(sim, "bob", () -> client.get("/hello/bob").text())));
        assertEquals("Hello alice", sim.correlate("alice", () -> client.get("/hello/alice").text()));
        assertEquals("Hello bob", bob.join());

        List<String> alice = sim.trace().correlated("alice");
        assertTrue(alice.stream().anyMatch(e -> e.startsWith("note memory-client wrote") && e.contains("GET /hello/alice")));
        assertTrue(alice.stream().anyMatch(e -> e.startsWith("note memory-server wrote") && e.contains("HTTP/1.1 200")));
        assertTrue(alice.stream().noneMatch(e -> e.contains("/hello/bob")));
    }

    private static <T> T correlated(Simulation sim, String name, Callable<T> body) {
        try {
            return sim.correlate(name, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void leakCheck() {
        LeakCheck check = LeakCheck.start();
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            assertEquals(1, reactor.loops().size());
        }
        check.assertNothingLeaked(Duration.ofSeconds(5));
    }

    @Test
    void pinningCheck() {
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/hello", (req, res) -> res.send("Hello")))
                .build().start()) {
            TestClient client = TestClient.create(server.port());
            PinningCheck.assertNoPinning(() -> assertEquals("Hello", client.get("/hello").text()));
        }
    }

    @Test
    void inMemoryByHand() {
        try (HttpServer server = HttpServer.builder()
                .config(config -> config.listen(false))
                .routing(r -> r.get("/hello", (req, res) -> res.send("Hello")))
                .build().start()) {
            TestClient client = TestClient.inMemory(server);
            assertEquals("Hello", client.get("/hello").text());
        }
    }
}
