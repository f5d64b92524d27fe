package dev.strand.http;

import dev.strand.http.internal.Route;
import java.util.Objects;

/**
 * Serves one request: reads the {@link Request}, completes the {@link Response}.
 *
 * <p>How it runs is its route's {@link DispatchMode}, fixed when the route is declared. By default
 * a handler runs on its own fiber (virtual thread) carried by the loop that owns the connection, so
 * it may block — on the request body, a database, a sleep — and the loop serves others meanwhile.
 * A handler wrapped with {@link #nonBlocking} (or declared with
 * {@link RouteOptions.Builder#dispatch} {@code NON_BLOCKING}) runs inline on the loop instead, after
 * the whole body has arrived; it must never block. One made with {@link #async} runs inline too and
 * completes later through a future. Filters run in the same mode and cannot change it.
 *
 * <p>When the handler returns without sending, an empty response with the status set so far is
 * sent. When it throws, the error handlers declared with {@link Routing#error} answer, or else the
 * client gets a 500 without details (or the status of an {@link HttpException}) and the error is
 * logged; when the response was already streaming, the connection is closed instead, so the client
 * sees it incomplete.
 */
@FunctionalInterface
public interface Handler {

    /**
     * Handles one request.
     *
     * @param req the request, valid until the response is complete
     * @param res the response to complete
     * @throws Exception anything; see the class comment for what the client gets
     */
    void handle(Request req, Response res) throws Exception;

    /**
     * Marks {@code handler} as non-blocking: its route runs it inline on the loop once the body
     * has arrived (up to the body limit), with no fiber. It must not block, or it stalls every
     * connection of the loop. The mark is read once, when the route is declared.
     *
     * @throws IllegalArgumentException when {@code handler} was made with {@link #async}
     */
    static Handler nonBlocking(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        if (handler instanceof Route.Async) {
            throw new IllegalArgumentException("an async handler cannot also be marked non-blocking");
        }
        return new Route.NonBlocking(handler);
    }

    /**
     * A handler that returns a future: its route runs it inline on the loop once the body has
     * arrived; it must not block, and its response is complete when it is sent or when the future
     * completes (whichever is first; an unsent response is then sent empty, a failed future gives
     * a 500 or what the error handlers make of it).
     */
    static Handler async(AsyncHandler handler) {
        return new Route.Async(Objects.requireNonNull(handler, "handler"));
    }
}
