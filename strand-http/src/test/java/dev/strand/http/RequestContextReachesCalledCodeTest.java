package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.admission.QosClass;
import dev.strand.reactor.Deadline;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A route's deadline, partition and QoS class reach the code its handler calls without being
 * passed: through {@link RequestContext#current()}, and the deadline through the reactor's
 * {@link Deadline#current()} too. A request whose deadline passed before its handler could start
 * gets a 503 and its handler does not run.
 */
class RequestContextReachesCalledCodeTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofMillis(100);
    private static HttpServer server;
    private static final AtomicInteger lateHandlerRuns = new AtomicInteger();
    private static final BlockingQueue<String> seenAfter = new LinkedBlockingQueue<>();

    /** Code several calls below a handler, which is handed nothing about the request. */
    static final class Repository {
        static String describe() {
            return RequestContext.current().map(c -> c.partition().orElse("-") + " " + c.qos()
                    + " deadline " + (c.deadline().isPresent() ? "yes" : "no")
                    + " reactor " + (Deadline.current().isPresent() ? "yes" : "no")
                    + " same " + c.deadline().equals(Deadline.current())
                    + " within " + Deadline.current().map(d -> d.remaining().compareTo(DEADLINE) <= 0
                            && d.remaining().compareTo(Duration.ZERO) > 0).orElse(false)
                    + " elapsed " + (c.elapsed().compareTo(Duration.ZERO) >= 0 && c.elapsed().compareTo(DEADLINE) < 0))
                    .orElse("no context, reactor deadline " + Deadline.current().isPresent());
        }
    }

    @BeforeAll
    static void start() {
        RouteOptions tenanted = RouteOptions.builder()
                .deadline(DEADLINE)
                .partition(req -> req.header("X-Tenant").orElse(null))
                .qos(QosClass.CRITICAL)
                .build();
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r
                        .get("/fiber", tenanted, (req, res) -> res.send(Repository.describe()))
                        .get("/loop", RouteOptions.builder().dispatch(DispatchMode.NON_BLOCKING).qos(QosClass.SHEDDABLE).build(),
                                (req, res) -> res.send(Repository.describe()))
                        .get("/filtered", RouteOptions.builder().partition(req -> "from-filter-route")
                                .filter((req, res, next) -> {
                                    res.header("X-Seen-By-Filter", RequestContext.current().flatMap(RequestContext::partition).orElse("none"));
                                    next.proceed();
                                }).build(), (req, res) -> res.send("ok"))
                        .get("/plain", (req, res) -> res.send(Repository.describe()))
                        .get("/plain-inline", Handler.nonBlocking((req, res) -> res.send(Repository.describe())))
                        .post("/late", RouteOptions.builder().dispatch(DispatchMode.NON_BLOCKING).deadline(SHORT)
                                .filter((req, res, next) -> {
                                    lateHandlerRuns.incrementAndGet(); // a filter would count too: neither may run
                                    next.proceed();
                                })
                                .after((req, res) -> seenAfter.add(res.status() + " " + res.isCommitted()))
                                .build(), (req, res) -> {
                                    lateHandlerRuns.incrementAndGet();
                                    res.send("too late to be here");
                                }))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawConnection.Reply get(RawConnection c, String path, String headerLine) throws Exception {
        return c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n" + headerLine + "\r\n").read();
    }

    @Test
    void theHandlersCalleesSeeTheRoutesContextAndDeadlineOnAFiber() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            assertEquals("acme CRITICAL deadline yes reactor yes same true within true elapsed true",
                    get(c, "/fiber", "X-Tenant: acme\r\n").text());
            assertEquals("- CRITICAL deadline yes reactor yes same true within true elapsed true",
                    get(c, "/fiber", "").text(), "a partition function's null is no partition");
        }
    }

    @Test
    void aNonBlockingRouteWithOptionsHasItsContextOnTheLoop() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            assertEquals("- SHEDDABLE deadline no reactor no same true within false elapsed true", get(c, "/loop", "").text());
        }
    }

    @Test
    void filtersSeeTheContextToo() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            assertEquals("from-filter-route", get(c, "/filtered", "").header("X-Seen-By-Filter"));
        }
    }

    @Test
    void aRouteWithoutOptionsRunsWithoutAContext() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            assertEquals("no context, reactor deadline false", get(c, "/plain", "").text());
            assertEquals("no context, reactor deadline false", get(c, "/plain-inline", "").text());
        }
    }

    @Test
    void aRequestWhoseDeadlinePassedBeforeItsHandlerStartsGets503AndTheHandlerDoesNotRun() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            // The 100 Continue says the server has parsed the head: the request's clock runs.
            c.send("POST /late HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
            assertEquals(100, c.read().status());
            Deadline passed = Deadline.after(SHORT);
            Await.until(Duration.ofSeconds(5), passed::isExpired, "the route's deadline to pass");
            c.send("body"); // the whole body is here: a loop route would start now
            RawConnection.Reply reply = c.read();
            assertEquals(503, reply.status());
            assertTrue(reply.text().contains("deadline"), reply.text());
            assertEquals(0, lateHandlerRuns.get(), "neither the filter nor the handler ran");
            assertEquals("503 true", seenAfter.poll(5, TimeUnit.SECONDS), "after handlers see the 503");
            c.socket().setSoTimeout(200);
            assertFalse(c.closedByServer(), "the connection goes on");
        }
    }
}
