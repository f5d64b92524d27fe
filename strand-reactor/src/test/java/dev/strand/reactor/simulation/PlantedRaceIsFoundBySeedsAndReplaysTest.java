package dev.strand.reactor.simulation;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deferred;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Simulation;
import dev.strand.reactor.SimulationException;
import dev.strand.reactor.spi.MemoryPipe;
import dev.strand.reactor.tcp.BlockingConnection;
import dev.strand.reactor.tcp.Connection;
import dev.strand.reactor.tcp.ConnectionHandler;
import dev.strand.reactor.tcp.Tcp;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A race planted in a server — check the balance, yield, then withdraw — is found by trying seeds:
 * two connections each withdraw 60 from 100, and under some interleavings both pass the check. The
 * failing run names its seed, and that seed fails again the same way, event for event. The same
 * server without the yield passes every seed (the exploration finds races, not noise).
 */
class PlantedRaceIsFoundBySeedsAndReplaysTest {

    /** A bank of one account: each line "withdraw N" is answered "ok" or "refused" by a fiber of its own. */
    private static final class Bank implements ConnectionHandler {
        private final boolean racy;
        int balance = 100; // touched only on the loop and its fibers

        Bank(boolean racy) {
            this.racy = racy;
        }

        @Override
        public void receiveData(Connection connection, ByteBuffer data) {
            int amount = Integer.parseInt(US_ASCII.decode(data).toString().trim().substring("withdraw ".length()));
            connection.loop().startFiber(() -> {
                if (balance >= amount) {
                    if (racy) {
                        Thread.yield(); // the planted window: another withdrawal may check meanwhile
                    }
                    balance -= amount;
                    connection.sendData("ok\n".getBytes(US_ASCII));
                } else {
                    connection.sendData("refused\n".getBytes(US_ASCII));
                }
            });
        }
    }

    /** Two clients withdraw 60 each; fails the run when the balance goes negative. */
    private static String withdrawTwice(long seed, boolean racy) {
        try (Simulation sim = Simulation.create(seed)) {
            return sim.run(() -> {
                EventLoop loop = sim.loop();
                Tcp tcp = Tcp.create(sim.reactor());
                Bank bank = new Bank(racy);
                List<Deferred<String>> answers = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    MemoryPipe pipe = MemoryPipe.create();
                    tcp.attach(loop, pipe.serverSide(), Optional.empty(), bank);
                    Connection client = tcp.attach(loop, pipe.clientSide(), Optional.empty(), (c, data) -> { });
                    Deferred<String> answer = Deferred.create(loop);
                    answers.add(answer);
                    loop.startFiber(() -> {
                        try {
                            BlockingConnection blocking = client.blocking();
                            blocking.output().write("withdraw 60\n".getBytes(US_ASCII));
                            answer.succeed(SimulatedWorkload.readLine(blocking.input()));
                        } catch (Exception e) {
                            answer.fail(e);
                        }
                    });
                }
                String both = answers.get(0).await() + "," + answers.get(1).await();
                if (bank.balance < 0) {
                    throw new AssertionError("lost update: both withdrawals passed (" + both + "), balance " + bank.balance);
                }
                return both;
            });
        }
    }

    @Test
    void someSeedFindsTheRaceAndItsSeedReplaysIt() {
        Long failing = null;
        SimulationException first = null;
        int passed = 0;
        for (long seed = 0; seed < 200; seed++) {
            try {
                String answers = withdrawTwice(seed, true);
                assertTrue(answers.equals("ok,refused") || answers.equals("refused,ok"), answers);
                passed++;
            } catch (SimulationException e) {
                if (failing == null) {
                    failing = seed;
                    first = e;
                }
            }
        }
        assertNotNull(failing, "200 seeds did not find the planted race");
        assertTrue(passed > 0, "every seed failed: the exploration shows nothing about interleavings");
        assertTrue(first.getMessage().startsWith("the body threw java.lang.AssertionError: lost update: both withdrawals passed (ok,ok), balance -20"),
                first.getMessage());
        assertTrue(first.getMessage().contains("[seed " + failing + ", "), first.getMessage());
        assertTrue(first.getMessage().contains("replay: Simulation.create(" + failing + "L)"), first.getMessage());

        long seed = failing;
        for (int replay = 0; replay < 3; replay++) {
            SimulationException again = assertThrows(SimulationException.class, () -> withdrawTwice(seed, true));
            assertEquals(first.getMessage(), again.getMessage());
            assertEquals(first.trace().hash(), again.trace().hash(),
                    first.trace().firstDivergence(again.trace()).orElse("same events, other hash?"));
        }
    }

    @Test
    void withoutTheWindowEverySeedPasses() {
        for (long seed = 0; seed < 200; seed++) {
            String answers = withdrawTwice(seed, false);
            assertTrue(answers.equals("ok,refused") || answers.equals("refused,ok"), "seed " + seed + ": " + answers);
        }
    }
}
