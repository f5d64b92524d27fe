package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every configured limit, set small, answers with its status and closes. */
class LimitsTest {

    private static final int MAX_REQUEST_LINE = 64;
    private static final int MAX_HEADER_SIZE = 256;
    private static final int MAX_HEADER_COUNT = 5;
    private static final int MAX_BODY = 100;
    private static final int MAX_CONNECTIONS = 3;

    private static HttpServer server;
    private static HttpServer connectionLimited;

    @BeforeAll
    static void start() {
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .config(c -> c.maxRequestLine(MAX_REQUEST_LINE).maxHeaderSize(MAX_HEADER_SIZE)
                        .maxHeaderCount(MAX_HEADER_COUNT).maxBodySize(MAX_BODY))
                .routing(r -> r.get("/p/*", (req, res) -> res.send("ok"))
                        .post("/body", (req, res) -> res.send("read " + req.body().bytes().length))
                        .post("/inline", Handler.nonBlocking((req, res) -> res.send("read " + req.body().bytes().length))))
                .build().start();
        connectionLimited = HttpServer.builder().host("127.0.0.1").port(0)
                .config(c -> c.maxConnections(MAX_CONNECTIONS))
                .routing(r -> r.get("/ping", (req, res) -> res.send("pong")))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
        connectionLimited.close();
    }

    private static void assertRefusedAndClosed(String request, int status) throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply reply = c.send(request).read();
            assertEquals(status, reply.status(), request);
            assertEquals("close", reply.header("Connection"));
            assertTrue(c.closedByServer(), "the connection must be closed after " + status);
        }
    }

    private static void assertServed(String request, String body) throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply reply = c.send(request).read();
            assertEquals(200, reply.status(), request);
            assertEquals(body, reply.text());
        }
    }

    /** A request line of exactly {@code length} bytes (without its CRLF). */
    private static String requestLine(int length) {
        String prefix = "GET /p/";
        String suffix = " HTTP/1.1";
        return prefix + "a".repeat(length - prefix.length() - suffix.length()) + suffix;
    }

    @Test
    void aRequestLineOverTheLimitGets414() throws Exception {
        assertServed(requestLine(MAX_REQUEST_LINE) + "\r\nHost: a\r\n\r\n", "ok");
        assertRefusedAndClosed(requestLine(MAX_REQUEST_LINE + 1) + "\r\nHost: a\r\n\r\n", 414);
        // Also when the line has not ended yet: the server need not wait for its end.
        assertRefusedAndClosed(requestLine(MAX_REQUEST_LINE * 4), 414);
    }

    @Test
    void aHeaderSectionOverTheLimitGets431() throws Exception {
        assertServed("GET /p/x HTTP/1.1\r\nHost: a\r\nX-Fill: " + "v".repeat(MAX_HEADER_SIZE / 2) + "\r\n\r\n", "ok");
        assertRefusedAndClosed("GET /p/x HTTP/1.1\r\nHost: a\r\nX-Fill: " + "v".repeat(MAX_HEADER_SIZE) + "\r\n\r\n", 431);
        // Many small fields that add up past the limit.
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            fields.append("X-").append(i).append(": ").append("v".repeat(MAX_HEADER_SIZE / 4)).append("\r\n");
        }
        assertRefusedAndClosed("GET /p/x HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n", 431);
    }

    @Test
    void tooManyHeaderFieldsGet431() throws Exception {
        StringBuilder atLimit = new StringBuilder("GET /p/x HTTP/1.1\r\nHost: a\r\n");
        for (int i = 1; i < MAX_HEADER_COUNT; i++) {
            atLimit.append("X-").append(i).append(": v\r\n");
        }
        assertServed(atLimit + "\r\n", "ok");
        assertRefusedAndClosed(atLimit + "X-Extra: v\r\n\r\n", 431);
    }

    @Test
    void aContentLengthOverTheLimitGets413() throws Exception {
        for (String path : new String[] {"/body", "/inline"}) {
            assertServed("POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: " + MAX_BODY + "\r\n\r\n"
                    + "b".repeat(MAX_BODY), "read " + MAX_BODY);
            assertRefusedAndClosed("POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: " + (MAX_BODY + 1)
                    + "\r\n\r\n" + "b".repeat(MAX_BODY + 1), 413);
            // Refused on the declaration alone, before any of the body arrives.
            assertRefusedAndClosed("POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000000\r\n\r\n", 413);
        }
    }

    @Test
    void aChunkedBodyOverTheLimitGets413() throws Exception {
        String half = "b".repeat(MAX_BODY / 2);
        for (String path : new String[] {"/body", "/inline"}) {
            String chunkedAtLimit = Integer.toHexString(half.length()) + "\r\n" + half + "\r\n"
                    + Integer.toHexString(half.length()) + "\r\n" + half + "\r\n";
            assertServed("POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunkedAtLimit + "0\r\n\r\n", "read " + MAX_BODY);
            // The chunks add up past the limit: each is small, the sum is not.
            assertRefusedAndClosed("POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunkedAtLimit + "1\r\nb\r\n0\r\n\r\n", 413);
            // One chunk declared too large.
            assertRefusedAndClosed("POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "fffffff\r\n", 413);
        }
    }

    @Test
    void connectionsBeyondTheLimitGet503WhileTheOthersGoOn() throws Exception {
        List<RawConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                RawConnection c = new RawConnection(connectionLimited.port());
                open.add(c);
                assertEquals("pong", c.send("GET /ping HTTP/1.1\r\nHost: a\r\n\r\n").read().text());
            }
            for (int extra = 0; extra < 2; extra++) {
                try (RawConnection c = new RawConnection(connectionLimited.port())) {
                    RawConnection.Reply reply = c.read();
                    assertEquals(503, reply.status());
                    assertEquals("close", reply.header("Connection"));
                    assertTrue(c.closedByServer());
                }
            }
            for (RawConnection c : open) {
                RawConnection.Reply reply = c.send("GET /ping HTTP/1.1\r\nHost: a\r\n\r\n").read();
                assertEquals(200, reply.status(), "an existing connection must still be served");
                assertEquals("pong", reply.text());
            }
            // Once one closes, a new connection is accepted again (the count went down).
            open.removeFirst().close();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (true) {
                try (RawConnection c = new RawConnection(connectionLimited.port())) {
                    RawConnection.Reply reply = c.send("GET /ping HTTP/1.1\r\nHost: a\r\n\r\n").read();
                    if (reply.status() == 200) {
                        assertEquals("pong", reply.text());
                        break;
                    }
                    assertEquals(503, reply.status());
                } catch (java.io.IOException e) {
                    // refused and reset before the 503 could be read: try again
                }
                assertTrue(System.nanoTime() - deadline < 0, "a freed connection slot was never reused");
            }
        } finally {
            for (RawConnection c : open) {
                c.close();
            }
        }
    }

    // That a refused connection's slot is free the instant its client closes (not at the linger's
    // end) is pinned on virtual time: ARefusedConnectionFreesItsSlotWhenItsClientClosesOnVirtualTimeTest.
}
