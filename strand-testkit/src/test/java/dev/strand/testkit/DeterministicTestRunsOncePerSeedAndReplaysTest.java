package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.HttpServer;
import dev.strand.reactor.Fiber;
import dev.strand.reactor.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Event;

/**
 * {@link DeterministicTest}: one run per seed, each named after it; a race planted in an HTTP
 * handler is found by some seed, whose failure says how to replay it, and replaying that seed (by
 * the system property) fails the same way; {@code twice} catches a test that is not deterministic,
 * naming the first divergent event.
 */
class DeterministicTestRunsOncePerSeedAndReplaysTest {

    static final List<Long> SEEDS_SEEN = new ArrayList<>();

    @Sample
    static class FiveSeeds {
        @DeterministicTest(seeds = 5, from = 10)
        void test(Simulation sim) throws InterruptedException {
            assertTrue(sim.loop().inLoop(), "the body runs on the simulation's loop");
            Fiber.sleep(Duration.ofSeconds(30));
            assertEquals(Duration.ofSeconds(30), sim.elapsed());
            SEEDS_SEEN.add(sim.seed());
        }
    }

    /** Two withdrawals of 60 from 100 through HTTP; the handler checks, yields, then withdraws. */
    @Sample
    static class RacyWithdrawals {
        static final ConcurrentHashMap<Long, String> OUTCOMES = new ConcurrentHashMap<>();

        @DeterministicTest(seeds = 60)
        void test(Simulation sim) {
            int[] balance = {100};
            HttpServer server = HttpServer.builder().reactor(sim.reactor()).config(c -> c.listen(false))
                    .routing(r -> r.post("/withdraw", (req, res) -> {
                        int amount = Integer.parseInt(req.body().asString());
                        if (balance[0] >= amount) {
                            Thread.yield(); // the planted window
                            balance[0] -= amount;
                            res.send("ok");
                        } else {
                            res.status(409).send("refused");
                        }
                    })).build().start();
            TestClient client = TestClient.inSimulation(sim, server);
            CompletableFuture<Integer> other = new CompletableFuture<>();
            sim.loop().startFiber(() -> other.complete(client.post("/withdraw", "60").status()));
            int mine = client.post("/withdraw", "60").status();
            int theirs = other.join();
            OUTCOMES.put(sim.seed(), mine + "," + theirs + " balance " + balance[0]);
            assertTrue(balance[0] >= 0, "overdrawn: " + mine + "," + theirs + " balance " + balance[0]);
        }
    }

    /** Sleeps longer on each run: the two runs of {@code twice} cannot agree. */
    @Sample
    static class NotDeterministic {
        static final AtomicInteger RUNS = new AtomicInteger();

        @DeterministicTest(from = 3, twice = true)
        void test(Simulation sim) throws InterruptedException {
            Fiber.sleep(Duration.ofMillis(RUNS.incrementAndGet()));
        }
    }

    @Sample
    static class Deterministic {
        @DeterministicTest(seeds = 3, twice = true)
        void test(Simulation sim) throws InterruptedException {
            List<String> order = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                sim.loop().addTimer(Duration.ofSeconds(1), () -> order.add(name));
            }
            Fiber.sleep(Duration.ofSeconds(2));
            assertEquals(3, order.size());
        }
    }

    @Test
    void eachSeedIsATestOfItsOwnNamedAfterIt() {
        SEEDS_SEEN.clear();
        List<Event> finished = Samples.run(FiveSeeds.class).list();
        assertEquals(List.of("seed 10", "seed 11", "seed 12", "seed 13", "seed 14"),
                finished.stream().map(e -> e.getTestDescriptor().getDisplayName()).toList());
        finished.forEach(e -> assertEquals(TestExecutionResult.Status.SUCCESSFUL,
                e.getRequiredPayload(TestExecutionResult.class).getStatus(), e.toString()));
        assertEquals(List.of(10L, 11L, 12L, 13L, 14L), SEEDS_SEEN);
    }

    @Test
    void someSeedFindsTheRaceAndTheSeedPropertyReplaysIt() {
        RacyWithdrawals.OUTCOMES.clear();
        List<Event> finished = Samples.run(RacyWithdrawals.class).list();
        assertEquals(60, finished.size());
        List<Event> failed = finished.stream().filter(e -> e.getRequiredPayload(TestExecutionResult.class).getStatus()
                != TestExecutionResult.Status.SUCCESSFUL).toList();
        assertTrue(!failed.isEmpty(), "60 seeds did not find the planted race: " + RacyWithdrawals.OUTCOMES);
        assertTrue(failed.size() < 60, "every seed failed: " + RacyWithdrawals.OUTCOMES);
        Event first = failed.getFirst();
        String seed = first.getTestDescriptor().getDisplayName().substring("seed ".length());
        Throwable failure = first.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        String message = failure.getMessage();
        assertTrue(message.contains("overdrawn: 200,200 balance -20"), message);
        assertTrue(message.contains("[seed " + seed + ", at +"), message);
        assertTrue(message.contains("-Dstrand.seed=" + seed + ", or @DeterministicTest(from = " + seed + ")"), message);
        assertInstanceOf(AssertionError.class, failure.getCause());

        String before = System.getProperty(DeterministicExtension.SEED_PROPERTY);
        System.setProperty(DeterministicExtension.SEED_PROPERTY, seed);
        try {
            List<Event> replayed = Samples.run(RacyWithdrawals.class).list();
            assertEquals(1, replayed.size(), "only the seed asked for ran");
            Throwable again = replayed.getFirst().getRequiredPayload(TestExecutionResult.class).getThrowable().orElse(null);
            assertNotNull(again, "the replayed seed passed");
            assertEquals(message, again.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(DeterministicExtension.SEED_PROPERTY);
            } else {
                System.setProperty(DeterministicExtension.SEED_PROPERTY, before);
            }
        }
    }

    @Test
    void twiceNamesTheFirstDivergentEventOfATestThatIsNotDeterministic() {
        NotDeterministic.RUNS.set(0);
        String message = Samples.failure(NotDeterministic.class).getMessage();
        assertTrue(message.startsWith("seed 3 is not deterministic: its two runs diverged at event #"), message);
        assertTrue(message.contains("'clock +1000000ns' here, 'clock +2000000ns' there"), message);
    }

    @Test
    void twicePassesADeterministicTest() {
        Samples.assertAllPassed(Deterministic.class);
    }
}
