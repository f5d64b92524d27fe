package dev.strand.http.internal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

/**
 * The HTTP/1.1 connection's state machine under coverage-guided fuzzing: the input is a client's
 * script (what it sends, when and how much it reads, when it half-closes), played over a
 * {@link MemoryTransport} by {@link ConnectionFuzzHarness}, whose oracles say what must hold.
 */
@Tag("connection") // for -Pfuzz -Dfuzz.only=connection
class ConnectionFuzzTest {

    /** One server and loop for all inputs: starting one per input would be most of the cost. */
    private static ConnectionFuzzHarness harness;

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
            harness = null;
        }
    }

    @FuzzTest
    void theConnectionKeepsItsPromises(FuzzedDataProvider data) {
        if (harness == null) {
            harness = new ConnectionFuzzHarness();
        }
        harness.runOnLoop(new ConnectionFuzzHarness.Choices() {
            @Override
            public int pick(int min, int max) {
                return data.consumeInt(min, max);
            }

            @Override
            public byte[] bytes(int max) {
                return data.consumeBytes(max);
            }

            @Override
            public boolean exhausted() {
                return data.remainingBytes() == 0;
            }
        });
    }
}
