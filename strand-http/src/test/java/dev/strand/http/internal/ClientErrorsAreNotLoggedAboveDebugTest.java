package dev.strand.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.Await;
import dev.strand.http.Handler;
import dev.strand.http.HttpServer;
import dev.strand.http.LogCapture;
import dev.strand.http.RawConnection;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client's bad input is the client's error: it gets its 4xx, and the server logs it at DEBUG at
 * most, so that one client cannot fill the log — even when a handler was reading the body that
 * turned out malformed, or the client reset the connection under it. A handler's own bug is still
 * logged as an error, rate-limited: once with its stack trace, then a count per interval.
 */
class ClientErrorsAreNotLoggedAboveDebugTest {

    private static final int ROUNDS = 20;
    private static HttpServer server;

    @BeforeAll
    static void start() {
        Handler echo = (req, res) -> res.send(String.valueOf(req.body().bytes().length));
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .config(c -> c.loops(2).maxBodySize(1024 * 1024))
                .routing(r -> r.post("/echo", echo)
                        .post("/echo-inline", Handler.nonBlocking(echo))
                        .get("/bug", (req, res) -> {
                            throw new IllegalStateException("a handler's own bug");
                        })
                        .get("/always-failing", (req, res) -> {
                            throw new ArithmeticException("a handler that fails every time");
                        }))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.stop(Duration.ofSeconds(2));
    }

    private static String chunkedHead(String path) {
        return "POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    }

    @Test
    void malformedBodiesUnderAReadingHandlerAreNotLoggedAboveDebug() throws Exception {
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < ROUNDS; i++) {
                for (String path : List.of("/echo", "/echo-inline")) {
                    // The handler starts on the head and is reading when the bad chunk line arrives.
                    String[] bodies = {
                        "5\r\nhello\r\nFFFFFFFFFFFFFFFF\r\n",
                        "5\r\nhello\r\nzz\r\n",
                        "5\r\nhello\r\n5;ext=\u0001\r\n",
                        "5\r\nhelloX\r\n",
                    };
                    for (String body : bodies) {
                        try (RawConnection c = new RawConnection(server.port())) {
                            RawConnection.Reply reply = c.send(chunkedHead(path)).send(body).read();
                            assertTrue(reply.status() == 400 || reply.status() == 413, "got " + reply.status());
                        }
                    }
                }
            }
            assertEquals(List.of(), log.atOrAbove(Level.INFO), "nothing logged at INFO or above");
        }
    }

    @Test
    void clientsResettingOrClosingMidBodyAreNotLoggedAboveDebug() throws Exception {
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < ROUNDS; i++) {
                try (RawConnection c = new RawConnection(server.port())) {
                    c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n" + "b".repeat(10));
                    c.reset();
                }
                try (RawConnection c = new RawConnection(server.port())) {
                    c.send(chunkedHead("/echo") + "5\r\nhel");
                    c.socket().shutdownOutput();
                    c.readUntilClose();
                }
            }
            // Let the handlers of the reset connections finish failing before looking.
            try (RawConnection c = new RawConnection(server.port())) {
                assertEquals(200, c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx").read().status());
            }
            Await.until(Duration.ofSeconds(5), () -> ((StrandServer) server).connectionsAndQueuedOutput()[0] == 0,
                    "every connection is released");
            assertEquals(List.of(), log.atOrAbove(Level.INFO), "nothing logged at INFO or above");
        }
    }

    @Test
    void aHandlerThatAlwaysFailsIsLoggedOnceNotOncePerRequest() throws Exception {
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 200; i++) {
                try (RawConnection c = new RawConnection(server.port())) {
                    assertEquals(500, c.send("GET /always-failing HTTP/1.1\r\nHost: a\r\n\r\n").read().status());
                }
            }
            // The first with its stack trace, then at most a count per 10 s interval: nowhere near
            // one record per request.
            List<String> records = log.atOrAbove(Level.SEVERE);
            assertTrue(!records.isEmpty() && records.size() <= 3, records.toString());
            assertTrue(records.getFirst().contains("ArithmeticException"), records.getFirst());
        }
    }

    @Test
    void aHandlersOwnBugIsStillLoggedAsAnError() throws Exception {
        try (LogCapture log = new LogCapture();
             RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply reply = c.send("GET /bug HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertEquals(500, reply.status());
            assertFalse(reply.text().contains("IllegalStateException"), "no exception detail to the client");
            Await.until(Duration.ofSeconds(5), () -> !log.atOrAbove(Level.SEVERE).isEmpty(), "the bug is logged");
            assertTrue(log.atOrAbove(Level.SEVERE).getFirst().contains("a handler's own bug"), log.atOrAbove(Level.SEVERE).toString());
        }
    }
}
