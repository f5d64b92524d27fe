package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code Expect: 100-continue}: 100 only when the handler reads the body, never on HTTP/1.0. */
class ExpectContinueTest {

    private static HttpServer server;
    private static volatile CountDownLatch gate = new CountDownLatch(0);
    private static volatile CountDownLatch gateReached = new CountDownLatch(0);

    @BeforeAll
    static void start() {
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r
                        .post("/echo", (req, res) -> res.send("got " + req.body().asString()))
                        .post("/gated", (req, res) -> {
                            gateReached.countDown();
                            if (!gate.await(10, TimeUnit.SECONDS)) {
                                throw new IllegalStateException("gate never opened");
                            }
                            res.send("got " + req.body().asString());
                        })
                        .post("/too-large", (req, res) -> res.status(413).send("too large"))
                        .post("/unauthorized", (req, res) -> {
                            throw new HttpException(401, "who are you");
                        })
                        .post("/inline-reject", Handler.nonBlocking((req, res) ->
                                res.status(403).send("forbidden " + req.body().bytes().length))))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String expectHead(String path, int length) {
        return "POST " + path + " HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: " + length + "\r\n\r\n";
    }

    /** Asserts nothing arrives for {@code millis}. */
    private static void assertSilence(RawConnection c, int millis) throws Exception {
        int before = c.socket().getSoTimeout();
        c.socket().setSoTimeout(millis);
        InputStream in = c.socket().getInputStream();
        assertThrows(SocketTimeoutException.class, in::read, "the server sent something too early");
        c.socket().setSoTimeout(before);
    }

    @Test
    void continueIsSentWhenTheHandlerReadsTheBodyThenTheFinalResponse() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(expectHead("/echo", 11));
            RawConnection.Reply interim = c.read();
            assertEquals(100, interim.status());
            assertEquals("HTTP/1.1", interim.version());
            c.send("hello world");
            RawConnection.Reply reply = c.read();
            assertEquals(200, reply.status());
            assertEquals("got hello world", reply.text());
            assertNull(reply.header("Connection"));
            // The connection goes on, and a request without Expect gets no 100.
            RawConnection.Reply next = c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok").read();
            assertEquals(200, next.status());
            assertEquals("got ok", next.text());
        }
    }

    @Test
    void continueWaitsUntilTheHandlerStartsReading() throws Exception {
        gate = new CountDownLatch(1);
        gateReached = new CountDownLatch(1);
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(expectHead("/gated", 5));
            assertTrue(gateReached.await(5, TimeUnit.SECONDS), "the handler did not start");
            assertSilence(c, 300);
            gate.countDown();
            assertEquals(100, c.read().status(), "100 Continue once the handler reads");
            c.send("abcde");
            RawConnection.Reply reply = c.read();
            assertEquals(200, reply.status());
            assertEquals("got abcde", reply.text());
        } finally {
            gate.countDown();
        }
    }

    @Test
    void aHandlerRejectingWithoutReadingAnswersWithoutContinueAndCloses() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(expectHead("/too-large", 100_000));
            RawConnection.Reply reply = c.read();
            assertEquals(413, reply.status(), "the final status comes directly, without 100 Continue");
            assertEquals("too large", reply.text());
            assertEquals("close", reply.header("Connection"),
                    "the body was never sent, so the connection cannot carry another request");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void aHandlerThrowingHttpExceptionWithoutReadingAnswersWithoutContinueAndCloses() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send(expectHead("/unauthorized", 10));
            RawConnection.Reply reply = c.read();
            assertEquals(401, reply.status());
            assertEquals("who are you", reply.text());
            assertEquals("close", reply.header("Connection"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void aRejectionAfterTheBodyWasConsumedKeepsTheConnection() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            // A non-blocking handler needs the whole body, so the server asks for it at once.
            c.send(expectHead("/inline-reject", 4));
            assertEquals(100, c.read().status());
            c.send("abcd");
            RawConnection.Reply reply = c.read();
            assertEquals(403, reply.status());
            assertEquals("forbidden 4", reply.text());
            assertNull(reply.header("Connection"), "the body was consumed: the connection may persist");
            RawConnection.Reply next = c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz").read();
            assertEquals("got xyz", next.text());
        }
    }

    @Test
    void http10NeverGetsContinue() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            c.send("POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertSilence(c, 300);
            c.send("hello");
            RawConnection.Reply reply = c.read();
            assertEquals(200, reply.status(), "the first thing an HTTP/1.0 client gets is the final response");
            assertEquals("got hello", reply.text());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void noContinueForABodilessRequest() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply reply = c.send("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n").read();
            assertEquals(200, reply.status());
            assertEquals("got ", reply.text());
            c.socket().setSoTimeout(200);
            assertFalse(c.closedByServer());
        }
    }
}
