package dev.strand.admission;

import static dev.strand.admission.Admission.closeAll;
import static dev.strand.admission.Admission.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The gradient limit with a fake clock. A "round" takes {@code n} permits at one instant, advances
 * the clock by the round trip, and gives them back in the order they were granted, so that the i-th
 * sample is of work started with i in flight.
 */
class GradientLimitFollowsLatencyTest {

    private static final long MS = 1_000_000;
    private static final long T0 = 5_000 * MS;

    private final AtomicLong clock = new AtomicLong(T0);

    private GradientLimit.Builder gradient() {
        return GradientLimit.builder().clock(clock::get).probeInterval(Duration.ofHours(1));
    }

    private static int figure(Limit limit) {
        return limit.stats().limit();
    }

    private void round(Limit limit, int n, long rttMillis) {
        List<Permit> permits = take(limit, n);
        clock.addAndGet(rttMillis * MS);
        closeAll(permits);
    }

    private void fullRound(Limit limit, long rttMillis) {
        round(limit, figure(limit), rttMillis);
    }

    @Test
    void growsWhileLatencyStaysAtTheBaselineAndTheLimitIsInUse() {
        GradientLimit limit = gradient().initial(10).max(1_000).build();
        int before = figure(limit);
        for (int r = 0; r < 5; r++) {
            int was = figure(limit);
            fullRound(limit, 10);
            assertTrue(figure(limit) > was, "round " + r + ": " + was + " -> " + figure(limit));
        }
        // 1/√limit per sample of work started with at least half the limit in use: about √limit/2
        // per round here (half of each round's samples count), 10, 11, 13, 15, 17, 19 or so. Per
        // round trip, not per sample: faster growth overshoots under load.
        assertTrue(figure(limit) >= 1.5 * before, "10 -> " + figure(limit));
        assertTrue(figure(limit) <= 3 * before, "no faster than about √limit per round trip: 10 -> " + figure(limit));
    }

    @Test
    void latencyWithinTheToleranceStillCountsAsNoQueueing() {
        GradientLimit limit = gradient().initial(10).tolerance(1.5).build();
        fullRound(limit, 10); // baseline 10 ms
        int was = figure(limit);
        for (int r = 0; r < 5; r++) {
            fullRound(limit, 14); // 40 % slower: within 1.5
        }
        assertTrue(figure(limit) > was, was + " -> " + figure(limit));
    }

    @Test
    void shrinksWhenLatencyRises() {
        GradientLimit limit = gradient().initial(20).min(2).build();
        for (int r = 0; r < 5; r++) {
            fullRound(limit, 10);
        }
        int peak = figure(limit);
        for (int r = 0; r < 5; r++) {
            int was = figure(limit);
            fullRound(limit, 40); // four times the baseline: work queues somewhere
            assertTrue(figure(limit) < was || figure(limit) == 2, "round " + r + ": " + was + " -> " + figure(limit));
        }
        assertTrue(figure(limit) < peak / 2, peak + " -> " + figure(limit));
    }

    @Test
    void doesNotGrowWhileTheLimitIsNotBeingUsed() {
        GradientLimit limit = gradient().initial(20).build();
        for (int i = 0; i < 500; i++) {
            round(limit, 1 + i % 9, 10); // at most 9 of 20 at once: less than half
        }
        assertEquals(20, figure(limit));
    }

    @Test
    void staysBetweenMinAndMax() {
        GradientLimit limit = gradient().initial(10).min(4).max(15).build();
        for (int r = 0; r < 30; r++) {
            fullRound(limit, 10);
        }
        assertEquals(15, figure(limit), "grows no further than max");
        for (int r = 0; r < 30; r++) {
            fullRound(limit, 100);
        }
        assertEquals(4, figure(limit), "shrinks no further than min");
        assertEquals(8, figure(gradient().initial(50).min(2).max(8).build()), "initial clamped to max");
        assertEquals(6, figure(gradient().initial(1).min(6).max(8).build()), "initial clamped to min");
    }

    @Test
    void aDropBacksOff() {
        GradientLimit limit = gradient().initial(20).min(3).backoff(0.5).build();
        take(limit, 1).getFirst().dropped();
        assertEquals(10, figure(limit));
        assertEquals(1, limit.stats().dropped());
        take(limit, 1).getFirst().dropped();
        assertEquals(5, figure(limit));
        take(limit, 1).getFirst().dropped();
        assertEquals(3, figure(limit), "no further than min");
    }

    /**
     * "A dropped unit of work shrinks it by backoff": a drop that comes back while the limit is
     * probing must not be lost. One work item at a time at the baseline latency leaves the figure as
     * it is (no growth below half use, gradient 1), so the only difference between the two limits
     * below is the drop.
     */
    @Test
    void aDropDuringAProbeStillBacksOff() {
        Duration interval = Duration.ofSeconds(1);
        GradientLimit withDrop = gradient().initial(20).min(2).backoff(0.5).probeInterval(interval).build();
        GradientLimit without = gradient().initial(20).min(2).backoff(0.5).probeInterval(interval).build();
        for (GradientLimit limit : List.of(withDrop, without)) {
            clock.set(T0);
            for (int i = 0; i < 5; i++) {
                round(limit, 1, 10);
            }
            assertEquals(20, figure(limit));
            clock.set(T0 + interval.toNanos());
            round(limit, 1, 10); // due: the probe starts
            assertEquals(10, figure(limit), "probing at half");

            Permit p = take(limit, 1).getFirst();
            clock.addAndGet(10 * MS);
            if (limit == withDrop) {
                p.dropped();
            } else {
                p.ignore();
            }
            for (int i = 0; i < 30; i++) {
                round(limit, 1, 10); // ends the probe, then changes nothing
            }
        }
        assertEquals(20, figure(without), "the probe over, the figure is back");
        assertEquals(10, figure(withDrop), "the drop halved it (backoff 0.5), probe or not");
    }

    /**
     * The backend really becomes four times slower. Without a probe the limit takes that for
     * queueing and shrinks to its minimum for good; with one, it measures the new latency at half
     * its figure, takes it as the baseline, and grows again.
     */
    @Test
    void aProbeRelearnsTheBaselineOfABackendThatBecameSlower() {
        Duration interval = Duration.ofSeconds(1);
        GradientLimit probing = gradient().initial(20).min(2).probeInterval(interval).build();
        GradientLimit never = gradient().initial(20).min(2).build();
        AtomicLong neverClock = clock; // both share the fake clock; rounds advance it

        for (int r = 0; r < 5; r++) {
            fullRound(probing, 10);
            fullRound(never, 10);
        }
        int before = figure(probing);
        for (int r = 0; r < 5; r++) {
            fullRound(probing, 40);
            fullRound(never, 40);
        }
        int shrunk = figure(probing);
        assertTrue(shrunk < before / 2, "the slower backend looks like queueing: " + before + " -> " + shrunk);
        assertTrue(clock.get() - T0 < interval.toNanos(), "no probe yet");

        neverClock.set(T0 + interval.toNanos()); // the next sample is due a probe
        round(probing, 1, 40);
        int probeFigure = figure(probing);
        // Half the figure (min 2): the figure of the sample that started the probe, which may itself
        // have been a decrease.
        assertTrue(probeFigure >= 2 && probeFigure <= Math.max(2, shrunk / 2), "a probe runs at half the figure (min 2): "
                + shrunk + " -> " + probeFigure);

        int rounds = 0;
        while (figure(probing) == probeFigure && rounds++ < 20) {
            fullRound(probing, 40);
        }
        assertTrue(rounds <= 20, "the probe ends after a few samples");
        // The probe learnt 40 ms as the baseline: at that latency the limit now grows.
        for (int r = 0; r < 5; r++) {
            int was = figure(probing);
            fullRound(probing, 40);
            assertTrue(figure(probing) > was, "after the probe, round " + r + ": " + was + " -> " + figure(probing));
        }
        for (int r = 0; r < 10; r++) {
            fullRound(never, 40);
        }
        assertEquals(2, figure(never), "without a probe it stays at its minimum");
    }
}
