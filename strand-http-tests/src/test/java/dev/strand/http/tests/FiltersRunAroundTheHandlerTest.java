package dev.strand.http.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.Filter;
import dev.strand.http.Handler;
import dev.strand.http.RouteOptions;
import dev.strand.http.Routing;
import dev.strand.testkit.CheckLeaks;
import dev.strand.testkit.ServerTest;
import dev.strand.testkit.ServerTest.Mode;
import dev.strand.testkit.SetUpRoutes;
import dev.strand.testkit.TestClient;
import dev.strand.testkit.TestResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Filters: global ones outside a route's own, each around the rest of the chain; a filter that does
 * not proceed ends the request; after handlers run once the handler is done and see its status.
 * Filters add an {@code X-Trace} field on the way in and out, so the order shows in the response.
 */
@ServerTest(modes = {Mode.SOCKET, Mode.IN_MEMORY})
@CheckLeaks
class FiltersRunAroundTheHandlerTest {

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

    @SetUpRoutes
    static void routes(Routing r) {
        r.get("/traced", RouteOptions.builder().filter(tracing("route1")).filter(tracing("route2")).build(), (req, res) -> {
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
                .after((req, res) -> seenAfter.add(req.path() + " " + res.status() + " " + res.isCommitted()));
    }

    @BeforeEach
    void reset() {
        handlerRuns.set(0);
        seenAfter.clear();
    }

    private static List<String> trace(TestResponse reply) {
        return reply.headers().getOrDefault("x-trace", List.of());
    }

    private static String nextSeenAfter() throws InterruptedException {
        String seen = seenAfter.poll(5, TimeUnit.SECONDS);
        assertTrue(seen != null, "no after handler ran");
        return seen;
    }

    @Test
    void globalFiltersWrapTheRoutesOwnWhichWrapTheHandler(TestClient client) {
        TestResponse reply = client.get("/traced");
        assertEquals(200, reply.status());
        assertEquals(List.of("global1>", "global2>", "route1>", "route2>", "handler", "<route2", "<route1", "<global2", "<global1"),
                trace(reply), "global filters apply to routes declared before them too");
    }

    @Test
    void aFilterThatDoesNotProceedEndsTheRequest(TestClient client) throws InterruptedException {
        TestResponse denied = client.request("GET", "/traced", Map.of("X-Deny", "yes"), new byte[0]);
        assertEquals(401, denied.status());
        assertEquals("denied", denied.text());
        assertEquals(List.of("global1>"), trace(denied), "nothing after the before handler that answered runs");
        assertEquals("/traced 401 true", nextSeenAfter(), "after handlers still run");

        TestResponse silent = client.get("/silent-filter");
        assertEquals(204, silent.status(), "a filter that neither proceeds nor sends gets an empty response");
        assertEquals(0, handlerRuns.get(), "the handler never ran");
        assertEquals("/silent-filter 204 false", nextSeenAfter(), "after handlers run before the empty response is sent");
    }

    @Test
    void afterHandlersSeeTheStatusTheHandlerOrItsFailureSet(TestClient client) throws InterruptedException {
        assertEquals(201, client.get("/created").status());
        assertEquals("/created 201 true", nextSeenAfter());
        assertEquals(500, client.get("/failing").status());
        assertEquals("/failing 500 true", nextSeenAfter());
    }

    @Test
    void onAnAsyncRouteAfterHandlersRunOnceTheFutureCompletes(TestClient client) throws InterruptedException {
        TestResponse reply = client.get("/async");
        assertEquals(202, reply.status());
        assertEquals("/async 202 true", nextSeenAfter(), "the after handler saw the response the future completed");
    }

    @Test
    void aFilterSeesWhatTheHandlerThrowsAndMayAnswerIt(TestClient client) {
        TestResponse reply = client.get("/caught");
        assertEquals(409, reply.status());
        assertEquals("conflict: taken", reply.text());
    }

    @Test
    void proceedingTwiceIsAFailureAndTheHandlerRunsOnce(TestClient client) throws InterruptedException {
        assertEquals(500, client.get("/twice").status());
        assertEquals(1, handlerRuns.get());
        assertEquals("/twice 500 true", nextSeenAfter());
    }

    @Test
    void globalFiltersAndAfterHandlersAlsoSeeTheDefault404(TestClient client) throws InterruptedException {
        TestResponse reply = client.get("/nowhere");
        assertEquals(404, reply.status());
        assertEquals(List.of("global1>", "global2>"), trace(reply), "the default 404 sends before the filters unwind");
        assertEquals("/nowhere 404 true", nextSeenAfter());
    }
}
