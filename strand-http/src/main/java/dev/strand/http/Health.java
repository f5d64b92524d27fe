package dev.strand.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Liveness and readiness routes for load balancers and orchestrators, served by a server built with
 * {@link HttpServer.Builder#health(Health)}:
 *
 * <ul>
 *   <li>{@code GET /health/live} — 200 whenever the server answers at all: the process and its loops
 *       are alive.</li>
 *   <li>{@code GET /health/ready} — 200 when the server is running (started, not stopping) and every
 *       required check says it is up; otherwise 503, the body naming what is not ({@code "starting or
 *       stopping"}, or each check down, or the exception a check threw). A stopping server also closes
 *       its listener at once, so new probes are refused: take it out of rotation either way.</li>
 * </ul>
 *
 * <p>Both answer {@code application/json}, e.g. {@code {"status":"DOWN","checks":{"db":"DOWN"}}}, with
 * {@code Cache-Control: no-store}. Immutable; {@link #require} returns a new one.
 *
 * <pre>{@code
 * HttpServer.builder()
 *         .health(Health.create().require("db", database::isReachable))
 *         .routing(r -> r.get("/", (req, res) -> res.send("hello")))
 *         .build().start();
 * }</pre>
 *
 * <p>Threading and failures: checks run on the probe's fiber, one after the other, each time
 * {@code /health/ready} is asked, so they may block briefly (a ping) but should be cheap; a check
 * that throws counts as down and is named with its exception's class.
 */
public final class Health {

    private final Map<String, BooleanSupplier> checks;

    private Health(Map<String, BooleanSupplier> checks) {
        this.checks = checks;
    }

    /** Health routes with no required check: ready while the server runs. */
    public static Health create() {
        return new Health(Map.of());
    }

    /**
     * These routes, with readiness also requiring {@code check} (named {@code name} in the answer).
     *
     * @throws IllegalArgumentException when a check of that name is already required
     */
    public Health require(String name, BooleanSupplier check) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        if (checks.containsKey(name)) {
            throw new IllegalArgumentException("a check named " + name + " is already required");
        }
        Map<String, BooleanSupplier> more = new LinkedHashMap<>(checks);
        more.put(name, check);
        return new Health(java.util.Collections.unmodifiableMap(more));
    }

    /** Declares the two routes on {@code routing}; {@code server} is the server they report on. */
    void routes(Routing routing, Supplier<HttpServer> server) {
        routing.get("/health/live", Handler.nonBlocking((req, res) -> answer(res, 200, "{\"status\":\"UP\"}")))
                .get("/health/ready", (req, res) -> ready(res, server.get()));
    }

    private void ready(Response res, HttpServer server) {
        StringBuilder down = new StringBuilder();
        boolean running = server != null && server.isRunning();
        for (Map.Entry<String, BooleanSupplier> check : checks.entrySet()) {
            String state;
            try {
                state = check.getValue().getAsBoolean() ? null : "DOWN";
            } catch (RuntimeException | Error e) {
                state = "DOWN: " + e.getClass().getName();
            }
            if (state != null) {
                down.append(down.isEmpty() ? "" : ",").append(quote(check.getKey())).append(':').append(quote(state));
            }
        }
        if (running && down.isEmpty()) {
            answer(res, 200, "{\"status\":\"UP\"}");
            return;
        }
        StringBuilder body = new StringBuilder("{\"status\":\"DOWN\"");
        if (!running) {
            body.append(",\"server\":\"starting or stopping\"");
        }
        if (!down.isEmpty()) {
            body.append(",\"checks\":{").append(down).append('}');
        }
        answer(res, 503, body.append('}').toString());
    }

    private static void answer(Response res, int status, String json) {
        res.status(status).header("Cache-Control", "no-store").contentType("application/json").send(json);
    }

    /** A JSON string of {@code text}: names are the application's, so quotes and controls are escaped. */
    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
