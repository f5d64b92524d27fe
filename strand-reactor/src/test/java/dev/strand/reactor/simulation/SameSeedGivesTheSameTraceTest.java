package dev.strand.reactor.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A simulation depends only on its seed: a hundred runs of one seed give one trace, in this JVM and
 * in a new one, while other seeds give other interleavings (else the seed would decide nothing).
 */
class SameSeedGivesTheSameTraceTest {

    @Test
    void aHundredRunsOfOneSeedGiveOneTraceAndOneOrder() {
        SimulatedWorkload.Result first = SimulatedWorkload.run(7);
        assertTrue(first.trace().size() > 40, "the workload ran too little to prove anything: " + first.trace()
                + String.join("\n", first.trace().events()));
        for (int run = 1; run < 100; run++) {
            SimulatedWorkload.Result again = SimulatedWorkload.run(7);
            assertEquals(first.order(), again.order(), "run " + run);
            assertEquals(first.trace().hash(), again.trace().hash(),
                    "run " + run + " diverged: " + first.trace().firstDivergence(again.trace()).orElse("?"));
            assertEquals(first.trace().size(), again.trace().size());
        }
    }

    /** Three runs on one simulation, the first leaving a periodic timer and an echo server behind. */
    private static dev.strand.reactor.Trace threeRuns(long seed) {
        try (dev.strand.reactor.Simulation sim = dev.strand.reactor.Simulation.create(seed)) {
            dev.strand.reactor.tcp.Tcp tcp = dev.strand.reactor.tcp.Tcp.create(sim.reactor());
            dev.strand.reactor.tcp.Connection client = sim.run(() -> {
                sim.loop().addPeriodicTimer(java.time.Duration.ofMillis(7), () -> { });
                dev.strand.reactor.spi.MemoryPipe pipe = dev.strand.reactor.spi.MemoryPipe.create();
                tcp.attach(sim.loop(), pipe.serverSide(), java.util.Optional.empty(), (c, data) -> c.sendData(data));
                return tcp.attach(sim.loop(), pipe.clientSide(), java.util.Optional.empty(), (c, data) -> { });
            });
            for (int run = 0; run < 2; run++) {
                String line = "run " + run + "\n";
                assertEquals(line.trim(), sim.run(() -> {
                    dev.strand.reactor.Fiber.sleep(java.time.Duration.ofMillis(20));
                    client.blocking().output().write(line.getBytes(StandardCharsets.US_ASCII));
                    return SimulatedWorkload.readLine(client.blocking().input());
                }));
            }
            return sim.trace();
        }
    }

    @Test
    void runsThatFollowEachOtherOnOneSimulationGiveOneTrace() {
        dev.strand.reactor.Trace first = threeRuns(11);
        for (int i = 0; i < 20; i++) {
            dev.strand.reactor.Trace again = threeRuns(11);
            assertEquals(first.hash(), again.hash(), first.firstDivergence(again).orElse("same events, other hash?"));
        }
        assertTrue(first.events().stream().filter(e -> e.startsWith("timer ")).count() >= 5,
                "the periodic timer the first run left went on in the later runs: " + first.events());
    }

    @Test
    void otherSeedsTryOtherInterleavings() {
        Set<Long> hashes = new HashSet<>();
        Set<String> orders = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            SimulatedWorkload.Result result = SimulatedWorkload.run(seed);
            hashes.add(result.trace().hash());
            orders.add(result.order());
            assertEquals(3 + 3 + 3 + 3, result.order().length(), "every event of the workload happened once: " + result.order());
        }
        assertTrue(hashes.size() >= 10, "20 seeds gave only " + hashes.size() + " traces");
        assertTrue(orders.size() >= 5, "20 seeds gave only " + orders.size() + " orders: " + orders);
    }

    @Test
    void aNewJvmGivesTheSameTraceForTheSameSeed() throws Exception {
        SimulatedWorkload.Result here = SimulatedWorkload.run(7);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(System.getProperty("strand.test.opens", "").trim().split("\\s+")));
        command.removeIf(String::isEmpty);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SimulationTraceMain.class.getName(), "7"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            child.getOutputStream().close();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
            assertEquals(0, child.exitValue(), out);
            assertTrue(out.contains("hash=" + Long.toHexString(here.trace().hash()) + " events=" + here.trace().size()
                    + " order=" + here.order()), "the child's run differs from this one's (" + here.trace() + ", "
                    + here.order() + "): " + out);
        } finally {
            child.destroyForcibly();
        }
    }
}
