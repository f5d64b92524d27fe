package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.http.HttpServer;
import dev.strand.reactor.Deferred;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import java.time.Duration;
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
