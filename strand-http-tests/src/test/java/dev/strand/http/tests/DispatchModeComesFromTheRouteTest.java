package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.EventLoop;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How a handler runs is its route's: the mode it was declared with, whatever filters wrap it. Each
 * route answers where its handler ran, and a header says where the filters ran.
 */
class DispatchModeComesFromTheRouteTest {

    private static HttpServer server;

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

    @BeforeAll
    static void start() {
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r
                        .filter(DECORATOR)
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
                        })))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawConnection.Reply get(String path) throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").read();
        }
    }

    @Test
    void aPlainHandlerAndItsFiltersRunOnAFiber() throws Exception {
        for (String path : new String[] {"/plain", "/fiber-declared"}) {
            RawConnection.Reply reply = get(path);
            assertEquals("fiber", reply.text(), path);
            assertEquals("fiber", reply.header("X-Filter"), path);
        }
    }

    @Test
    void aNonBlockingRouteRunsOnTheLoopHoweverItIsDeclared() throws Exception {
        for (String path : new String[] {"/marked", "/declared", "/async"}) {
            RawConnection.Reply reply = get(path);
            assertEquals("loop", reply.text(), path);
            assertEquals("loop", reply.header("X-Filter"), path);
        }
    }

    @Test
    void filtersWrappingANonBlockingHandlerDoNotMoveItOntoAFiber() throws Exception {
        RawConnection.Reply reply = get("/marked-and-filtered");
        assertEquals("loop", reply.text());
        assertEquals(2, reply.rawHeaderLines().stream().filter(line -> line.equals("X-Filter: loop")).count(),
                "the global and the route's filter both ran on the loop: " + reply.rawHeaderLines());
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
