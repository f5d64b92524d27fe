package dev.strand.http.internal;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The connection fuzz harness's oracles over seeded random clients: a quick property test in the
 * default run, next to the coverage-guided fuzzing of the same harness.
 */
class ConnectionSurvivesRandomClientsTest {

    private static ConnectionFuzzHarness harness;

    @BeforeAll
    static void start() {
        harness = new ConnectionFuzzHarness();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    static java.util.stream.LongStream seeds() {
        return java.util.stream.LongStream.range(0, 2000);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theOraclesHold(long seed) {
        Random random = new Random(seed);
        int budget = 40 + random.nextInt(200);
        harness.run(new ConnectionFuzzHarness.Choices() {
            int used;

            @Override
            public int pick(int min, int max) {
                used++;
                return min + random.nextInt(max - min + 1);
            }

            @Override
            public byte[] bytes(int max) {
                used++;
                byte[] b = new byte[random.nextInt(max + 1)];
                random.nextBytes(b);
                return b;
            }

            @Override
            public boolean exhausted() {
                return used >= budget;
            }
        });
    }
}
