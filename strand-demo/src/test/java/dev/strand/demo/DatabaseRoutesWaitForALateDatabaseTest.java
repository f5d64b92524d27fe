package dev.strand.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.HttpServer;
import dev.strand.jdbc.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The demo listens before its in-memory database is ready: other routes answer at once, and the
 * database routes wait for the database (answering when it comes) or, when it cannot be made,
 * answer 503.
 */
class DatabaseRoutesWaitForALateDatabaseTest {

    private static HttpResponse<String> get(HttpClient client, HttpServer server, String target) throws Exception {
        return client.send(request(server, target), BodyHandlers.ofString());
    }

    private static HttpRequest request(HttpServer server, String target) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + target)).timeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void databaseRoutesAnswerOnceTheDatabaseComes() throws Exception {
        Backend.H2.seed();
        CompletableFuture<Database> later = new CompletableFuture<>();
        HttpServer server = DemoApp.server(0, later, new DemoAdmission(4)).start();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            CompletableFuture<HttpResponse<String>> waiting = client.sendAsync(request(server, "/queries?queries=2"), BodyHandlers.ofString());
            assertEquals(200, get(client, server, "/plaintext").statusCode(), "other routes answer meanwhile");
            assertFalse(waiting.isDone(), "the database route waits");
            HttpResponse<String> notReady = get(client, server, "/health/ready");
            assertEquals(503, notReady.statusCode(), "not ready without its database");
            assertEquals("{\"status\":\"DOWN\",\"checks\":{\"database\":\"DOWN\"}}", notReady.body());
            assertEquals(200, get(client, server, "/health/live").statusCode(), "yet alive");
            Database db = Backend.H2.settings(2).open();
            try {
                later.complete(db);
                assertEquals(200, get(client, server, "/health/ready").statusCode(), "ready once it has come");
                HttpResponse<String> answered = waiting.get(10, TimeUnit.SECONDS);
                assertEquals(200, answered.statusCode());
                assertEquals(2, HttpAssertions.rows(answered.body()).size());
            } finally {
                server.close();
                db.close();
            }
        }
    }

    @Test
    void aDatabaseThatCannotBeMadeGives503() throws Exception {
        CompletableFuture<Database> failed = CompletableFuture.failedFuture(new IllegalStateException("no tables"));
        HttpServer server = DemoApp.server(0, failed, new DemoAdmission(4)).start();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> answer = get(client, server, "/db");
            assertEquals(503, answer.statusCode());
            assertTrue(answer.body().contains("could not be prepared"), answer.body());
            assertEquals(200, get(client, server, "/json").statusCode());
            assertEquals(503, get(client, server, "/health/ready").statusCode(), "never ready without its database");
        } finally {
            server.close();
        }
    }
}
