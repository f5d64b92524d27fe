package dev.strand.demo;

import dev.strand.http.Handler;
import dev.strand.http.HttpException;
import dev.strand.http.HttpServer;
import dev.strand.http.Request;
import dev.strand.http.Response;
import dev.strand.http.Routing;
import dev.strand.reactor.Deadline;
import dev.strand.reactor.Fiber;
import dev.strand.reactor.FiberMode;
import dev.strand.reactor.Reactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * The demo's routes, following the TechEmpower rules where they apply.
 *
 * <ul>
 *   <li>{@code GET /plaintext} — {@code Hello, World!}; runs on the loop.</li>
 *   <li>{@code GET /json} — {@code {"message":"Hello, World!"}}, serialized per request by
 *       {@code res.json} (strand-json, on Jackson 3); runs on the loop.</li>
 *   <li>{@code GET /sleep?ms=N} — its fiber sleeps N ms (0 to 60,000), then answers.</li>
 *   <li>{@code POST /echo} — the length of the request body in bytes, read as a stream.</li>
 *   <li>{@code GET /db} — a random row of a 10,000-row table in an in-memory H2, as
 *       {@code {"id":N,"randomNumber":M}}, read within a deadline of {@link #DB_DEADLINE}.</li>
 * </ul>
 */
public final class DemoApp {

    /** The longest sleep {@code /sleep} accepts, in milliseconds. */
    static final int MAX_SLEEP_MS = 60_000;
    /** How long {@code /db} may take over its query, waiting for a connection included. */
    static final Duration DB_DEADLINE = Duration.ofSeconds(2);

    private static final String TEXT = "text/plain";
    private static final String HELLO = "Hello, World!";

    /** The {@code /json} reply. */
    record Message(String message) {
    }

    private DemoApp() {
    }

    /**
     * The demo server on {@code port} (0 for any free one), built but not started.
     *
     * @throws IllegalArgumentException when the port is out of range
     */
    public static HttpServer server(int port) {
        return HttpServer.builder().port(port).routing(DemoApp::routes).build();
    }

    /** Declares the demo's routes on {@code routing}. */
    public static void routes(Routing routing) {
        routing.get("/plaintext", Handler.nonBlocking(DemoApp::plaintext))
                .get("/json", Handler.nonBlocking(DemoApp::json))
                .get("/sleep", DemoApp::sleep)
                .post("/echo", DemoApp::echo)
                .get("/db", DemoApp::db);
    }

    /**
     * Who carries the fibers of a server that asked for {@code requested}: the mode its own reactor
     * resolves to in this JVM.
     */
    public static FiberMode fiberMode(FiberMode requested) {
        return requested == FiberMode.JDK_SCHEDULER || !Reactor.carrierHookAvailable()
                ? FiberMode.JDK_SCHEDULER
                : FiberMode.LOOP_CARRIER;
    }

    static void plaintext(Request req, Response res) {
        res.contentType(TEXT).send(HELLO);
    }

    /**
     * Serialized per request by strand-json's Jackson mapper, which the server looks up (and
     * Jackson loads, a few hundred milliseconds) with the first {@code /json}, not at start.
     */
    static void json(Request req, Response res) {
        res.json(new Message(HELLO));
    }

    static void sleep(Request req, Response res) throws InterruptedException {
        int ms = sleepMillis(req.query("ms").orElseThrow(
                () -> new HttpException(400, "ms is required: /sleep?ms=N with N from 0 to " + MAX_SLEEP_MS)));
        // Parks this request's fiber on a loop timer; the loop serves others meanwhile.
        Fiber.sleep(Duration.ofMillis(ms));
        res.contentType(TEXT).send("slept " + ms + " ms");
    }

    static void echo(Request req, Response res) throws IOException {
        long length;
        try (InputStream body = req.body().stream()) {
            length = body.transferTo(OutputStream.nullOutputStream());
        }
        res.contentType(TEXT).send(Long.toString(length));
    }

    static void db(Request req, Response res) {
        // The query and its wait for a connection end at the deadline: a slow database costs this
        // request a failure, not an unbounded wait.
        World.Row row = Deadline.after(DB_DEADLINE).call(World::random);
        res.json(row);
    }

    /**
     * Parses {@code /sleep}'s {@code ms}.
     *
     * @throws HttpException 400 unless it is a decimal integer from 0 to {@link #MAX_SLEEP_MS}
     */
    static int sleepMillis(String value) {
        boolean digits = !value.isEmpty() && value.length() <= 5
                && value.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || Integer.parseInt(value) > MAX_SLEEP_MS) {
            throw new HttpException(400, "ms must be an integer from 0 to " + MAX_SLEEP_MS);
        }
        return Integer.parseInt(value);
    }
}
