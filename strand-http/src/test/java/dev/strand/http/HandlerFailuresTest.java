package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the client gets when handlers fail, on every dispatch path; and that failures do not spread. */
class HandlerFailuresTest {

    private static final String SECRET = "secret-detail-42";
    private static HttpServer server;
    private static ScheduledExecutorService elsewhere;

    @BeforeAll
    static void start() {
        elsewhere = Executors.newSingleThreadScheduledExecutor();
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r
                        .get("/ok", (req, res) -> res.send("ok"))
                        .get("/boom", (req, res) -> {
                            throw new IllegalStateException(SECRET);
                        })
                        .get("/boom-inline", Handler.nonBlocking((req, res) -> {
                            throw new IllegalStateException(SECRET);
                        }))
                        .get("/boom-after-headers", (req, res) -> {
                            res.status(201).header("X-Set", "yes");
                            throw new IllegalStateException(SECRET);
                        })
                        .get("/teapot", (req, res) -> {
                            throw new HttpException(418, "I'm a teapot");
                        })
                        .get("/teapot-inline", Handler.nonBlocking((req, res) -> {
                            throw new HttpException(418, "I'm a teapot");
                        }))
                        .get("/unavailable", (req, res) -> {
                            throw new HttpException(503, "try later");
                        })
                        .get("/boom-mid-stream", (req, res) -> {
                            OutputStream out = res.outputStream();
                            out.write("partial".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            Thread.sleep(50); // streaming for a while before failing
                            throw new IllegalStateException(SECRET);
                        })
                        .get("/boom-right-after-flush", (req, res) -> {
                            OutputStream out = res.outputStream();
                            out.write("partial".getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            throw new IllegalStateException(SECRET);
                        })
                        .get("/no-send", (req, res) -> res.status(204))
                        .get("/async-later", Handler.async((req, res) -> {
                            CompletableFuture<Void> done = new CompletableFuture<>();
                            elsewhere.schedule(() -> {
                                res.send("later"); // from another thread, after the handler returned
                                done.complete(null);
                            }, 100, TimeUnit.MILLISECONDS);
                            return done;
                        }))
                        .get("/async-unsent", Handler.async((req, res) -> {
                            res.status(202);
                            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
                        }))
                        .get("/async-failed", Handler.async((req, res) -> CompletableFuture.supplyAsync(() -> {
                            throw new IllegalStateException(SECRET);
                        }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))))
                        .get("/async-http-failed", Handler.async((req, res) -> CompletableFuture.failedFuture(
                                new HttpException(429, "slow down"))))
                        .get("/async-throws", Handler.async((req, res) -> {
                            throw new IllegalStateException(SECRET);
                        }))
                        .post("/inline-body", Handler.nonBlocking((req, res) -> {
                            byte[] body = req.body().bytes();
                            res.send(body.length + " " + sha256(body));
                        })))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
        elsewhere.shutdownNow();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static RawConnection.Reply get(RawConnection c, String path) throws Exception {
        return c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").read();
    }

    private static void assertUsable(RawConnection c) throws Exception {
        RawConnection.Reply next = get(c, "/ok");
        assertEquals(200, next.status(), "the connection must stay usable after a handled failure");
        assertEquals("ok", next.text());
    }

    private static void assertNoDetails(RawConnection.Reply reply) {
        String text = reply.text();
        assertFalse(text.contains(SECRET), "the exception message leaked: " + text);
        assertFalse(text.contains("Exception") || text.contains("\tat ") || text.contains("dev.strand"),
                "a stack trace leaked: " + text);
    }

    @Test
    void aThrowingHandlerGetsA500WithoutDetailsAndTheConnectionGoesOn() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            for (String path : new String[] {"/boom", "/boom-inline", "/boom-after-headers"}) {
                RawConnection.Reply reply = get(c, path);
                assertEquals(500, reply.status(), path);
                assertNoDetails(reply);
                assertNull(reply.header("X-Set"), "headers of the failed response are dropped");
                assertNull(reply.header("Connection"), path);
                assertUsable(c);
            }
        }
    }

    @Test
    void anHttpExceptionGivesItsStatusAndMessage() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            for (String path : new String[] {"/teapot", "/teapot-inline"}) {
                RawConnection.Reply reply = get(c, path);
                assertEquals(418, reply.status(), path);
                assertEquals("I'm a teapot", reply.text(), path);
                assertUsable(c);
            }
            RawConnection.Reply unavailable = get(c, "/unavailable");
            assertEquals(503, unavailable.status());
            assertEquals("try later", unavailable.text());
            assertUsable(c);
        }
    }

    @Test
    void aHandlerThrowingMidStreamClosesTheConnectionSoTheBodyIsVisiblyTruncated() throws Exception {
        assertTruncatedChunkedBody("/boom-mid-stream");
    }

    @Test
    void aHandlerThrowingRightAfterAFlushStillDeliversWhatItFlushed() throws Exception {
        assertTruncatedChunkedBody("/boom-right-after-flush");
    }

    private static void assertTruncatedChunkedBody(String path) throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            String raw = c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClose();
            assertTrue(raw.startsWith("HTTP/1.1 200 "), "the response had started: its head must arrive, got '" + raw + "'");
            assertTrue(raw.contains("Transfer-Encoding: chunked"), raw);
            String body = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            assertTrue(body.startsWith("7\r\npartial\r\n"), "the chunk flushed before the failure arrives: " + body);
            assertFalse(body.contains("0\r\n\r\n"), "no last chunk: the client must see the body is incomplete: " + body);
            assertFalse(raw.contains(SECRET));
        }
        // The server itself is fine.
        try (RawConnection c = new RawConnection(server.port())) {
            assertUsable(c);
        }
    }

    @Test
    void aHandlerReturningWithoutSendingGetsAnEmptyResponseWithItsStatus() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply reply = get(c, "/no-send");
            assertEquals(204, reply.status());
            assertEquals(0, reply.body().length);
            assertUsable(c);
        }
    }

    @Test
    void anAsyncHandlerCompletesLaterFromAnotherThread() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply reply = get(c, "/async-later");
            assertEquals(200, reply.status());
            assertEquals("later", reply.text());
            RawConnection.Reply unsent = get(c, "/async-unsent");
            assertEquals(202, unsent.status(), "a completed future sends the response as set so far");
            assertEquals(0, unsent.body().length);
            assertUsable(c);
        }
    }

    @Test
    void aFailedFutureGivesA500OrItsHttpStatus() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            for (String path : new String[] {"/async-failed", "/async-throws"}) {
                RawConnection.Reply reply = get(c, path);
                assertEquals(500, reply.status(), path);
                assertNoDetails(reply);
                assertUsable(c);
            }
            RawConnection.Reply limited = get(c, "/async-http-failed");
            assertEquals(429, limited.status());
            assertEquals("slow down", limited.text());
            assertUsable(c);
        }
    }

    @Test
    void aNonBlockingHandlerSeesTheWholeBody() throws Exception {
        byte[] body = new byte[300 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 7 + i / 1000);
        }
        String expected = body.length + " " + sha256(body);
        try (RawConnection c = new RawConnection(server.port())) {
            // Content-Length, arriving in pieces with pauses between them.
            c.send("POST /inline-body HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length + "\r\n\r\n");
            for (int off = 0; off < body.length; off += 50 * 1024) {
                c.send(java.util.Arrays.copyOfRange(body, off, Math.min(body.length, off + 50 * 1024)));
                Thread.sleep(10); // pacing: the body trickles in over several reads
            }
            assertEquals(expected, c.read().text());
            // Chunked, likewise.
            c.send("POST /inline-body HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int off = 0; off < body.length; off += 40 * 1024) {
                int n = Math.min(body.length - off, 40 * 1024);
                c.send((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                c.send(java.util.Arrays.copyOfRange(body, off, off + n));
                c.send("\r\n");
                Thread.sleep(5); // pacing
            }
            c.send("0\r\n\r\n");
            assertEquals(expected, c.read().text());
        }
    }
}
