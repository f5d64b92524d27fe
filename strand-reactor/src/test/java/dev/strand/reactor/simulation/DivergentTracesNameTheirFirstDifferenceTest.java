package dev.strand.reactor.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Fiber;
import dev.strand.reactor.Simulation;
import dev.strand.reactor.Trace;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Two runs compared: the same code gives no divergence; different code names the first event that differs. */
class DivergentTracesNameTheirFirstDifferenceTest {

    private static Trace sleeps(long seed, long... millis) {
        try (Simulation sim = Simulation.create(seed)) {
            sim.run(() -> {
                for (long ms : millis) {
                    Fiber.sleep(Duration.ofMillis(ms));
                }
                return null;
            });
            return sim.trace();
        }
    }

    @Test
    void theSameRunTwiceHasNoDivergence() {
        assertEquals(Optional.empty(), sleeps(3, 1, 2, 3).firstDivergence(sleeps(3, 1, 2, 3)));
    }

    @Test
    void aDifferentStepNamesItsIndexAndBothEvents() {
        Trace one = sleeps(3, 1, 2, 3);
        Trace other = sleeps(3, 1, 5, 3);
        String divergence = one.firstDivergence(other).orElseThrow();
        int index = one.events().indexOf("clock +2000000ns");
        assertTrue(index > 0, one.events().toString());
        assertEquals(one.events().subList(0, index), other.events().subList(0, index), "the runs agree up to the step");
        assertTrue(divergence.startsWith("event #" + index + ": 'clock +2000000ns' here, 'clock +5000000ns' there"), divergence);
        assertTrue(divergence.contains("(after '" + one.events().get(index - 1) + "')"), divergence);
    }

    @Test
    void aRunThatStopsEarlierDivergesAtItsEnd() {
        Trace longer = sleeps(3, 1, 2, 3);
        Trace shorter = sleeps(3, 1, 2);
        String divergence = longer.firstDivergence(shorter).orElseThrow();
        assertTrue(divergence.startsWith("event #" + shorter.events().size() + ": '"), divergence);
        assertTrue(divergence.contains("here, the end there"), divergence);
    }
}
