package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** ServerConfig: no public constructor, defaults for the tunables, and every bad value refused. */
class ServerConfigIsMadeOnlyByItsCheckingBuilderTest {

    @Test
    void thereIsNoWayAroundTheBuilder() {
        assertEquals(0, ServerConfig.class.getConstructors().length, "a public constructor skips the builder's checks");
    }

    @Test
    void theTunablesHaveTheirDefaults() {
        ServerConfig c = ServerConfig.builder().build();
        assertEquals(64 * 1024, c.readBufferSize());
        assertEquals(64, c.acceptBatch());
        assertEquals(256 * 1024, c.bodyHighWatermark());
        assertEquals(64 * 1024, c.bodyLowWatermark());
        assertEquals(Duration.ofMillis(100), c.housekeepingPeriod());
        assertTrue(c.toString().contains("bodyHighWatermark=262144"), c.toString());
    }

    @Test
    void theTunablesAreSetAndChecked() {
        ServerConfig c = ServerConfig.builder().readBufferSize(4096).acceptBatch(8).bodyWatermarks(1, 2)
                .housekeepingPeriod(Duration.ofMillis(50)).build();
        assertEquals(4096, c.readBufferSize());
        assertEquals(8, c.acceptBatch());
        assertEquals(1, c.bodyLowWatermark());
        assertEquals(2, c.bodyHighWatermark());
        assertEquals(Duration.ofMillis(50), c.housekeepingPeriod());

        ServerConfig.Builder b = ServerConfig.builder();
        assertThrows(IllegalArgumentException.class, () -> b.readBufferSize(1023));
        assertThrows(IllegalArgumentException.class, () -> b.acceptBatch(0));
        assertThrows(IllegalArgumentException.class, () -> b.bodyWatermarks(5, 5));
        assertThrows(IllegalArgumentException.class, () -> b.bodyWatermarks(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> b.housekeepingPeriod(Duration.ofMillis(9)));
        assertThrows(IllegalArgumentException.class, () -> b.housekeepingPeriod(Duration.ofMillis(1001)));
        assertThrows(NullPointerException.class, () -> b.housekeepingPeriod(null));
    }
}
