package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.HttpServer;
import dev.strand.http.Routing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * One class, run over sockets and in memory: plain requests, keep-alive, pipelining, a streamed
 * response and one larger than the in-memory buffer (so the server must wait for the client to
 * read), and a 400 for a malformed request all behave the same; in memory there is no port; and
 * nothing is left behind in either mode.
 */
@ServerTest(modes = {ServerTest.Mode.SOCKET, ServerTest.Mode.IN_MEMORY})
@CheckLeaks
class OneSuiteRunsOverSocketsAndInMemoryTest {

    /** Four times the in-memory buffer. */
    private static final byte[] BIG = pattern(4 * dev.strand.reactor.spi.MemoryPipe.DEFAULT_CAPACITY);
    private static final int LINES = 20_000;
    /** What /wait waits for: a fresh latch per test that uses it, as the class runs once per mode. */
    private static final AtomicReference<CountDownLatch> RELEASE = new AtomicReference<>(new CountDownLatch(0));

    @SetUpRoutes
    static void routes(Routing routing) {
        routing.get("/greet/{name}", (req, res) -> res.send("Hello " + req.pathParam("name")))
                .post("/echo", (req, res) -> res.status(201).send(req.body().asString()))
                .get("/big", (req, res) -> res.send(BIG))
                .get("/wait", (req, res) -> {
                    if (!RELEASE.get().await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                    res.send("released");
                })
                .get("/stream", (req, res) -> {
                    try (OutputStream out = res.outputStream()) {
                        for (int i = 0; i < LINES; i++) {
                            out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                });
    }

    @Test
    void requestsAreAnswered(TestClient client) {
        TestResponse greeting = client.get("/greet/Ada");
        assertEquals(200, greeting.status());
        assertEquals("Hello Ada", greeting.text());
        TestResponse echo = client.post("/echo", "ping");
        assertEquals(201, echo.status());
        assertEquals("ping", echo.text());
        assertEquals(404, client.get("/nowhere").status());
    }

    @Test
    void aKeepAliveConnectionCarriesSeveralRequests(TestClient client) throws IOException {
        try (TestClient.Link link = client.connect()) {
            for (String name : new String[] {"a", "b", "c"}) {
                link.send(TestClient.head("GET", "/greet/" + name, Map.of("Connection", "keep-alive")));
                TestResponse response = link.read(false);
                assertEquals("Hello " + name, response.text());
                assertEquals(Optional.empty(), response.header("Connection"), "the connection stays open");
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder(TestClient client) throws IOException {
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        requests.writeBytes(TestClient.head("GET", "/greet/1", Map.of("Connection", "keep-alive")));
        requests.writeBytes(TestClient.head("GET", "/big", Map.of("Connection", "keep-alive")));
        requests.writeBytes(TestClient.head("GET", "/greet/3", Map.of()));
        try (TestClient.Link link = client.connect()) {
            link.send(requests.toByteArray());
            assertEquals("Hello 1", link.read(false).text());
            assertArrayEquals(BIG, link.read(false).body());
            TestResponse last = link.read(false);
            assertEquals("Hello 3", last.text());
            assertEquals(Optional.of("close"), last.header("Connection"));
            assertEquals(-1, link.in().read(), "the server closes after the response to Connection: close");
        }
    }

    @Test
    void aStreamedResponseArrivesWhole(TestClient client) {
        TestResponse response = client.get("/stream");
        assertEquals(200, response.status());
        assertEquals(Optional.of("chunked"), response.header("Transfer-Encoding"));
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            expected.append("line ").append(i).append('\n');
        }
        assertEquals(expected.toString(), response.text());
    }

    @Test
    void aResponseLargerThanTheClientsBufferArrivesWhole(TestClient client) {
        assertArrayEquals(BIG, client.get("/big").body());
    }

    @Test
    void aMalformedRequestGets400AndTheConnectionIsClosed(TestClient client) throws IOException {
        try (TestClient.Link link = client.connect()) {
            link.send("GE(T / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(400, link.read(false).status());
            assertEquals(-1, link.in().read(), "the server closes after a 400");
        }
        assertEquals("Hello again", client.get("/greet/again").text(), "the server still serves");
    }

    @Test
    void aClientThatEndsItsStreamAfterTheRequestStillGetsTheResponse(TestClient client) throws IOException {
        try (TestClient.Link link = client.connect()) {
            link.send(TestClient.head("GET", "/greet/half", Map.of()));
            link.shutdownOutput();
            assertEquals("Hello half", link.read(false).text());
            assertEquals(-1, link.in().read());
        }
    }

    @Test
    void aResponseSlowerThanTheClientsTimeoutFailsTheRequest(HttpServer server, TestClient client) {
        CountDownLatch release = new CountDownLatch(1);
        RELEASE.set(release);
        Duration shortly = Duration.ofMillis(200);
        TestClient impatient = client.isInMemory() ? TestClient.inMemory(server, shortly) : TestClient.create(server.port(), shortly);
        try {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> impatient.get("/wait"));
            assertInstanceOf(SocketTimeoutException.class, e.getCause(), e.toString());
        } finally {
            release.countDown();
        }
    }

    @Test
    void onlyTheSocketModeHasAPort(HttpServer server, TestClient client) {
        if (client.isInMemory()) {
            assertFalse(server.config().listen());
            assertThrows(IllegalStateException.class, server::port);
            assertThrows(IllegalStateException.class, client::port);
        } else {
            assertTrue(server.config().listen());
            assertEquals(server.port(), client.port());
        }
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 8));
        }
        return bytes;
    }
}
