package dev.strand.admission;

import static dev.strand.admission.Admission.closeAll;
import static dev.strand.admission.Admission.take;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** AIMD with a fake clock: each permit's round trip is what the test advances the clock by. */
class AimdLimitLearnsFromSamplesTest {

    private static final long MS = 1_000_000;

    private final AtomicLong clock = new AtomicLong(1_000 * MS);

    private AimdLimit.Builder aimd() {
        return AimdLimit.builder().clock(clock::get).timeout(Duration.ofMillis(100)).backoff(0.5);
    }

    private static int figure(Limit limit) {
        return limit.stats().limit();
    }

    @Test
    void doesNotGrowWhileTheLimitIsNotBeingUsed() {
        AimdLimit limit = aimd().initial(20).build();
        for (int i = 0; i < 1_000; i++) {
            // Three at a time out of 20: always less than half in use.
            List<Permit> some = take(limit, 3);
            clock.addAndGet(5 * MS);
            closeAll(some);
        }
        assertEquals(20, figure(limit));
        assertEquals(3_000, limit.stats().admitted());
    }

    @Test
    void growsByOnePerSuccessOfWorkStartedWithAtLeastHalfInUse() {
        AimdLimit limit = aimd().initial(10).build();
        List<Permit> held = take(limit, 10); // the i-th was granted with i in flight
        clock.addAndGet(5 * MS);

        held.get(9).close(); // started with 10 of 10 in use
        assertEquals(11, figure(limit));
        held.get(8).close(); // 9 in use at its start: at least half of 11
        assertEquals(12, figure(limit));
        held.get(5).close(); // 6: half of 12
        assertEquals(13, figure(limit));
        held.get(4).close(); // 5: less than half of 13
        assertEquals(13, figure(limit));
        held.get(0).close(); // 1
        assertEquals(13, figure(limit));
    }

    @Test
    void aDropMultipliesTheFigureByTheBackoff() {
        AimdLimit limit = aimd().initial(40).build();
        take(limit, 1).getFirst().dropped();
        assertEquals(20, figure(limit));
        assertEquals(1, limit.stats().dropped());
        take(limit, 1).getFirst().dropped();
        assertEquals(10, figure(limit));
    }

    @Test
    void workSlowerThanTheTimeoutCountsAsADrop() {
        AimdLimit limit = aimd().initial(40).build();
        Permit slow = take(limit, 1).getFirst();
        clock.addAndGet(101 * MS);
        slow.close();
        assertEquals(20, figure(limit), "a round trip over the 100 ms timeout backs off");
        assertEquals(0, limit.stats().dropped(), "though only Permit.dropped() counts in the stats");

        List<Permit> full = take(limit, 20);
        clock.addAndGet(100 * MS);
        full.getLast().close();
        assertEquals(21, figure(limit), "exactly the timeout is still a success");
        closeAll(full);
    }

    @Test
    void ignoredPermitsTeachNothing() {
        AimdLimit limit = aimd().initial(10).build();
        List<Permit> held = take(limit, 10);
        clock.addAndGet(10_000 * MS); // far past the timeout
        held.forEach(Permit::ignore);
        assertEquals(10, figure(limit));
        assertEquals(10, Admission.freePermits(limit));
    }

    @Test
    void staysBetweenMinAndMax() {
        AimdLimit limit = aimd().initial(10).min(3).max(12).build();
        for (int round = 0; round < 20; round++) {
            List<Permit> all = take(limit, figure(limit));
            clock.addAndGet(MS);
            closeAll(all.reversed());
        }
        assertEquals(12, figure(limit), "grows no further than max");
        for (int i = 0; i < 20; i++) {
            take(limit, 1).getFirst().dropped();
        }
        assertEquals(3, figure(limit), "backs off no further than min");
        assertEquals(3, Admission.freePermits(limit));
    }

    @Test
    void theInitialFigureIsClampedToMinAndMax() {
        assertEquals(8, figure(aimd().initial(50).min(2).max(8).build()));
        assertEquals(5, figure(aimd().initial(1).min(5).max(8).build()));
        assertEquals(20, figure(AimdLimit.builder().build()), "the default");
    }
}
