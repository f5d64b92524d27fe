package dev.strand.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.launcher.LaunchException;
import dev.strand.launcher.Launched;
import dev.strand.launcher.Strand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo as the README runs it, through the strand launcher: the same endpoints, its server and
 * database configured from the launcher's sources, its database password masked when printed, and
 * a bad database URL refused naming the setting.
 */
class DemoRunsThroughTheStrandLauncherTest {

    @Test
    void theLauncherServesTheDemoOnItsConfiguredPort() throws Exception {
        try (Launched demo = Strand.launch(List.of(DemoService.class.getName(), "--host", "127.0.0.1", "--port", "0",
                "--server.loops=1", "--db.pool=2"), Map.of(), System.out).orElseThrow();
             HttpClient client = HttpClient.newHttpClient()) {
            URI base = URI.create("http://127.0.0.1:" + demo.port().orElseThrow());
            HttpResponse<String> plaintext = client.send(HttpRequest.newBuilder(base.resolve("/plaintext"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("Hello, World!", plaintext.body());
            HttpResponse<String> db = client.send(HttpRequest.newBuilder(base.resolve("/db"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, db.statusCode(), db.body());
            assertTrue(db.body().matches("\\{\"id\":\\d+,\"randomNumber\":\\d+}"), db.body());
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(base.resolve("/health/ready"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"status\":\"UP\"}", ready.body(), "ready once its database answered");
        }
    }

    @Test
    void printConfigMasksTheDatabasePasswordAndABadUrlIsNamed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Strand.launch(List.of(DemoService.class.getName(), "--print-config", "--db", "postgresql://127.0.0.1:5432/test"),
                Map.of("STRAND_DB_PASSWORD", "hunter2"), new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("db.password = ******  # environment variable STRAND_DB_PASSWORD\n"), printed);
        assertTrue(printed.contains("db.url = postgresql://127.0.0.1:5432/test  # command line --db.url\n"), printed);

        LaunchException bad = org.junit.jupiter.api.Assertions.assertThrows(LaunchException.class,
                () -> Strand.launch(List.of(DemoService.class.getName(), "--db", "mysql://x"), Map.of(), System.out));
        assertEquals("invalid configuration: --db.url = 'mysql://x' (command line --db.url): must be postgresql://host:port/database or a JDBC URL",
                bad.getMessage());
    }
}
