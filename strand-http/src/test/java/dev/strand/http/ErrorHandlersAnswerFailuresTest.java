package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Error handlers answer what handlers and filters throw, the most specific type first; an
 * HttpException keeps its status unless its own type is handled; a failing error handler gives the
 * default 500. A custom 404 handler answers unknown paths.
 */
class ErrorHandlersAnswerFailuresTest {

    /** Thrown for a missing thing; handled as 404. */
    static final class NoSuchThing extends RuntimeException {
        NoSuchThing(String message) {
            super(message);
        }
    }

    /** Its handler fails. */
    static final class Unlucky extends RuntimeException {
    }

    private static HttpServer server;

    @BeforeAll
    static void start() {
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r
                        .error(RuntimeException.class, (req, res, e) -> res.status(500).send("runtime: " + e.getClass().getSimpleName()))
                        .error(IllegalArgumentException.class, (req, res, e) -> res.status(422).send("invalid: " + e.getMessage()))
                        .error(NoSuchThing.class, (req, res, e) -> res.status(404).header("X-Mapped", "yes"))
                        .error(Unlucky.class, (req, res, e) -> {
                            throw new IllegalStateException("the error handler failed, as the test wants");
                        })
                        .notFound(Handler.nonBlocking((req, res) -> res.contentType("text/plain").send("no " + req.path() + " here")))
                        .get("/invalid", (req, res) -> {
                            res.header("X-Dropped", "yes");
                            throw new IllegalArgumentException("age must be positive");
                        })
                        .get("/invalid-inline", Handler.nonBlocking((req, res) -> {
                            throw new NumberFormatException("not a number"); // an IllegalArgumentException
                        }))
                        .get("/state", (req, res) -> {
                            throw new IllegalStateException("busy");
                        })
                        .get("/missing", (req, res) -> {
                            throw new NoSuchThing("thing 7");
                        })
                        .get("/unlucky", (req, res) -> {
                            throw new Unlucky();
                        })
                        .get("/teapot", (req, res) -> {
                            throw new HttpException(418, "I'm a teapot");
                        })
                        .get("/filtered", RouteOptions.builder().filter((req, res, next) -> {
                            throw new IllegalArgumentException("refused by a filter");
                        }).build(), (req, res) -> res.send("never"))
                        .get("/async-failed", Handler.async((req, res) -> CompletableFuture.failedFuture(
                                new IllegalArgumentException("failed later")))))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawConnection.Reply get(RawConnection c, String path) throws Exception {
        return c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").read();
    }

    @Test
    void theHandlerOfTheMostSpecificTypeAnswers() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply invalid = get(c, "/invalid");
            assertEquals(422, invalid.status());
            assertEquals("invalid: age must be positive", invalid.text());
            assertNull(invalid.header("X-Dropped"), "the error handler starts from a fresh response");

            RawConnection.Reply subclass = get(c, "/invalid-inline");
            assertEquals(422, subclass.status(), "a NumberFormatException is an IllegalArgumentException");
            assertEquals("invalid: not a number", subclass.text());

            RawConnection.Reply broader = get(c, "/state");
            assertEquals(500, broader.status());
            assertEquals("runtime: IllegalStateException", broader.text());
        }
    }

    @Test
    void filtersAndFailedFuturesAreAnsweredLikeHandlers() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply filtered = get(c, "/filtered");
            assertEquals(422, filtered.status());
            assertEquals("invalid: refused by a filter", filtered.text());
            RawConnection.Reply async = get(c, "/async-failed");
            assertEquals(422, async.status());
            assertEquals("invalid: failed later", async.text());
        }
    }

    @Test
    void anErrorHandlerThatSendsNothingGetsAnEmptyResponseWithItsStatus() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply reply = get(c, "/missing");
            assertEquals(404, reply.status());
            assertEquals("yes", reply.header("X-Mapped"));
            assertEquals(0, reply.body().length);
        }
    }

    @Test
    void anHttpExceptionKeepsItsStatusWhenOnlyBroaderTypesAreHandled() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply reply = get(c, "/teapot");
            assertEquals(418, reply.status(), "the RuntimeException handler must not take an HttpException");
            assertEquals("I'm a teapot", reply.text());
        }
        try (HttpServer mapped = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.error(HttpException.class, (req, res, e) -> res.status(e.status()).send("{\"error\":" + e.status() + "}"))
                        .get("/teapot", (req, res) -> {
                            throw new HttpException(418, "I'm a teapot");
                        }))
                .build().start();
             RawConnection c = new RawConnection(mapped.port())) {
            RawConnection.Reply reply = get(c, "/teapot");
            assertEquals(418, reply.status());
            assertEquals("{\"error\":418}", reply.text(), "a handler for HttpException itself takes it");
        }
    }

    @Test
    void anErrorHandlerThatFailsGivesTheDefault500AndIsLogged() throws Exception {
        try (LogCapture log = new LogCapture(); RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply reply = get(c, "/unlucky");
            assertEquals(500, reply.status());
            assertEquals("Internal Server Error", reply.text());
            Await.until(java.time.Duration.ofSeconds(5), () -> log.atOrAbove(Level.SEVERE).stream()
                    .anyMatch(line -> line.contains("error handler failed for GET /unlucky")), "the failure is logged");
            RawConnection.Reply next = get(c, "/invalid");
            assertEquals(422, next.status(), "the connection goes on");
        }
    }

    @Test
    void aCustom404HandlerAnswersUnknownPathsWith404() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply reply = get(c, "/nowhere");
            assertEquals(404, reply.status());
            assertEquals("no /nowhere here", reply.text());
        }
    }

    @Test
    void declaringAnErrorHandlerOrThe404HandlerTwiceIsRefused() {
        ErrorHandler<RuntimeException> handler = (req, res, e) -> res.send("x");
        assertThrows(IllegalArgumentException.class, () -> HttpServer.builder()
                .routing(r -> r.error(RuntimeException.class, handler).error(RuntimeException.class, handler)).build());
        var twice = assertThrows(IllegalArgumentException.class, () -> HttpServer.builder()
                .routing(r -> r.notFound((req, res) -> { }).notFound((req, res) -> { })).build());
        assertTrue(twice.getMessage().contains("404"), twice.getMessage());
    }
}
