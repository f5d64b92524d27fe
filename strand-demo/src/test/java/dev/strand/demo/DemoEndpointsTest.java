package dev.strand.demo;

import static dev.strand.demo.HttpAssertions.assertContentType;
import static dev.strand.demo.HttpAssertions.assertServerAndDate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo's endpoints that need no database, over a real socket, as a client sees them. */
@Timeout(30)
class DemoEndpointsTest {

    private static DemoServer demo;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        demo = DemoServer.start(Backend.H2);
        client = demo.client;
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
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
    void unknownPathIsNotFound() throws Exception {
        HttpResponse<String> res = get("/nothing-here");
        assertEquals(404, res.statusCode());
        assertServerAndDate(res);
    }

    private static HttpResponse<String> get(String target) throws Exception {
        return demo.get(target);
    }

    private static URI uri(String target) {
        return demo.uri(target);
    }
}
