package dev.strand.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.http.HttpServer;
import dev.strand.http.ServerConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The stall watchdog of the reactor a server makes for itself follows its configuration. */
class ServerConfigSetsItsOwnReactorsStallWatchdogTest {

    private static Optional<Duration> watchdogOf(HttpServer.Builder builder) {
        HttpServer server = builder.host("127.0.0.1").port(0).routing(r -> r.get("/", (req, res) -> res.send("ok"))).build().start();
        try {
            return ((StrandServer) server).reactor().stallThreshold();
        } finally {
            server.close();
        }
    }

    @Test
    void onAtOneHundredMillisecondsByDefault() {
        assertEquals(Optional.of(Duration.ofMillis(100)), watchdogOf(HttpServer.builder()));
    }

    @Test
    void aThresholdIsPassedOnAndTheWatchdogCanBeTurnedOff() {
        assertEquals(Optional.of(Duration.ofMillis(250)),
                watchdogOf(HttpServer.builder().config(c -> c.stallThreshold(Duration.ofMillis(250)))));
        assertEquals(Optional.empty(), watchdogOf(HttpServer.builder().config(c -> c.stallWatchdog(false))));
    }

    @Test
    void aThresholdUnderTenMillisecondsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().stallThreshold(Duration.ofMillis(5)));
    }
}
