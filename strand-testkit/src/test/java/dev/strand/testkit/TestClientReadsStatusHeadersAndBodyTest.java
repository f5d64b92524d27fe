package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.Routing;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The test client sends what it is given and reads a whole response by its framing — a fixed
 * length, chunks, none for HEAD — with status, repeated headers and body; a refused connection
 * and a request it could not send as given fail at once.
 */
@ServerTest
class TestClientReadsStatusHeadersAndBodyTest {

    @SetUpRoutes
    static void routes(Routing routing) {
        routing.post("/echo", (req, res) -> res.status(201)
                        .header("X-Method", req.method().toString())
                        .header("X-Seen", req.header("X-Custom").orElse("none"))
                        .send(req.body().asString()))
                .get("/chunks", (req, res) -> {
                    try (OutputStream out = res.outputStream()) {
                        for (int i = 0; i < 3; i++) {
                            out.write(("part" + i + ";").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    }
                })
                .get("/twice", (req, res) -> res.header("X-Twice", "a").header("X-Twice", "b").send("two"));
    }

    @Test
    void aPostEchoesItsBodyWithTheStatusAndHeadersTheServerSet(TestClient client) {
        TestResponse response = client.post("/echo", "héllo");
        assertEquals(201, response.status());
        assertEquals("héllo", response.text());
        assertArrayEquals("héllo".getBytes(StandardCharsets.UTF_8), response.body());
        assertEquals("POST", response.header("x-method").orElseThrow());
        assertEquals("none", response.header("X-Seen").orElseThrow());
    }

    @Test
    void requestSendsTheGivenMethodHeadersAndBody(TestClient client) {
        TestResponse response = client.request("POST", "/echo", Map.of("X-Custom", "yes"),
                "raw".getBytes(StandardCharsets.UTF_8));
        assertEquals("yes", response.header("X-Seen").orElseThrow());
        assertEquals("raw", response.text());
    }

    @Test
    void aChunkedBodyIsReadWhole(TestClient client) {
        TestResponse response = client.get("/chunks");
        assertEquals(200, response.status());
        assertEquals("part0;part1;part2;", response.text());
    }

    @Test
    void repeatedHeadersKeepEveryValueInOrder(TestClient client) {
        TestResponse response = client.get("/twice");
        assertEquals(List.of("a", "b"), response.headers().get("x-twice"));
        assertEquals("a", response.header("X-TWICE").orElseThrow());
        assertTrue(response.header("X-Absent").isEmpty());
    }

    @Test
    void anUnknownPathIsA404AndAHeadHasNoBody(TestClient client) {
        assertEquals(404, client.get("/missing").status());
        TestResponse head = client.request("HEAD", "/twice", Map.of(), new byte[0]);
        assertEquals(200, head.status());
        assertEquals(0, head.body().length);
    }

    @Test
    void aRefusedConnectionAndAnUnsendablePathFailAtOnce() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        TestClient nobody = TestClient.create(closedPort);
        assertThrows(UncheckedIOException.class, () -> nobody.get("/"));
        assertThrows(IllegalArgumentException.class, () -> nobody.get("/a b"));
        assertThrows(IllegalArgumentException.class, () -> nobody.request("GET", "/", Map.of("X", "a\r\nY: b"), new byte[0]));
    }
}
