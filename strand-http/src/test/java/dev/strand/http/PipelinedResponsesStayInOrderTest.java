package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.strand.reactor.FiberMode;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pipelined requests sent in one write are answered in request order, even when a later request
 * would finish first were they run in parallel.
 */
class PipelinedResponsesStayInOrderTest {

    private static final int ROUNDS = 2;
    private static final Map<FiberMode, HttpServer> SERVERS = new EnumMap<>(FiberMode.class);

    @BeforeAll
    static void start() {
        for (FiberMode mode : new FiberMode[] {FiberMode.LOOP_CARRIER, FiberMode.JDK_SCHEDULER}) {
            SERVERS.put(mode, HttpServer.builder().host("127.0.0.1").port(0)
                    .config(c -> c.fiberMode(mode))
                    .routing(r -> r
                            .get("/slow/{i}", (req, res) -> {
                                Thread.sleep(Long.parseLong(req.query("ms").orElse("0")));
                                res.send("request " + req.pathParam("i"));
                            })
                            .get("/fast/{i}", Handler.nonBlocking((req, res) -> res.send("request " + req.pathParam("i"))))
                            .post("/echo/{i}", (req, res) -> {
                                Thread.sleep(Long.parseLong(req.query("ms").orElse("0")));
                                res.send("request " + req.pathParam("i") + ": " + req.body().asString());
                            })
                            .post("/echo-inline/{i}", Handler.nonBlocking((req, res) ->
                                    res.send("request " + req.pathParam("i") + ": " + req.body().asString()))))
                    .build().start());
        }
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(HttpServer::close);
    }

    @ParameterizedTest
    @EnumSource(value = FiberMode.class, names = {"LOOP_CARRIER", "JDK_SCHEDULER"})
    void twentyPipelinedGetsComeBackInOrder(FiberMode mode) throws Exception {
        int n = 20;
        for (int round = 0; round < ROUNDS; round++) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < n; i++) {
                if (i % 4 == 3) {
                    all.append("GET /fast/").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
                } else {
                    // Earlier requests sleep longer: run in parallel, later ones would finish first.
                    all.append("GET /slow/").append(i).append("?ms=").append((n - i) * 2)
                            .append(" HTTP/1.1\r\nHost: a\r\n\r\n");
                }
            }
            try (RawConnection c = new RawConnection(SERVERS.get(mode).port())) {
                c.send(all.toString());
                for (int i = 0; i < n; i++) {
                    RawConnection.Reply reply = c.read();
                    assertEquals(200, reply.status(), "response " + i);
                    assertEquals("request " + i, reply.text(), "response " + i + " out of order");
                    assertEquals(null, reply.header("Connection"));
                }
                c.socket().setSoTimeout(200);
                assertFalse(c.closedByServer(), "no extra response, and the connection stays open");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = FiberMode.class, names = {"LOOP_CARRIER", "JDK_SCHEDULER"})
    void pipelinedPostsWithBodiesComeBackInOrder(FiberMode mode) throws Exception {
        int n = 12;
        for (int round = 0; round < ROUNDS; round++) {
            StringBuilder all = new StringBuilder();
            String[] bodies = new String[n];
            for (int i = 0; i < n; i++) {
                // Sizes from empty to well beyond a read buffer, so bodies straddle reads.
                bodies[i] = i == 0 ? "" : ("body" + i + "-").repeat(i * i * 60);
                String path = i % 3 == 2 ? "/echo-inline/" + i : "/echo/" + i + "?ms=" + (n - i) * 2;
                all.append("POST ").append(path).append(" HTTP/1.1\r\nHost: a\r\n");
                if (i % 2 == 1) {
                    all.append("Transfer-Encoding: chunked\r\n\r\n");
                    String body = bodies[i];
                    int half = body.length() / 2;
                    for (String part : new String[] {body.substring(0, half), body.substring(half)}) {
                        if (!part.isEmpty()) {
                            all.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
                        }
                    }
                    all.append("0\r\n\r\n");
                } else {
                    all.append("Content-Length: ").append(bodies[i].length()).append("\r\n\r\n").append(bodies[i]);
                }
            }
            try (RawConnection c = new RawConnection(SERVERS.get(mode).port())) {
                c.send(all.toString());
                for (int i = 0; i < n; i++) {
                    RawConnection.Reply reply = c.read();
                    assertEquals(200, reply.status(), "response " + i);
                    String expected = "request " + i + ": " + bodies[i];
                    String actual = reply.text();
                    assertEquals(expected.length(), actual.length(), "response " + i + " length");
                    assertEquals(expected, actual, "response " + i);
                }
            }
        }
    }
}
