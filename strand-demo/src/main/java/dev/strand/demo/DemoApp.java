package dev.strand.demo;

import dev.strand.http.Handler;
import dev.strand.http.Health;
import dev.strand.http.HttpException;
import dev.strand.http.HttpServer;
import dev.strand.http.Request;
import dev.strand.http.Response;
import dev.strand.http.Routing;
import dev.strand.http.ServerConfig;
import dev.strand.jdbc.Database;
import dev.strand.reactor.Fiber;
import dev.strand.reactor.FiberMode;
import dev.strand.reactor.Reactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The demo's routes, following the TechEmpower rules where they apply.
 *
 * <ul>
 *   <li>{@code GET /plaintext} — {@code Hello, World!}; runs on the loop.</li>
 *   <li>{@code GET /json} — {@code {"message":"Hello, World!"}}, serialized per request by
 *       {@code res.json} (strand-json, on Jackson 3); runs on the loop.</li>
 *   <li>{@code GET /sleep?ms=N} — its fiber sleeps N ms (0 to 60,000), then answers.</li>
 *   <li>{@code POST /echo} — the length of the request body in bytes, read as a stream.</li>
 *   <li>{@code GET /db} — a random row of the 10,000-row {@code World} table, as
 *       {@code {"id":N,"randomNumber":M}}.</li>
 *   <li>{@code GET /queries?queries=N} — N random {@code World} rows, one query each, as a JSON
 *       array; N is clamped to 1..500, and a missing or invalid N counts as 1.</li>
 *   <li>{@code GET /fortunes} — the {@code Fortune} table plus one fortune added at request time,
 *       sorted by message, as an HTML table ({@code text/html; charset=utf-8}) rendered by a JTE
 *       template compiled at build time, messages escaped.</li>
 *   <li>{@code GET /updates?queries=N} — N distinct random {@code World} rows as {@code /queries}
 *       reads them, each given a new random number and written back in one batch; the rows as
 *       written.</li>
 *   <li>{@code GET, POST /admin/qos} — the QoS level and the database limit's figures; sets the
 *       level (see {@link DemoAdmission}).</li>
 * </ul>
 *
 * <p>The database routes run on fibers in plain blocking style (the database layer parks them) over
 * the {@link Database} given to {@link #routes(Routing, Database)}: H2 in memory by default,
 * PostgreSQL or MariaDB from the command line (see {@link DemoMain}). Each request's statements,
 * waits for a connection included, end at a deadline ({@link #DB_DEADLINE}, or
 * {@link #MULTI_QUERY_DEADLINE} for the endpoints that run up to 500 statements), counted from the
 * request's head: a slow database costs a request a failure, not an unbounded wait. They are
 * admitted by {@link DemoAdmission}: a limit per tenant, queued requests holding no fiber, and a QoS
 * level an operator switches at run time.
 */
public final class DemoApp {

    /** The longest sleep {@code /sleep} accepts, in milliseconds. */
    static final int MAX_SLEEP_MS = 60_000;
    /** The most rows {@code /queries} and {@code /updates} send. */
    static final int MAX_QUERIES = 500;
    /** How long {@code /db} and {@code /fortunes} may take over their query, waiting for a connection included. */
    static final Duration DB_DEADLINE = Duration.ofSeconds(2);
    /** How long {@code /queries} and {@code /updates} may take over all their statements. */
    static final Duration MULTI_QUERY_DEADLINE = Duration.ofSeconds(10);
    /** Database requests admitted at once per tenant when the caller sets no figure. */
    static final int DEFAULT_DB_PERMITS = 32;

    private static final String TEXT = "text/plain";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String HELLO = "Hello, World!";

    /** The {@code /json} reply. */
    record Message(String message) {
    }

    private DemoApp() {
    }

    /**
     * The demo server on {@code port} (0 for any free one) over {@code db}, built but not started.
     * The caller keeps {@code db} and closes it after the server stops. {@code db} must hold
     * TechEmpower's tables (see {@link DemoMain}'s {@code seed}); nothing is checked here.
     *
     * @throws IllegalArgumentException when the port is out of range
     */
    public static HttpServer server(int port, Database db) {
        return server(port, db, new DemoAdmission(DEFAULT_DB_PERMITS));
    }

    /** {@link #server(int, Database)} with the database routes admitted by {@code admission}. */
    public static HttpServer server(int port, Database db, DemoAdmission admission) {
        return server(port, CompletableFuture.completedFuture(db), admission);
    }

    /**
     * {@link #server(int, Database, DemoAdmission)} over a database that may come later: the
     * database routes wait for {@code database} (within their deadlines; a 503 after them, or when it
     * fails), so that a server can listen before its database is ready.
     */
    public static HttpServer server(int port, CompletionStage<Database> database, DemoAdmission admission) {
        return server(config -> config.port(port), database, admission);
    }

    /** {@link #server(int, CompletionStage, DemoAdmission)} with its configuration set by {@code tune}. */
    public static HttpServer server(Consumer<ServerConfig.Builder> tune, CompletionStage<Database> database, DemoAdmission admission) {
        CompletableFuture<Database> db = database.toCompletableFuture();
        // Ready once the database is: the in-memory one is seeded after the server listens.
        Health health = Health.create().require("database", () -> db.isDone() && !db.isCompletedExceptionally());
        return HttpServer.builder().config(tune).health(health).routing(routing -> routes(routing, database, admission)).build();
    }

    /**
     * Declares the demo's routes on {@code routing}, the database routes over {@code db}. Touches no
     * database; the {@code /fortunes} template is loaded at its first use (or by
     * {@code Fortunes.warmUp}).
     *
     */
    public static void routes(Routing routing, Database db) {
        routes(routing, db, new DemoAdmission(DEFAULT_DB_PERMITS));
    }

    /**
     * Declares the demo's routes on {@code routing}: the database routes over {@code db}, admitted
     * by {@code admission}, whose admin routes are declared too. Touches no database.
     *
     */
    public static void routes(Routing routing, Database db, DemoAdmission admission) {
        routes(routing, CompletableFuture.completedFuture(db), admission);
    }

    /**
     * {@link #routes(Routing, Database, DemoAdmission)} over a database that may come later: the
     * database routes wait for it.
     */
    public static void routes(Routing routing, CompletionStage<Database> database, DemoAdmission admission) {
        record Tables(World world, Fortunes fortunes) {
        }
        CompletableFuture<Tables> ready = database.toCompletableFuture().thenApply(db -> new Tables(new World(db), new Fortunes(db)));
        routing.get("/plaintext", Handler.nonBlocking(DemoApp::plaintext))
                .get("/json", Handler.nonBlocking(DemoApp::json))
                .get("/sleep", DemoApp::sleep)
                .post("/echo", DemoApp::echo)
                // The deadline counts from the head, so the wait for admission is part of it; the
                // route's before-filter has waited for the tables.
                .get("/db", admission.databaseRoute(DB_DEADLINE, ready), (req, res) -> res.json(ready.resultNow().world().random()))
                .get("/queries", admission.databaseRoute(MULTI_QUERY_DEADLINE, ready),
                        (req, res) -> res.json(ready.resultNow().world().random(queries(req))))
                .get("/fortunes", admission.databaseRoute(DB_DEADLINE, ready),
                        (req, res) -> res.contentType(HTML).send(ready.resultNow().fortunes().page()))
                .get("/updates", admission.databaseRoute(MULTI_QUERY_DEADLINE, ready),
                        (req, res) -> res.json(ready.resultNow().world().update(queries(req))));
        admission.adminRoutes(routing);
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

    /**
     * The row count of {@code /queries} and {@code /updates}, by TechEmpower's rule: {@code queries}
     * clamped to 1..{@value #MAX_QUERIES}, and 1 when it is missing or not an integer. Bad input is
     * not an error here; only a malformed query string, which the server refuses before any handler
     * runs, gets a 400.
     */
    static int queries(Request req) {
        return req.query("queries").map(DemoApp::queryCount).orElse(1);
    }

    /** {@code value} as a count of rows: an optional sign and decimal digits, clamped to 1..{@value #MAX_QUERIES}; otherwise 1. */
    static int queryCount(String value) {
        int start = !value.isEmpty() && (value.charAt(0) == '+' || value.charAt(0) == '-') ? 1 : 0;
        if (start == value.length()) {
            return 1;
        }
        int count = 0;
        for (int i = start; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return 1;
            }
            // Saturate instead of overflowing: any integer past the maximum is clamped to it.
            count = Math.min(count * 10 + (c - '0'), MAX_QUERIES + 1);
        }
        return value.charAt(0) == '-' ? 1 : Math.clamp(count, 1, MAX_QUERIES);
    }
}
