package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.FiberMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Thousands of idle connections (kept alive after a request, or connected and silent) cost the
 * loops nothing: a new client is served at once, and the idle ones are neither dropped nor starved.
 */
class IdleConnectionsDoNotStarveNewClientsTest {

    private static final int KEPT_ALIVE = 1_000;
    private static final int SILENT = 1_000;

    @ParameterizedTest
    @EnumSource(value = FiberMode.class, names = {"LOOP_CARRIER", "JDK_SCHEDULER"})
    void twoThousandIdleConnectionsDoNotDelayANewClient(FiberMode mode) throws Exception {
        List<RawConnection> keptAlive = new ArrayList<>(KEPT_ALIVE);
        List<RawConnection> silent = new ArrayList<>(SILENT);
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .config(c -> c.fiberMode(mode))
                .routing(r -> r.get("/ping", (req, res) -> res.send("pong " + req.query("i").orElse("-")))
                        .get("/inline", Handler.nonBlocking((req, res) -> res.send("inline"))))
                .build().start()) {
            try {
                for (int i = 0; i < KEPT_ALIVE; i++) {
                    keptAlive.add(new RawConnection(server.port(), 10_000));
                }
                // One request each, all written before any is read: they are then idle keep-alive.
                for (int i = 0; i < KEPT_ALIVE; i++) {
                    keptAlive.get(i).send("GET /ping?i=" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                }
                for (int i = 0; i < KEPT_ALIVE; i++) {
                    assertEquals("pong " + i, keptAlive.get(i).read().text());
                }
                for (int i = 0; i < SILENT; i++) {
                    silent.add(new RawConnection(server.port(), 10_000));
                }

                // A new client, on both dispatch paths, is served at once.
                for (String path : new String[] {"/ping?i=new", "/inline", "/ping?i=new"}) {
                    long t0 = System.nanoTime();
                    try (RawConnection fresh = new RawConnection(server.port())) {
                        RawConnection.Reply reply = fresh.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").read();
                        assertEquals(200, reply.status());
                    }
                    long millis = (System.nanoTime() - t0) / 1_000_000;
                    assertTrue(millis < 1_000, "a new client next to 2,000 idle ones waited " + millis + " ms");
                }

                // None of the idle connections was dropped: each is served again on its own socket.
                for (int i = 0; i < KEPT_ALIVE; i++) {
                    keptAlive.get(i).send("GET /ping?i=again" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                }
                for (int i = 0; i < SILENT; i++) {
                    silent.get(i).send("GET /ping?i=first" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                }
                for (int i = 0; i < KEPT_ALIVE; i++) {
                    assertEquals("pong again" + i, read(keptAlive.get(i), "kept-alive connection " + i));
                }
                for (int i = 0; i < SILENT; i++) {
                    assertEquals("pong first" + i, read(silent.get(i), "silent connection " + i));
                }
            } finally {
                for (RawConnection c : keptAlive) {
                    c.close();
                }
                for (RawConnection c : silent) {
                    c.close();
                }
            }
        }
    }

    private static String read(RawConnection c, String what) {
        try {
            return c.read().text();
        } catch (IOException e) {
            throw new AssertionError(what + " was dropped by the server", e);
        }
    }
}
