package dev.strand.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.config.Config;
import dev.strand.config.Setting;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher starts an application's routes on a server configured from a file, the environment
 * and flags (in that order of precedence), and a service that starts its own servers; close stops
 * either.
 */
class StrandRunsAnApplicationFromItsConfigurationTest {

    @TempDir
    Path dir;

    private static String get(int port, String path) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    @Test
    void anApplicationsRoutesAreServedWithItsSettingsFromEverySource() throws Exception {
        Path yaml = Files.writeString(dir.resolve("hello.yaml"), """
                server:
                  host: 127.0.0.1
                  port: 1
                  loops: 1
                hello:
                  greeting: Good day
                """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Launched launched = Strand.launch(List.of(HelloApplication.class.getName(), "--config", yaml.toString(), "--port", "0"),
                Map.of("STRAND_HELLO_GREETING", "Hi there"), new PrintStream(out, true, StandardCharsets.UTF_8)).orElseThrow()) {
            int port = launched.port().orElseThrow();
            assertTrue(port > 0, "--port 0 over the file's 1: a free port");
            assertEquals("Hi there Ada", get(port, "/hello/Ada"), "the environment over the file");
            assertEquals("{\"status\":\"UP\"}", get(port, "/health/ready"), "health routes by default");
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("strand: " + HelloApplication.class.getName()
                    + " on http://127.0.0.1:" + port), out.toString(StandardCharsets.UTF_8));
        }
        try (Launched launched = Strand.launch(List.of(HelloApplication.class.getName(), "--host", "127.0.0.1", "--port=0",
                "--hello.greeting=Howdy", "--server.idle-timeout=5s"), Map.of("STRAND_HELLO_GREETING", "Hi"), System.out).orElseThrow()) {
            assertEquals("Howdy Bo", get(launched.port().orElseThrow(), "/hello/Bo"), "a flag over the environment");
        }
    }

    @Test
    void logLevelSetsTheRootLoggersLevel() {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        java.util.logging.Level before = root.getLevel();
        java.util.logging.Handler[] handlers = root.getHandlers();
        java.util.logging.Level[] handlerLevels = java.util.Arrays.stream(handlers).map(java.util.logging.Handler::getLevel)
                .toArray(java.util.logging.Level[]::new);
        try {
            try (Launched launched = Strand.launch(List.of(HelloApplication.class.getName(), "--host", "127.0.0.1", "--port=0",
                    "--log.level=debug"), Map.of(), System.out).orElseThrow()) {
                assertEquals(java.util.logging.Level.FINE, root.getLevel());
            }
            try (Launched launched = Strand.launch(List.of(HelloApplication.class.getName(), "--host", "127.0.0.1", "--port=0"),
                    Map.of("STRAND_LOG_LEVEL", "off"), System.out).orElseThrow()) {
                assertEquals(java.util.logging.Level.OFF, root.getLevel(), "quiet: nothing logged");
            }
        } finally {
            root.setLevel(before);
            for (int i = 0; i < handlers.length; i++) {
                handlers[i].setLevel(handlerLevels[i]);
            }
        }
    }

    @Test
    void printConfigShowsTheEffectiveValuesWithSecretsMaskedAndStartsNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(Strand.launch(List.of(HelloApplication.class.getName(), "--print-config", "--port=9000", "--hello.token=s3cret"),
                Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8)).isEmpty());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("server.port = 9000  # command line --server.port\n"), printed);
        assertTrue(printed.contains("hello.token = ******  # command line --hello.token\n"), printed);
        assertTrue(printed.contains("server.idle-timeout = 1m  # default\n"), printed);
        assertTrue(!printed.contains("s3cret"), printed);
    }

    /** A service with its own server: the launcher only configures it and stops it. */
    public static final class CountingService implements Service {
        static final AtomicBoolean STOPPED = new AtomicBoolean();
        static final Setting<Integer> WIDTH = Setting.integer("counting.width").defaultValue(3);
        static volatile Config seen;

        public CountingService() {
        }

        @Override
        public List<Setting<?>> settings() {
            return List.of(WIDTH);
        }

        @Override
        public AutoCloseable start(Config config) {
            seen = config;
            return () -> STOPPED.set(true);
        }
    }

    @Test
    void aServiceIsStartedWithTheConfigurationAndClosedOnStop() {
        CountingService.STOPPED.set(false);
        Launched launched = Strand.launch(List.of(CountingService.class.getName(), "--counting.width=7"), Map.of(), System.out).orElseThrow();
        assertEquals(7, CountingService.seen.get(CountingService.WIDTH));
        assertEquals(8080, CountingService.seen.get(ServerSettings.PORT), "the server's settings are there too");
        assertTrue(launched.port().isEmpty());
        launched.close();
        assertTrue(CountingService.STOPPED.get());
    }
}
