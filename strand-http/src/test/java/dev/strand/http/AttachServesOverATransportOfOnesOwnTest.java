package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpServer#attach} serves HTTP/1.1 over a byte stream that is not a socket, from any
 * thread, with the transport driven on a loop only; the connection is one of the server's, so a
 * graceful stop waits for its request; and attaching before start or after stop is refused.
 */
class AttachServesOverATransportOfOnesOwnTest {

    private static HttpServer.Builder server() {
        return HttpServer.builder().config(c -> c.listen(false).loops(2))
                .routing(r -> r.get("/hello/{name}", (req, res) -> res.send("Hello " + req.pathParam("name"))));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOverTheTransportOnItsLoop() throws Exception {
        try (HttpServer server = server().build().start()) {
            ScriptedTransport transport = new ScriptedTransport("GET /hello/a HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /hello/b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true);
            server.attach(transport); // from the test thread
            String written = transport.closed().get(10, TimeUnit.SECONDS);
            int first = written.indexOf("HTTP/1.1 200 ");
            int second = written.indexOf("HTTP/1.1 200 ", first + 1);
            assertTrue(first == 0 && second > 0, written);
            assertTrue(written.indexOf("Hello a") < second && written.endsWith("Hello b"), written);
            assertEquals(List.of(), transport.offLoopCalls());
        }
    }

    @Test
    void aGracefulStopWaitsForTheAttachedConnectionsRequest() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.builder().config(c -> c.listen(false).loops(1))
                .routing(r -> r.get("/slow", (req, res) -> {
                    started.countDown();
                    if (!release.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                    res.send("done");
                }))
                .build().start();
        try {
            ScriptedTransport transport = new ScriptedTransport("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n", false);
            server.attach(transport);
            assertTrue(started.await(10, TimeUnit.SECONDS), "the request did not reach its handler");
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(10)));
            Await.until(Duration.ofSeconds(10), () -> !server.isRunning(), "stop began");
            assertFalse(transport.closed().isDone(), "stop closed the busy attached connection at once");
            release.countDown();
            assertTrue(stopped.get(15, TimeUnit.SECONDS), "stop must see the attached request finish");
            String written = transport.closed().get(10, TimeUnit.SECONDS);
            assertTrue(written.startsWith("HTTP/1.1 200 ") && written.endsWith("done"), written);
            assertTrue(written.contains("\r\nConnection: close\r\n"), written);
        } finally {
            release.countDown();
            server.stop(Duration.ZERO);
        }
    }

    @Test
    void anAttachedConnectionCountsAgainstTheConnectionLimit() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (HttpServer server = HttpServer.builder().config(c -> c.listen(false).loops(1).maxConnections(1))
                .routing(r -> r.get("/slow", (req, res) -> {
                    started.countDown();
                    if (!release.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                    res.send("done");
                }).get("/hello/{name}", (req, res) -> res.send("Hello " + req.pathParam("name"))))
                .build().start()) {
            ScriptedTransport first = new ScriptedTransport("GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false);
            server.attach(first);
            assertTrue(started.await(10, TimeUnit.SECONDS), "the first request did not reach its handler");
            ScriptedTransport second = new ScriptedTransport("GET /hello/b HTTP/1.1\r\nHost: x\r\n\r\n", true);
            server.attach(second);
            assertEquals("", second.closed().get(10, TimeUnit.SECONDS), "over the limit: closed unserved");
            release.countDown();
            assertTrue(first.closed().get(10, TimeUnit.SECONDS).endsWith("done"));
        } finally {
            release.countDown();
        }
    }

    @Test
    void attachingBeforeStartOrAfterStopIsRefused() {
        HttpServer server = server().build();
        IllegalStateException early = assertThrows(IllegalStateException.class,
                () -> server.attach(new ScriptedTransport("", true)));
        assertTrue(early.getMessage().contains("not started"), early.getMessage());
        server.start();
        server.stop(Duration.ofSeconds(5));
        IllegalStateException late = assertThrows(IllegalStateException.class,
                () -> server.attach(new ScriptedTransport("", true)));
        assertTrue(late.getMessage().contains("stopped"), late.getMessage());
        assertThrows(NullPointerException.class, () -> server.attach(null));
    }
}
