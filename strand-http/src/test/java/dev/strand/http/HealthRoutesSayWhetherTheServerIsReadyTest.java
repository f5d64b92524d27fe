package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * /health/live answers while the server does; /health/ready only while it runs and every required
 * check is up, naming what is down otherwise (a check that fails or throws); a stopping server is
 * out of rotation at once.
 */
class HealthRoutesSayWhetherTheServerIsReadyTest {

    private static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessFollowsTheRequiredChecks() throws Exception {
        AtomicBoolean database = new AtomicBoolean(true);
        AtomicBoolean broken = new AtomicBoolean(false);
        Health health = Health.create().require("db", database::get).require("cache \"eu\"", () -> {
            if (broken.get()) {
                throw new IllegalStateException("no route to cache");
            }
            return true;
        });
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0).health(health)
                .routing(r -> r.get("/", (req, res) -> res.send("app"))).build().start();
             HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> live = get(client, server.port(), "/health/live");
            assertEquals(200, live.statusCode());
            assertEquals("{\"status\":\"UP\"}", live.body());
            assertEquals("application/json", live.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("no-store", live.headers().firstValue("Cache-Control").orElseThrow());
            assertEquals(200, get(client, server.port(), "/health/ready").statusCode());

            database.set(false);
            broken.set(true);
            HttpResponse<String> ready = get(client, server.port(), "/health/ready");
            assertEquals(503, ready.statusCode());
            assertEquals("{\"status\":\"DOWN\",\"checks\":{\"db\":\"DOWN\",\"cache \\\"eu\\\"\":\"DOWN: java.lang.IllegalStateException\"}}",
                    ready.body());
            assertEquals(200, get(client, server.port(), "/health/live").statusCode(), "alive, though not ready");
            assertEquals("app", get(client, server.port(), "/").body(), "the application's routes are unchanged");

            database.set(true);
            broken.set(false);
            assertEquals(200, get(client, server.port(), "/health/ready").statusCode());
        }
    }

    /**
     * A stopping server takes itself out of rotation: its listener closes at once, and a connection
     * already there gets its in-flight answer with {@code Connection: close} and nothing after it.
     */
    @Test
    void aStoppingServerTakesItselfOutOfRotation() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.builder().host("127.0.0.1").port(0).health(Health.create())
                .routing(r -> r.get("/slow", (req, res) -> {
                    slowStarted.countDown();
                    release.await();
                    res.send("slow");
                })).build().start();
        try (RawConnection connection = new RawConnection(server.port(), 10_000)) {
            // A slow request, and a readiness probe pipelined behind it on the same connection.
            connection.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(true, slowStarted.await(10, TimeUnit.SECONDS));
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(20)));
            // Bounded: stop() turns isRunning() false before it waits for the slow request.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.isRunning() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(false, server.isRunning());
            release.countDown();
            RawConnection.Reply slow = connection.read();
            assertEquals("slow", slow.text());
            assertEquals("close", slow.header("Connection"), "the in-flight answer tells the client the connection ends");
            assertThrows(java.io.EOFException.class, connection::read, "the probe pipelined behind it is not served");
            assertEquals(true, stopped.get(20, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            server.stop(Duration.ofSeconds(1));
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            assertThrows(java.io.IOException.class, () -> get(client, server.port(), "/health/ready"),
                    "a stopped server's listener is closed: probes are refused");
        }
    }

    @Test
    void checksMustHaveDistinctNames() {
        assertThrows(IllegalArgumentException.class, () -> Health.create().require("db", () -> true).require("db", () -> true));
    }
}
