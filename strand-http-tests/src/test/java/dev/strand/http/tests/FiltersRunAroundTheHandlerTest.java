package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Filters: global ones outside a route's own, each around the rest of the chain; a filter that does
 * not proceed ends the request; after handlers run once the handler is done and see its status.
 * Filters add an {@code X-Trace} field on the way in and out, so the order shows in the response.
 */
class FiltersRunAroundTheHandlerTest {

    private static HttpServer server;
    private static final AtomicInteger handlerRuns = new AtomicInteger();
    /** What after handlers saw: "path status committed". */
    private static final BlockingQueue<String> seenAfter = new LinkedBlockingQueue<>();

    private static Filter tracing(String name) {
        return (req, res, next) -> {
            res.header("X-Trace", name + ">");
            next.proceed();
            if (!res.isCommitted()) {
                res.header("X-Trace", "<" + name);
            }
        };
    }

    @BeforeAll
    static void start() {
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r
                        .get("/traced", RouteOptions.builder().filter(tracing("route1")).filter(tracing("route2")).build(),
                                (req, res) -> {
                                    handlerRuns.incrementAndGet();
                                    res.header("X-Trace", "handler");
                                })
                        .filter(tracing("global1"))
                        .before((req, res) -> {
                            if (req.header("X-Deny").isPresent()) {
                                res.status(401).send("denied");
                            }
                        })
                        .filter(tracing("global2"))
                        .get("/created", Handler.nonBlocking((req, res) -> {
                            handlerRuns.incrementAndGet();
                            res.status(201).send("made");
                        }))
                        .get("/failing", (req, res) -> {
                            throw new IllegalStateException("expected by the test");
                        })
                        .get("/silent-filter", RouteOptions.builder().filter((req, res, next) -> res.status(204)).build(),
                                (req, res) -> handlerRuns.incrementAndGet())
                        .get("/twice", RouteOptions.builder().filter((req, res, next) -> {
                            next.proceed();
                            next.proceed();
                        }).build(), (req, res) -> handlerRuns.incrementAndGet())
                        .get("/caught", RouteOptions.builder().filter((req, res, next) -> {
                            try {
                                next.proceed();
                            } catch (IllegalArgumentException e) {
                                res.status(409).send("conflict: " + e.getMessage());
                            }
                        }).build(), (req, res) -> {
                            throw new IllegalArgumentException("taken");
                        })
                        .get("/async", Handler.async((req, res) -> CompletableFuture.runAsync(
                                () -> res.status(202).send("later"), CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))))
                        .after((req, res) -> seenAfter.add(req.path() + " " + res.status() + " " + res.isCommitted())))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        handlerRuns.set(0);
        seenAfter.clear();
    }

    private static RawConnection.Reply get(String path, String... headerLines) throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: a\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            return c.send(request.append("\r\n").toString()).read();
        }
    }

    private static List<String> trace(RawConnection.Reply reply) {
        return reply.rawHeaderLines().stream().filter(l -> l.startsWith("X-Trace: ")).map(l -> l.substring(9)).toList();
    }

    private static String nextSeenAfter() throws InterruptedException {
        String seen = seenAfter.poll(5, TimeUnit.SECONDS);
        assertTrue(seen != null, "no after handler ran");
        return seen;
    }

    @Test
    void globalFiltersWrapTheRoutesOwnWhichWrapTheHandler() throws Exception {
        RawConnection.Reply reply = get("/traced");
        assertEquals(200, reply.status());
        assertEquals(List.of("global1>", "global2>", "route1>", "route2>", "handler", "<route2", "<route1", "<global2", "<global1"),
                trace(reply), "global filters apply to routes declared before them too");
    }

    @Test
    void aFilterThatDoesNotProceedEndsTheRequest() throws Exception {
        RawConnection.Reply denied = get("/traced", "X-Deny: yes");
        assertEquals(401, denied.status());
        assertEquals("denied", denied.text());
        assertEquals(List.of("global1>"), trace(denied), "nothing after the before handler that answered runs");
        assertEquals("/traced 401 true", nextSeenAfter(), "after handlers still run");

        RawConnection.Reply silent = get("/silent-filter");
        assertEquals(204, silent.status(), "a filter that neither proceeds nor sends gets an empty response");
        assertEquals(0, handlerRuns.get(), "the handler never ran");
        assertEquals("/silent-filter 204 false", nextSeenAfter(), "after handlers run before the empty response is sent");
    }

    @Test
    void afterHandlersSeeTheStatusTheHandlerOrItsFailureSet() throws Exception {
        assertEquals(201, get("/created").status());
        assertEquals("/created 201 true", nextSeenAfter());
        assertEquals(500, get("/failing").status());
        assertEquals("/failing 500 true", nextSeenAfter());
    }

    @Test
    void onAnAsyncRouteAfterHandlersRunOnceTheFutureCompletes() throws Exception {
        RawConnection.Reply reply = get("/async");
        assertEquals(202, reply.status());
        assertEquals("/async 202 true", nextSeenAfter(), "the after handler saw the response the future completed");
    }

    @Test
    void aFilterSeesWhatTheHandlerThrowsAndMayAnswerIt() throws Exception {
        RawConnection.Reply reply = get("/caught");
        assertEquals(409, reply.status());
        assertEquals("conflict: taken", reply.text());
    }

    @Test
    void proceedingTwiceIsAFailureAndTheHandlerRunsOnce() throws Exception {
        assertEquals(500, get("/twice").status());
        assertEquals(1, handlerRuns.get());
        assertEquals("/twice 500 true", nextSeenAfter());
    }

    @Test
    void globalFiltersAndAfterHandlersAlsoSeeTheDefault404() throws Exception {
        RawConnection.Reply reply = get("/nowhere");
        assertEquals(404, reply.status());
        assertEquals(List.of("global1>", "global2>"), trace(reply), "the default 404 sends before the filters unwind");
        assertEquals("/nowhere 404 true", nextSeenAfter());
    }
}
