package dev.strand.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Timers on virtual time fire at their deadlines to the nanosecond: never 1 ns early, in deadline
 * order whatever order they were added in, and a periodic timer every period without drift.
 * (Timers due at one instant run in a seeded order in a simulation, so insertion order among equal
 * deadlines stays with {@link TimersRunInDeadlineOrderTest}, on a real loop.)
 */
class TimersFireAtTheirDeadlinesOnVirtualTimeTest {

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void aTimerFiresAtExactlyItsDelayAndNotOneNanosecondBefore() {
        try (Simulation sim = Simulation.create(1)) {
            List<Duration> fired = new ArrayList<>();
            List<Duration> seenBefore = sim.run(() -> {
                Duration start = sim.elapsed();
                sim.loop().addTimer(ms(60), () -> fired.add(sim.elapsed().minus(start)));
                Fiber.sleep(ms(60).minusNanos(1));
                List<Duration> before = List.copyOf(fired);
                Fiber.sleep(ms(100));
                return before;
            });
            assertEquals(List.of(), seenBefore, "fired before its delay");
            assertEquals(List.of(ms(60)), fired);
        }
    }

    @Test
    void timersAddedOutOfOrderFireInDeadlineOrderEachAtItsDeadline() {
        for (long seed = 0; seed < 5; seed++) {
            try (Simulation sim = Simulation.create(seed)) {
                List<Long> order = new ArrayList<>();
                List<Duration> at = new ArrayList<>();
                sim.run(() -> {
                    Duration start = sim.elapsed();
                    for (long delay : new long[] {200, 50, 150, 0, 100}) {
                        sim.loop().addTimer(ms(delay), () -> {
                            order.add(delay);
                            at.add(sim.elapsed().minus(start));
                        });
                    }
                    Fiber.sleep(ms(300));
                    return null;
                });
                assertEquals(List.of(0L, 50L, 100L, 150L, 200L), order, "seed " + seed);
                assertEquals(List.of(ms(0), ms(50), ms(100), ms(150), ms(200)), at, "seed " + seed);
            }
        }
    }

    @Test
    void aPeriodicTimerFiresEveryPeriodWithoutDrift() {
        try (Simulation sim = Simulation.create(3)) {
            List<Duration> at = new ArrayList<>();
            sim.run(() -> {
                Duration start = sim.elapsed();
                Timer periodic = sim.loop().addPeriodicTimer(ms(10), () -> at.add(sim.elapsed().minus(start)));
                Fiber.sleep(ms(55));
                periodic.cancel();
                Fiber.sleep(ms(100)); // cancelled: no more
                return null;
            });
            assertEquals(List.of(ms(10), ms(20), ms(30), ms(40), ms(50)), at);
        }
    }
}
