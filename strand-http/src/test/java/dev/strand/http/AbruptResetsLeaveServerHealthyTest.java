package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.strand.reactor.FiberMode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client resetting its connection (RST) at any stage of an exchange leaves the server healthy:
 * handlers waiting on the connection fail or finish, the connection is released, and others are
 * served as before.
 */
class AbruptResetsLeaveServerHealthyTest {

    /** Small, so a leaked connection shows: the server would refuse one of this many. */
    private static final int CAPACITY = 4;
    private static final int REPETITIONS = 2;
    private static final int LARGE = 64 * 1024 * 1024;

    private static final Map<FiberMode, HttpServer> SERVERS = new EnumMap<>(FiberMode.class);
    private static final Map<String, CompletableFuture<Void>> STARTED = new ConcurrentHashMap<>();
    /** What each handler ended with: null when it finished normally, else its failure. */
    private static final Map<String, CompletableFuture<Throwable>> OUTCOMES = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();

    enum Stage {
        RIGHT_AFTER_CONNECT, MID_REQUEST_LINE, MID_HEADERS, AFTER_HEAD_BEFORE_BODY, MID_LENGTH_BODY,
        MID_CHUNKED_BODY, AFTER_REQUEST_BEFORE_RESPONSE, MID_STREAMED_RESPONSE, WHILE_HANDLER_SLEEPS
    }

    @BeforeAll
    static void start() {
        for (FiberMode mode : new FiberMode[] {FiberMode.LOOP_CARRIER, FiberMode.JDK_SCHEDULER}) {
            SERVERS.put(mode, HttpServer.builder().host("127.0.0.1").port(0)
                    .config(c -> c.fiberMode(mode).maxConnections(CAPACITY))
                    .routing(r -> r
                            .get("/ping", (req, res) -> res.send("pong"))
                            .get("/ping-inline", Handler.nonBlocking((req, res) -> res.send("pong")))
                            .post("/body", (req, res) -> {
                                String id = req.query("id").orElseThrow();
                                started(id).complete(null);
                                try {
                                    byte[] body = req.body().bytes();
                                    outcome(id).complete(null);
                                    res.send("read " + body.length);
                                } catch (UncheckedIOException e) {
                                    outcome(id).complete(e.getCause());
                                    throw e;
                                }
                            })
                            .get("/large", (req, res) -> {
                                String id = req.query("id").orElseThrow();
                                started(id).complete(null);
                                byte[] block = new byte[64 * 1024];
                                try (OutputStream out = res.outputStream()) {
                                    for (int sent = 0; sent < LARGE; sent += block.length) {
                                        out.write(block);
                                    }
                                    outcome(id).complete(null);
                                } catch (IOException e) {
                                    outcome(id).complete(e);
                                    throw e;
                                }
                            })
                            .get("/sleep", (req, res) -> {
                                String id = req.query("id").orElseThrow();
                                started(id).complete(null);
                                Thread.sleep(300);
                                res.send("slept");
                                outcome(id).complete(null);
                            }))
                    .build().start());
        }
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(HttpServer::close);
    }

    private static CompletableFuture<Void> started(String id) {
        return STARTED.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    private static CompletableFuture<Throwable> outcome(String id) {
        return OUTCOMES.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    static Stream<Arguments> cases() {
        return Stream.of(FiberMode.LOOP_CARRIER, FiberMode.JDK_SCHEDULER)
                .flatMap(mode -> Stream.of(Stage.values()).map(stage -> Arguments.of(mode, stage)));
    }

    @ParameterizedTest(name = "{0}: reset {1}")
    @MethodSource("cases")
    void aResetLeavesTheServerHealthy(FiberMode mode, Stage stage) throws Exception {
        HttpServer server = SERVERS.get(mode);
        int exercised = 0;
        for (int attempt = 0; exercised < REPETITIONS && attempt < 10; attempt++) {
            if (resetAt(server, stage)) {
                exercised++;
            }
            assertHealthy(server);
        }
        assertEquals(REPETITIONS, exercised, "the server kept refusing the connection to reset");
    }

    /**
     * Resets a connection at {@code stage}; false when the server turned the connection away with
     * 503 (the health check's connections, just closed, may not all be released yet).
     */
    private static boolean resetAt(HttpServer server, Stage stage) throws Exception {
        String id = stage + "-" + IDS.incrementAndGet();
        RawConnection c = new RawConnection(server.port());
        switch (stage) {
            case RIGHT_AFTER_CONNECT -> c.reset();
            case MID_REQUEST_LINE -> {
                c.send("GET /pi");
                c.reset();
            }
            case MID_HEADERS -> {
                c.send("GET /ping HTTP/1.1\r\nHost: a\r\nX-Half: val");
                c.reset();
            }
            case AFTER_HEAD_BEFORE_BODY -> {
                c.send("POST /body?id=" + id + " HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n");
                if (!resetOnceStarted(c, id)) {
                    return false;
                }
                assertHandlerFailedWithIOException(id);
            }
            case MID_LENGTH_BODY -> {
                c.send("POST /body?id=" + id + " HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n" + "b".repeat(50));
                if (!resetOnceStarted(c, id)) {
                    return false;
                }
                assertHandlerFailedWithIOException(id);
            }
            case MID_CHUNKED_BODY -> {
                c.send("POST /body?id=" + id + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "32\r\n" + "b".repeat(50) + "\r\n10\r\nabc");
                if (!resetOnceStarted(c, id)) {
                    return false;
                }
                assertHandlerFailedWithIOException(id);
            }
            case AFTER_REQUEST_BEFORE_RESPONSE -> {
                c.send("GET /ping HTTP/1.1\r\nHost: a\r\n\r\nGET /ping-inline HTTP/1.1\r\nHost: a\r\n\r\n");
                c.reset();
            }
            case MID_STREAMED_RESPONSE -> {
                c.send("GET /large?id=" + id + " HTTP/1.1\r\nHost: a\r\n\r\n");
                byte[] some;
                try {
                    some = c.socket().getInputStream().readNBytes(1024 * 1024);
                } catch (IOException e) {
                    c.close();
                    return false; // refused: the 503 was cut short by a reset, as our request went unread
                }
                if (some.length < 1024 * 1024 && new String(some, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 503 ")) {
                    c.close();
                    return false;
                }
                assertEquals(1024 * 1024, some.length);
                c.reset();
                assertHandlerFailedWithIOException(id);
            }
            case WHILE_HANDLER_SLEEPS -> {
                c.send("GET /sleep?id=" + id + " HTTP/1.1\r\nHost: a\r\n\r\n");
                if (!resetOnceStarted(c, id)) {
                    return false;
                }
                // The handler is not leaked: it wakes, answers into the void, and returns.
                assertNull(outcome(id).get(5, TimeUnit.SECONDS));
            }
        }
        return true;
    }

    /** Resets once the handler runs; false (and no reset) when the server refused the connection. */
    private static boolean resetOnceStarted(RawConnection c, String id) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!started(id).isDone()) {
            if (c.socket().getInputStream().available() > 0) {
                RawConnection.Reply refused = c.read();
                assertEquals(503, refused.status(), "the server answered before the handler started");
                c.close();
                return false;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the handler of " + id + " never started");
            }
            Thread.sleep(1); // polling for the handler to start or a refusal to arrive
        }
        c.reset();
        return true;
    }

    private static void assertHandlerFailedWithIOException(String id) throws Exception {
        Throwable failure = outcome(id).get(5, TimeUnit.SECONDS);
        assertInstanceOf(IOException.class, failure, "a handler using a reset connection must get an IOException");
    }

    /**
     * The server answers, and its connection count is back to normal: {@link #CAPACITY} connections
     * at once are all served (a leaked one would make the server refuse one with 503).
     */
    private static void assertHealthy(HttpServer server) throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply reply = c.send("GET /ping HTTP/1.1\r\nHost: a\r\n\r\n").read();
            if (reply.status() != 503) { // 503: the reset connection is not released yet, see below
                assertEquals(200, reply.status());
                assertEquals("pong", reply.text());
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        String last = "";
        while (System.nanoTime() - deadline < 0) {
            List<RawConnection> all = new ArrayList<>();
            try {
                int served = 0;
                for (int i = 0; i < CAPACITY; i++) {
                    all.add(new RawConnection(server.port()));
                }
                for (RawConnection c : all) {
                    RawConnection.Reply reply = c.send("GET /ping HTTP/1.1\r\nHost: a\r\n\r\n").read();
                    if (reply.status() == 200) {
                        served++;
                    }
                }
                if (served == CAPACITY) {
                    return;
                }
                last = served + " of " + CAPACITY + " served";
            } catch (IOException e) {
                last = e.toString(); // refused and closed before the 503 was read
            } finally {
                for (RawConnection c : all) {
                    c.close();
                }
            }
        }
        throw new AssertionError("the server did not get back to " + CAPACITY + " free connections: " + last);
    }
}
