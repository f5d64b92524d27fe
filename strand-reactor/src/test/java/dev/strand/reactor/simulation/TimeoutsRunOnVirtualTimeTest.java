package dev.strand.reactor.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deferred;
import dev.strand.reactor.DeferredTimeoutException;
import dev.strand.reactor.Fiber;
import dev.strand.reactor.Simulation;
import dev.strand.reactor.spi.MemoryPipe;
import dev.strand.reactor.tcp.CloseReason;
import dev.strand.reactor.tcp.Connection;
import dev.strand.reactor.tcp.ConnectionHandler;
import dev.strand.reactor.tcp.Tcp;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Timers fire by moving the virtual clock: a 30-second timeout takes 30 seconds of virtual time to
 * the nanosecond, and a small fraction of a second of real time (the goal, under 50 ms, is
 * printed rather than asserted: a loaded 2-core machine must not fail this test).
 */
class TimeoutsRunOnVirtualTimeTest {

    private static final long THIRTY_SECONDS = TimeUnit.SECONDS.toNanos(30);

    @Test
    void aThirtySecondSleepTakesThirtyVirtualSeconds() {
        try (Simulation sim = Simulation.create(1)) {
            sim.run(() -> null); // warm: the first run loads the classes
            long realStart = System.nanoTime();
            long slept = sim.run(() -> {
                long start = sim.clock().nanoTime();
                Fiber.sleep(Duration.ofSeconds(30));
                return sim.clock().nanoTime() - start;
            });
            long real = System.nanoTime() - realStart;
            System.out.printf("a 30 s sleep took %.3f ms of real time%n", real / 1e6);
            assertEquals(THIRTY_SECONDS, slept);
            assertTrue(real < TimeUnit.SECONDS.toNanos(5), "real time: " + real + " ns");
            assertEquals(Duration.ofSeconds(30), sim.elapsed());
        }
    }

    @Test
    void aDeferredsThirtySecondTimeoutFailsItAtThirtySeconds() {
        try (Simulation sim = Simulation.create(2)) {
            long[] failedAt = new long[1];
            Throwable failure = sim.run(() -> {
                long start = sim.clock().nanoTime();
                Deferred<String> never = Deferred.<String>create(sim.loop()).timeout(Duration.ofSeconds(30));
                never.errback(e -> failedAt[0] = sim.clock().nanoTime() - start);
                return assertThrows(CompletionException.class, never::await).getCause();
            });
            assertInstanceOf(DeferredTimeoutException.class, failure);
            assertEquals(THIRTY_SECONDS, failedAt[0]);
        }
    }

    @Test
    void aTimedAwaitGivesUpAtItsDeadlineOnTheVirtualClock() {
        try (Simulation sim = Simulation.create(3)) {
            long waited = sim.run(() -> {
                long start = sim.clock().nanoTime();
                assertThrows(DeferredTimeoutException.class, () -> Deferred.create(sim.loop()).await(Duration.ofSeconds(30)));
                return sim.clock().nanoTime() - start;
            });
            assertEquals(THIRTY_SECONDS, waited);
        }
    }

    @Test
    void anInactivityTimeoutClosesAQuietConnectionAfterThirtySeconds() {
        try (Simulation sim = Simulation.create(4)) {
            Tcp tcp = Tcp.builder(sim.reactor()).inactivityTimeout(Duration.ofSeconds(30)).build();
            long[] at = new long[2];
            CloseReason reason = sim.run(() -> {
                long start = sim.clock().nanoTime();
                Deferred<CloseReason> unbound = Deferred.create(sim.loop());
                MemoryPipe pipe = MemoryPipe.create();
                tcp.attach(sim.loop(), pipe.serverSide(), Optional.empty(), new ConnectionHandler() {
                    @Override
                    public void receiveData(Connection connection, ByteBuffer data) {
                        at[0] = sim.clock().nanoTime() - start; // the last activity
                    }

                    @Override
                    public void unbind(Connection connection, CloseReason why) {
                        at[1] = sim.clock().nanoTime() - start;
                        unbound.succeed(why);
                    }
                });
                // The client's side has no timeout of its own: only the server's decides.
                Connection client = Tcp.create(sim.reactor()).attach(sim.loop(), pipe.clientSide(), Optional.empty(), (c, data) -> { });
                Fiber.sleep(Duration.ofSeconds(10));
                client.sendData(new byte[] {1}); // activity at +10 s: the server's timeout starts again
                return unbound.await();
            });
            assertEquals(CloseReason.Kind.INACTIVITY_TIMEOUT, reason.kind());
            assertEquals(TimeUnit.SECONDS.toNanos(10), at[0]);
            assertEquals(TimeUnit.SECONDS.toNanos(40), at[1]);
        }
    }
}
