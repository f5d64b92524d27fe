package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connection persistence: HTTP/1.1 persists by default, HTTP/1.0 only when asked, close is honoured. */
class KeepAliveTest {

    private static HttpServer server;

    @BeforeAll
    static void start() {
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/n/{n}", (req, res) -> res.send("fiber " + req.pathParam("n")))
                        .get("/inline/{n}", Handler.nonBlocking((req, res) -> res.send("inline " + req.pathParam("n"))))
                        .post("/echo", (req, res) -> res.send("echo " + req.body().asString()))
                        .get("/stream", (req, res) -> {
                            try (var out = res.outputStream()) {
                                out.write("streamed".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                            }
                        }))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void http11ServesSeveralRequestsOnOneConnection() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            for (int i = 0; i < 10; i++) {
                String request = switch (i % 3) {
                    case 0 -> "GET /n/" + i + " HTTP/1.1\r\nHost: a\r\n\r\n";
                    case 1 -> "GET /inline/" + i + " HTTP/1.1\r\nHost: a\r\n\r\n";
                    default -> "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + String.valueOf(i).length()
                            + "\r\n\r\n" + i;
                };
                RawConnection.Reply reply = c.send(request).read();
                assertEquals(200, reply.status(), "request " + i);
                String expected = switch (i % 3) {
                    case 0 -> "fiber " + i;
                    case 1 -> "inline " + i;
                    default -> "echo " + i;
                };
                assertEquals(expected, reply.text(), "request " + i);
                assertEquals("HTTP/1.1", reply.version());
                assertNull(reply.header("Connection"), "an HTTP/1.1 response that persists needs no Connection header");
            }
            c.socket().setSoTimeout(300);
            assertFalse(c.closedByServer(), "the server must keep an HTTP/1.1 connection open");
        }
    }

    @Test
    void http10ClosesByDefault() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply reply = c.send("GET /n/1 HTTP/1.0\r\n\r\n").read();
            assertEquals(200, reply.status());
            assertEquals("fiber 1", reply.text());
            assertEquals("close", reply.header("Connection"));
            assertTrue(c.closedByServer(), "an HTTP/1.0 connection without keep-alive must be closed");
        }
    }

    @Test
    void http10StreamIsDelimitedByTheCloseButItsHeadKeepsAlive() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            // HEAD: no body to delimit, so the connection stays (a fuzzer finding: it closed).
            RawConnection.Reply head = c.send("HEAD /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read(true);
            assertEquals(200, head.status());
            assertEquals("keep-alive", head.header("Connection"));
            // GET: a stream of unknown length to HTTP/1.0 can only end with the connection.
            c.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            String rest = c.readUntilClose();
            assertTrue(rest.startsWith("HTTP/1.1 200 ") && rest.contains("Connection: close") && rest.endsWith("streamed"), rest);
        }
    }

    @Test
    void http10KeepsAliveWhenAsked() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            for (int i = 0; i < 3; i++) {
                String path = i == 1 ? "/inline/" + i : "/n/" + i;
                RawConnection.Reply reply = c.send("GET " + path + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
                assertEquals(200, reply.status());
                assertTrue(reply.text().endsWith(" " + i));
                assertEquals("keep-alive", reply.header("Connection"), "request " + i);
                assertEquals(String.valueOf(reply.body().length), reply.header("Content-Length"));
            }
            // The last request drops keep-alive: that one closes the connection.
            RawConnection.Reply last = c.send("GET /n/9 HTTP/1.0\r\n\r\n").read();
            assertEquals("fiber 9", last.text());
            assertEquals("close", last.header("Connection"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void connectionCloseFromTheClientIsHonoured() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply first = c.send("GET /n/1 HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertNull(first.header("Connection"));
            RawConnection.Reply reply = c.send("GET /n/2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").read();
            assertEquals(200, reply.status());
            assertEquals("fiber 2", reply.text());
            assertEquals("close", reply.header("Connection"));
            assertTrue(c.closedByServer(), "the server must close after Connection: close");
        }
    }

    @Test
    void nothingIsAnsweredAfterAConnectionCloseRequest() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            // Pipelined: a request follows the one that asked to close; it must not be served.
            c.send("GET /inline/1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                    + "GET /n/2 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawConnection.Reply reply = c.read();
            assertEquals("inline 1", reply.text());
            assertEquals("close", reply.header("Connection"));
            assertEquals("", c.readUntilClose(), "no response may follow the one that closed the connection");
        }
    }

    @Test
    void keepAliveTokenAmongOthersIsRecognisedCaseInsensitively() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply reply = c.send("GET /n/1 HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").read();
            assertEquals("keep-alive", reply.header("Connection"));
            RawConnection.Reply closing = c.send("GET /n/2 HTTP/1.1\r\nHost: a\r\nConnection: foo, CLOSE\r\n\r\n").read();
            assertEquals("close", closing.header("Connection"));
            assertTrue(c.closedByServer());
        }
    }
}
