package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/**
 * {@link HttpServer#stop} is graceful: requests in flight all complete (and close their
 * connections), idle connections close at once, and no new connection is accepted.
 */
class GracefulStopLosesNoInFlightRequestTest {

    private static final int IN_FLIGHT = 200;

    @RepeatedTest(3)
    void everyInFlightRequestCompletesAndNewConnectionsAreRefused() throws Exception {
        CountDownLatch handling = new CountDownLatch(IN_FLIGHT);
        HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/sleep/{i}", (req, res) -> {
                    handling.countDown();
                    Thread.sleep(300);
                    res.send("done " + req.pathParam("i"));
                }))
                .build().start();
        int port = server.port();
        List<RawConnection> clients = new ArrayList<>(IN_FLIGHT);
        try {
            for (int i = 0; i < IN_FLIGHT; i++) {
                RawConnection c = new RawConnection(port, 10_000);
                clients.add(c);
                c.send("GET /sleep/" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
            }
            assertTrue(handling.await(10, TimeUnit.SECONDS), "not all requests reached their handler");

            long t0 = System.nanoTime();
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(5)));
            for (int i = 0; i < IN_FLIGHT; i++) {
                RawConnection c = clients.get(i);
                RawConnection.Reply reply = c.read();
                assertEquals(200, reply.status(), "request " + i);
                assertEquals("done " + i, reply.text(), "request " + i);
                assertEquals("close", reply.header("Connection"), "a response during stop closes its connection");
                assertTrue(c.closedByServer(), "connection " + i + " must be closed after its response");
            }
            assertTrue(stopped.get(10, TimeUnit.SECONDS), "stop must report that every request finished");
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 5_000, "stop took " + millis + " ms for 300 ms handlers");
            assertFalse(server.isRunning());
            assertThrows(IOException.class, () -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                }
            }, "a connection after stop must be refused");
        } finally {
            server.stop(Duration.ZERO);
            for (RawConnection c : clients) {
                c.close();
            }
        }
    }

    @RepeatedTest(3)
    void anIdleKeepAliveConnectionIsClosedPromptlyByStop() throws Exception {
        CountDownLatch busyStarted = new CountDownLatch(1);
        HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/ping", (req, res) -> res.send("pong"))
                        .get("/slow", (req, res) -> {
                            busyStarted.countDown();
                            Thread.sleep(1_000);
                            res.send("slow done");
                        }))
                .build().start();
        try (RawConnection idle = new RawConnection(server.port(), 5_000);
             RawConnection busy = new RawConnection(server.port(), 5_000)) {
            assertEquals("pong", idle.send("GET /ping HTTP/1.1\r\nHost: a\r\n\r\n").read().text());
            busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(busyStarted.await(5, TimeUnit.SECONDS));

            long t0 = System.nanoTime();
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(5)));
            assertTrue(idle.closedByServer(), "the idle connection must be closed by stop");
            long idleClosedMillis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(idleClosedMillis < 500, "the idle connection was closed only after " + idleClosedMillis
                    + " ms: stop must not wait for the busy one first");

            RawConnection.Reply reply = busy.read();
            assertEquals("slow done", reply.text());
            assertEquals("close", reply.header("Connection"));
            assertTrue(stopped.get(10, TimeUnit.SECONDS));
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    @RepeatedTest(2)
    void aRequestStillOverTheGracePeriodIsCutOffAndStopSaysSo() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/stuck", (req, res) -> {
                    started.countDown();
                    Thread.sleep(5_000);
                    res.send("too late");
                }))
                .build().start();
        try (RawConnection c = new RawConnection(server.port(), 5_000)) {
            c.send("GET /stuck HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(started.await(5, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            assertFalse(server.stop(Duration.ofMillis(300)), "stop must report the request it cut off");
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis >= 250 && millis < 2_000, "stop took " + millis + " ms with a 300 ms grace period");
            assertTrue(c.closedByServer(), "the connection of the cut-off request is closed");
        } finally {
            server.stop(Duration.ZERO);
        }
    }
}
