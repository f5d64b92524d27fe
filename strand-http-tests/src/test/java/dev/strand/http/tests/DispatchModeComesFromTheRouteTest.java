package dev.strand.http.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.DispatchMode;
import dev.strand.http.Filter;
import dev.strand.http.Handler;
import dev.strand.http.HttpServer;
import dev.strand.http.RouteOptions;
import dev.strand.http.Routing;
import dev.strand.reactor.EventLoop;
import dev.strand.testkit.CheckLeaks;
import dev.strand.testkit.ServerTest;
import dev.strand.testkit.ServerTest.Mode;
import dev.strand.testkit.SetUpRoutes;
import dev.strand.testkit.TestClient;
import dev.strand.testkit.TestResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * How a handler runs is its route's: the mode it was declared with, whatever filters wrap it. Each
 * route answers where its handler ran, and a header says where the filters ran.
 */
@ServerTest(modes = {Mode.SOCKET, Mode.IN_MEMORY})
@CheckLeaks
class DispatchModeComesFromTheRouteTest {

    /** "loop" on a loop's own thread, "fiber" on a virtual thread, else the thread's name. */
    static String where() {
        Thread self = Thread.currentThread();
        if (self.isVirtual()) {
            return "fiber";
        }
        return EventLoop.current().isPresent() ? "loop" : self.getName();
    }

    /** Wraps whatever follows, as a decorator would, and says where it ran. */
    private static final Filter DECORATOR = (req, res, next) -> {
        res.header("X-Filter", where());
        next.proceed();
    };

    @SetUpRoutes
    static void routes(Routing r) {
        r.filter(DECORATOR)
                .get("/plain", (req, res) -> res.send(where()))
                .get("/marked", Handler.nonBlocking((req, res) -> res.send(where())))
                .get("/declared", RouteOptions.builder().dispatch(DispatchMode.NON_BLOCKING).build(),
                        (req, res) -> res.send(where()))
                .get("/marked-and-filtered", RouteOptions.builder().filter(DECORATOR).before((req, res) -> { }).build(),
                        Handler.nonBlocking((req, res) -> res.send(where())))
                .get("/fiber-declared", RouteOptions.builder().dispatch(DispatchMode.FIBER).build(),
                        (req, res) -> res.send(where()))
                .get("/async", Handler.async((req, res) -> {
                    res.send(where());
                    return CompletableFuture.completedFuture(null);
                }));
    }

    @Test
    void aPlainHandlerAndItsFiltersRunOnAFiber(TestClient client) {
        for (String path : new String[] {"/plain", "/fiber-declared"}) {
            TestResponse reply = client.get(path);
            assertEquals("fiber", reply.text(), path);
            assertEquals("fiber", reply.header("X-Filter").orElseThrow(), path);
        }
    }

    @Test
    void aNonBlockingRouteRunsOnTheLoopHoweverItIsDeclared(TestClient client) {
        for (String path : new String[] {"/marked", "/declared", "/async"}) {
            TestResponse reply = client.get(path);
            assertEquals("loop", reply.text(), path);
            assertEquals("loop", reply.header("X-Filter").orElseThrow(), path);
        }
    }

    @Test
    void filtersWrappingANonBlockingHandlerDoNotMoveItOntoAFiber(TestClient client) {
        TestResponse reply = client.get("/marked-and-filtered");
        assertEquals("loop", reply.text());
        assertEquals(List.of("loop", "loop"), reply.headers().get("x-filter"),
                "the global and the route's filter both ran on the loop: " + reply.headers());
    }

    @Test
    void optionsThatContradictTheHandlerAreRefusedWhenTheRouteIsDeclared() {
        Handler plain = (req, res) -> res.send("x");
        RouteOptions async = RouteOptions.builder().dispatch(DispatchMode.ASYNC).build();
        RouteOptions fiber = RouteOptions.builder().dispatch(DispatchMode.FIBER).build();
        var needsAsync = assertThrows(IllegalArgumentException.class,
                () -> HttpServer.builder().routing(r -> r.get("/x", async, plain)).build());
        assertTrue(needsAsync.getMessage().contains("Handler.async"), needsAsync.getMessage());
        var contradicts = assertThrows(IllegalArgumentException.class,
                () -> HttpServer.builder().routing(r -> r.get("/x", fiber, Handler.nonBlocking(plain))).build());
        assertTrue(contradicts.getMessage().contains("FIBER"), contradicts.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Handler.nonBlocking(Handler.async((req, res) -> CompletableFuture.completedFuture(null))));
    }
}
