package dev.strand.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo's endpoints over a real socket, as a client sees them. */
@Timeout(30)
class DemoEndpointsTest {

    private static HttpServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = DemoApp.server(0).start();
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            assertTrue(server.stop(Duration.ofSeconds(5)), "in-flight requests finished");
        }
    }

    @Test
    void plaintextSaysHello() throws Exception {
        HttpResponse<String> res = get("/plaintext");
        assertEquals(200, res.statusCode());
        assertEquals("Hello, World!", res.body());
        assertContentType("text/plain", res);
        assertEquals("13", res.headers().firstValue("Content-Length").orElseThrow());
        assertServerAndDate(res);
    }

    @Test
    void jsonIsTheMessageObject() throws Exception {
        HttpResponse<String> res = get("/json");
        assertEquals(200, res.statusCode());
        assertEquals("{\"message\":\"Hello, World!\"}", res.body());
        assertContentType("application/json", res);
        assertServerAndDate(res);
    }

    @Test
    void sleepParksForTheAskedTime() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> res = get("/sleep?ms=200");
        long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(200, res.statusCode());
        assertEquals("slept 200 ms", res.body());
        assertTrue(tookMillis >= 200, "answered after " + tookMillis + " ms");
        assertContentType("text/plain", res);
        assertServerAndDate(res);
    }

    @Test
    void sleepsRunSideBySide() throws Exception {
        // Eight fibers sleeping 500 ms at once: together they take about 500 ms, not 4 s.
        var request = HttpRequest.newBuilder(uri("/sleep?ms=500")).timeout(Duration.ofSeconds(10)).build();
        long start = System.nanoTime();
        var replies = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> client.sendAsync(request, BodyHandlers.ofString()))
                .toList();
        for (var reply : replies) {
            assertEquals("slept 500 ms", reply.get().body());
        }
        long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(tookMillis < 3_000, "eight 500 ms sleeps took " + tookMillis + " ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/sleep", "/sleep?ms=", "/sleep?ms=-1", "/sleep?ms=60001", "/sleep?ms=abc",
            "/sleep?ms=%2B5", "/sleep?ms=99999999999"})
    void sleepRejectsABadDuration(String target) throws Exception {
        HttpResponse<String> res = get(target);
        assertEquals(400, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("Content-Type").isPresent(), "Content-Type on an error");
        assertServerAndDate(res);
    }

    @Test
    void echoCountsAStreamedBody() throws Exception {
        byte[] body = new byte[300_000];
        Arrays.fill(body, (byte) 'x');
        // Without a known length the client sends the body chunked.
        var request = HttpRequest.newBuilder(uri("/echo"))
                .timeout(Duration.ofSeconds(10))
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        HttpResponse<String> res = client.send(request, BodyHandlers.ofString());
        assertEquals(200, res.statusCode());
        assertEquals("300000", res.body());
        assertContentType("text/plain", res);
        assertServerAndDate(res);
    }

    @Test
    void echoCountsAFixedLengthBody() throws Exception {
        var request = HttpRequest.newBuilder(uri("/echo"))
                .timeout(Duration.ofSeconds(10))
                .POST(BodyPublishers.ofString("héllo"))
                .build();
        HttpResponse<String> res = client.send(request, BodyHandlers.ofString());
        assertEquals(200, res.statusCode());
        assertEquals("6", res.body()); // bytes, not characters
    }

    @Test
    void echoCountsAnEmptyBody() throws Exception {
        var request = HttpRequest.newBuilder(uri("/echo"))
                .timeout(Duration.ofSeconds(10))
                .POST(BodyPublishers.noBody())
                .build();
        HttpResponse<String> res = client.send(request, BodyHandlers.ofString());
        assertEquals(200, res.statusCode());
        assertEquals("0", res.body());
    }

    @Test
    void dbIsARandomWorldRow() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> res = get("/db");
            assertEquals(200, res.statusCode(), res.body());
            assertContentType("application/json", res);
            var row = java.util.regex.Pattern.compile("\\{\"id\":(\\d+),\"randomNumber\":(\\d+)}").matcher(res.body());
            assertTrue(row.matches(), res.body());
            int id = Integer.parseInt(row.group(1));
            int number = Integer.parseInt(row.group(2));
            assertTrue(id >= 1 && id <= World.ROWS && number >= 1 && number <= 10_000, res.body());
        }
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        HttpResponse<String> res = get("/nothing-here");
        assertEquals(404, res.statusCode());
        assertServerAndDate(res);
    }

    private static HttpResponse<String> get(String target) throws Exception {
        var request = HttpRequest.newBuilder(uri(target)).timeout(Duration.ofSeconds(10)).build();
        return client.send(request, BodyHandlers.ofString());
    }

    private static URI uri(String target) {
        return URI.create("http://127.0.0.1:" + server.port() + target);
    }

    private static void assertContentType(String expected, HttpResponse<?> res) {
        String type = res.headers().firstValue("Content-Type").orElseThrow(
                () -> new AssertionError("no Content-Type"));
        assertTrue(type.equals(expected) || type.startsWith(expected + ";"), "Content-Type: " + type);
    }

    private static void assertServerAndDate(HttpResponse<?> res) {
        assertEquals("Strand", res.headers().firstValue("Server").orElseThrow(
                () -> new AssertionError("no Server header")));
        String date = res.headers().firstValue("Date").orElseThrow(() -> new AssertionError("no Date header"));
        ZonedDateTime parsed = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
        long skew = Math.abs(Duration.between(parsed, ZonedDateTime.now()).toSeconds());
        assertTrue(skew <= 5, "Date is current: " + date);
    }
}
