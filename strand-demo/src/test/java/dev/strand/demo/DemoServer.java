package dev.strand.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.HttpServer;
import dev.strand.jdbc.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The demo server on a free port over a seeded {@link Backend}, with an HTTP client and the
 * server's database for the tests to look at what the endpoints did.
 */
final class DemoServer implements AutoCloseable {

    final Backend backend;
    final Database db;
    final HttpServer server;
    final HttpClient client;

    private DemoServer(Backend backend, Database db, HttpServer server, HttpClient client) {
        this.backend = backend;
        this.db = db;
        this.server = server;
        this.client = client;
    }

    /** Seeds {@code backend} with the seed command, then starts the server; skips when the backend is not there. */
    static DemoServer start(Backend backend) {
        backend.assumeAvailable();
        backend.seed();
        Database db = backend.settings(8).open();
        HttpServer server = DemoApp.server(0, db).start();
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return new DemoServer(backend, db, server, client);
    }

    HttpResponse<String> get(String target) throws Exception {
        return client.send(request(target), BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> getAsync(String target) {
        return client.sendAsync(request(target), BodyHandlers.ofString());
    }

    HttpRequest request(String target) {
        return HttpRequest.newBuilder(uri(target)).timeout(Duration.ofSeconds(30)).build();
    }

    URI uri(String target) {
        return URI.create("http://127.0.0.1:" + server.port() + target);
    }

    /** Every World row's number, by id, as the database holds it now. */
    Map<Integer, Integer> world() {
        return db.query("SELECT id, randomNumber FROM world", rs -> new World.Row(rs.getInt(1), rs.getInt(2))).stream()
                .collect(Collectors.toMap(World.Row::id, World.Row::randomNumber));
    }

    @Override
    public void close() {
        client.close();
        try {
            assertTrue(server.stop(Duration.ofSeconds(5)), "in-flight requests finished");
        } finally {
            db.close();
        }
    }
}
