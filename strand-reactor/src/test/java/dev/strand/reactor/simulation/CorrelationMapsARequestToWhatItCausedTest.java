package dev.strand.reactor.simulation;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deferred;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Fiber;
import dev.strand.reactor.Simulation;
import dev.strand.reactor.Trace;
import dev.strand.reactor.spi.MemoryPipe;
import dev.strand.reactor.tcp.BlockingConnection;
import dev.strand.reactor.tcp.Connection;
import dev.strand.reactor.tcp.Tcp;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Correlation: what runs under {@link Simulation#correlate} tags every event it causes — through the
 * tasks, timers and fibers it schedules, across a connection to the server and back — and the data
 * written meanwhile, so a test can assert on the reactions to one client's request while another
 * client's run interleaved with it.
 */
class CorrelationMapsARequestToWhatItCausedTest {

    /** Answers each line with "ok " and the line, after a 5 ms timer. */
    private static void serve(Connection connection, ByteBuffer data) {
        String line = US_ASCII.decode(data).toString().trim();
        connection.loop().addTimer(Duration.ofMillis(5), () -> connection.sendData(("ok " + line + "\n").getBytes(US_ASCII)));
    }

    private static Trace twoClients(long seed) {
        try (Simulation sim = Simulation.create(seed)) {
            sim.run(() -> {
                EventLoop loop = sim.loop();
                Tcp tcp = Tcp.create(sim.reactor());
                List<Deferred<String>> answers = new ArrayList<>();
                for (String name : List.of("alice", "bob")) {
                    MemoryPipe pipe = MemoryPipe.create(4096, name);
                    tcp.attach(loop, pipe.serverSide(), Optional.empty(), CorrelationMapsARequestToWhatItCausedTest::serve);
                    Connection client = tcp.attach(loop, pipe.clientSide(), Optional.empty(), (c, data) -> { });
                    Deferred<String> answer = Deferred.create(loop);
                    answers.add(answer);
                    loop.startFiber(() -> {
                        try {
                            answer.succeed(sim.correlate(name, () -> {
                                BlockingConnection blocking = client.blocking();
                                blocking.output().write(("hi from " + name + "\n").getBytes(US_ASCII));
                                return SimulatedWorkload.readLine(blocking.input());
                            }));
                        } catch (Exception e) {
                            answer.fail(e);
                        }
                    });
                }
                assertEquals("ok hi from alice", answers.get(0).await());
                assertEquals("ok hi from bob", answers.get(1).await());
                return null;
            });
            return sim.trace();
        }
    }

    @Test
    void eachClientsEventsAndDataAreItsOwn() {
        for (long seed = 0; seed < 10; seed++) {
            Trace trace = twoClients(seed);
            List<String> alice = trace.correlated("alice");
            List<String> bob = trace.correlated("bob");
            assertTrue(alice.contains("note alice-client wrote 14 bytes: hi from alice\\n"), "seed " + seed + ": " + alice);
            assertTrue(alice.contains("note alice-server wrote 17 bytes: ok hi from alice\\n"),
                    "the server's answer, two hops and a timer away, is the request's: seed " + seed + ": " + alice);
            assertTrue(alice.stream().anyMatch(e -> e.startsWith("timer ")), "the server's timer: " + alice);
            assertFalse(alice.stream().anyMatch(e -> e.contains("bob")), "seed " + seed + ": " + alice);
            assertTrue(bob.contains("note bob-server wrote 15 bytes: ok hi from bob\\n"), "seed " + seed + ": " + bob);
            assertFalse(bob.stream().anyMatch(e -> e.contains("alice")), "seed " + seed + ": " + bob);
            assertEquals(List.of(), trace.correlated("carol"));
        }
    }

    @Test
    void correlateRunsOnlyOnTheSimulationsFibers() {
        try (Simulation sim = Simulation.create(1)) {
            assertThrows(IllegalStateException.class, () -> sim.correlate("x", () -> 1));
            assertEquals(Optional.empty(), Simulation.current());
            assertEquals(7, sim.run(() -> {
                assertEquals(Optional.of(sim), Simulation.current());
                return sim.correlate("x", () -> {
                    Fiber.sleep(Duration.ofMillis(1));
                    sim.note("slept");
                    return 7;
                });
            }));
            assertTrue(sim.trace().correlated("x").contains("note slept"), sim.trace().events().toString());
        }
    }
}
