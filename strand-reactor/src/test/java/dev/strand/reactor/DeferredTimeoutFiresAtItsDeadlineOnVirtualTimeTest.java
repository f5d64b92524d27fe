package dev.strand.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A deferred's timeout on virtual time, to the nanosecond: it fails the deferred with a
 * {@link TimedOut} exactly at its deadline (1 ns before, it is still pending); a result 1 ns
 * before the deadline wins for good; a cancelled timeout never fires; a later timeout replaces
 * the earlier one and fires at its own deadline; and a result arriving at the very instant of the
 * timeout ends the deferred one way or the other, once, whichever of the two the seed runs first.
 * {@link DeferredTimeoutFailsTheErrbackTest} covers the same on a real loop with timeouts set from
 * other threads (which a simulation refuses), plus a cross-thread race and a stopped loop.
 */
class DeferredTimeoutFiresAtItsDeadlineOnVirtualTimeTest {

    private static final Duration TIMEOUT = Duration.ofMillis(50);
    /** Long past every deadline here: what has not fired by then never will. */
    private static final Duration LONG_AFTER = Duration.ofMinutes(10);

    /** What a deferred's callbacks saw, and when (virtual time since the test's start). */
    private static final class Outcomes {
        final List<Object> seen = new ArrayList<>();
        final List<Duration> at = new ArrayList<>();

        <T> Deferred<T> watch(Simulation sim, Deferred<T> deferred, Duration start) {
            return deferred.callback(v -> note(sim, v, start)).errback(f -> note(sim, f, start));
        }

        private void note(Simulation sim, Object outcome, Duration start) {
            seen.add(outcome);
            at.add(sim.elapsed().minus(start));
        }
    }

    @Test
    void aDeferredNotCompletedInTimeFailsWithATimedOutAtExactlyItsDeadline() {
        try (Simulation sim = Simulation.create(1)) {
            Outcomes outcomes = new Outcomes();
            sim.run(() -> {
                Duration start = sim.elapsed();
                Deferred<String> deferred = outcomes.watch(sim, Deferred.<String>create(sim.loop()).timeout(TIMEOUT), start);
                Fiber.sleep(TIMEOUT.minusNanos(1));
                assertFalse(deferred.isDone(), "timed out before its deadline");
                Fiber.sleep(LONG_AFTER);
                return null;
            });
            assertEquals(1, outcomes.seen.size(), "one outcome: " + outcomes.seen);
            assertInstanceOf(TimedOut.class, outcomes.seen.getFirst());
            assertInstanceOf(DeferredTimeoutException.class, outcomes.seen.getFirst());
            assertEquals(List.of(TIMEOUT), outcomes.at);
        }
    }

    @Test
    void aResultOneNanosecondBeforeTheDeadlineWinsForGood() {
        try (Simulation sim = Simulation.create(2)) {
            Outcomes outcomes = new Outcomes();
            sim.run(() -> {
                Duration start = sim.elapsed();
                Deferred<String> deferred = outcomes.watch(sim, Deferred.<String>create(sim.loop()).timeout(TIMEOUT), start);
                Fiber.sleep(TIMEOUT.minusNanos(1));
                deferred.succeed("in time");
                Fiber.sleep(LONG_AFTER);
                return null;
            });
            assertEquals(List.of("in time"), outcomes.seen);
            assertEquals(List.of(TIMEOUT.minusNanos(1)), outcomes.at);
        }
    }

    @Test
    void aCancelledTimeoutNeverFires() {
        try (Simulation sim = Simulation.create(3)) {
            Outcomes outcomes = new Outcomes();
            boolean done = sim.run(() -> {
                Deferred<String> deferred = outcomes.watch(sim, Deferred.<String>create(sim.loop()).timeout(TIMEOUT), sim.elapsed());
                Fiber.sleep(TIMEOUT.minusNanos(1));
                deferred.cancelTimeout();
                Fiber.sleep(LONG_AFTER);
                deferred.cancelTimeout(); // nothing to cancel: no effect, no exception
                return deferred.isDone();
            });
            assertFalse(done);
            assertEquals(List.of(), outcomes.seen);
        }
    }

    @Test
    void aLaterTimeoutReplacesTheEarlierAndFiresAtItsOwnDeadline() {
        try (Simulation sim = Simulation.create(4)) {
            Outcomes outcomes = new Outcomes();
            Duration later = Duration.ofMinutes(5);
            sim.run(() -> {
                Duration start = sim.elapsed();
                Deferred<String> deferred = outcomes.watch(sim, Deferred.<String>create(sim.loop()), start);
                deferred.timeout(TIMEOUT);
                Fiber.sleep(TIMEOUT.dividedBy(2));
                deferred.timeout(later); // from +25 ms: due at +5 min 25 ms
                Fiber.sleep(LONG_AFTER);
                return null;
            });
            assertEquals(1, outcomes.seen.size(), "one outcome: " + outcomes.seen);
            assertInstanceOf(TimedOut.class, outcomes.seen.getFirst());
            assertEquals(List.of(TIMEOUT.dividedBy(2).plus(later)), outcomes.at);
        }
    }

    @Test
    void aTimeoutSetAfterCompletionDoesNothing() {
        try (Simulation sim = Simulation.create(5)) {
            Outcomes outcomes = new Outcomes();
            sim.run(() -> {
                Deferred<String> deferred = outcomes.watch(sim, Deferred.<String>create(sim.loop()), sim.elapsed());
                deferred.succeed("done");
                deferred.timeout(Duration.ofNanos(1));
                Fiber.sleep(LONG_AFTER);
                return null;
            });
            assertEquals(List.of("done"), outcomes.seen);
            assertEquals(List.of(Duration.ZERO), outcomes.at);
        }
    }

    @Test
    void aResultAtTheTimeoutsInstantEndsItOnceEitherWayAsTheSeedOrdersThem() {
        int succeeded = 0;
        int timedOut = 0;
        for (long seed = 0; seed < 32; seed++) {
            try (Simulation sim = Simulation.create(seed)) {
                Outcomes outcomes = new Outcomes();
                boolean[] accepted = new boolean[1];
                sim.run(() -> {
                    Duration start = sim.elapsed();
                    Deferred<String> deferred = outcomes.watch(sim, Deferred.<String>create(sim.loop()).timeout(TIMEOUT), start);
                    // Due at the same instant as the timeout: the seed picks which runs first.
                    sim.loop().addTimer(TIMEOUT, () -> accepted[0] = deferred.trySucceed("racing"));
                    Fiber.sleep(LONG_AFTER);
                    return null;
                });
                assertEquals(1, outcomes.seen.size(), "seed " + seed + ": " + outcomes.seen);
                assertEquals(List.of(TIMEOUT), outcomes.at);
                if (accepted[0]) {
                    assertEquals("racing", outcomes.seen.getFirst());
                    succeeded++;
                } else {
                    assertInstanceOf(TimedOut.class, outcomes.seen.getFirst(), "seed " + seed);
                    timedOut++;
                }
            }
        }
        // Both orders were tried: the test exercised the race, not one side of it.
        assertTrue(succeeded > 0 && timedOut > 0, succeeded + " succeeded, " + timedOut + " timed out");
    }
}
