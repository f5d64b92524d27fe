package dev.strand.http;

import dev.strand.http.internal.Route;

/**
 * Declares routes — a method, a path pattern, a {@link Handler} and optionally its
 * {@link RouteOptions} — and what applies to every route: filters, after handlers, error handlers
 * and the 404 handler.
 *
 * <p>Patterns are literal segments and {@code {name}} parameters, e.g. {@code /users/{id}}; a last
 * segment {@code *} matches any rest of the path. A HEAD request is served by the GET route when it
 * has no HEAD route of its own, without a body. No route gives 404 (see {@link #notFound}); a route
 * with another method gives 405 with {@code Allow}. Global filters and after handlers apply to
 * every route, those declared before them as well as after, and to the 404 and 405 answers (which
 * then run on a fiber, in case a filter blocks; without global filters they run on the loop).
 *
 * <p>Used while the server is built, on the thread that builds it; not thread-safe. Mistakes
 * (a malformed pattern, a route declared twice) throw at once, from the method that made them.
 */
public interface Routing {

    /**
     * Adds a route with {@code options}.
     *
     * @throws IllegalArgumentException when the pattern is malformed, the route already exists, or
     *         the options ask for another dispatch mode than the handler was made for
     */
    Routing route(Method method, String pattern, RouteOptions options, Handler handler);

    /**
     * Adds a route.
     *
     * @throws IllegalArgumentException when the pattern is malformed or the route already exists
     */
    default Routing route(Method method, String pattern, Handler handler) {
        return route(method, pattern, RouteOptions.NONE, handler);
    }

    /** A GET route. */
    default Routing get(String pattern, Handler handler) {
        return route(Method.GET, pattern, handler);
    }

    /** A GET route with options. */
    default Routing get(String pattern, RouteOptions options, Handler handler) {
        return route(Method.GET, pattern, options, handler);
    }

    /** A POST route. */
    default Routing post(String pattern, Handler handler) {
        return route(Method.POST, pattern, handler);
    }

    /** A POST route with options. */
    default Routing post(String pattern, RouteOptions options, Handler handler) {
        return route(Method.POST, pattern, options, handler);
    }

    /** A PUT route. */
    default Routing put(String pattern, Handler handler) {
        return route(Method.PUT, pattern, handler);
    }

    /** A PUT route with options. */
    default Routing put(String pattern, RouteOptions options, Handler handler) {
        return route(Method.PUT, pattern, options, handler);
    }

    /** A DELETE route. */
    default Routing delete(String pattern, Handler handler) {
        return route(Method.DELETE, pattern, handler);
    }

    /** A DELETE route with options. */
    default Routing delete(String pattern, RouteOptions options, Handler handler) {
        return route(Method.DELETE, pattern, options, handler);
    }

    /** A PATCH route. */
    default Routing patch(String pattern, Handler handler) {
        return route(Method.PATCH, pattern, handler);
    }

    /** A PATCH route with options. */
    default Routing patch(String pattern, RouteOptions options, Handler handler) {
        return route(Method.PATCH, pattern, options, handler);
    }

    /**
     * Adds a filter around every route's handler. Global filters run before a route's own, in the
     * order declared; each runs in its route's dispatch mode (see {@link Filter}).
     */
    Routing filter(Filter filter);

    /**
     * Adds a filter that runs {@code handler} before every route's handler, then the rest unless
     * {@code handler} sent the response (say a 401). It runs in the route's dispatch mode: on the
     * loop for non-blocking routes, where it must not block.
     */
    default Routing before(Handler handler) {
        return filter(Route.before(java.util.Objects.requireNonNull(handler, "handler")));
    }

    /**
     * Adds a handler to run once every route's handler is done: when it returned (or its future
     * completed, on an {@link DispatchMode#ASYNC} route) and a failure was answered by the error
     * handlers. It sees the final status ({@link Response#status()}); the response may already be
     * sent ({@link Response#isCommitted()}), and if not it may still add to it. It runs in the
     * route's dispatch mode, after the route's own after handlers, in the order declared; also for
     * a request refused because its deadline had passed. What it throws is logged and, when the
     * response is not sent yet, answered like a handler's failure.
     */
    Routing after(Handler handler);

    /**
     * Answers exceptions of {@code type} (and its subclasses) thrown by handlers and filters: the
     * handler of the most specific type declared wins. An {@link HttpException} keeps its own
     * status unless a handler is declared for {@code HttpException} or a subclass of it: handlers
     * for broader types ({@code Exception}, {@code Throwable}) do not take it. Exceptions that end a
     * response already being sent cannot be answered and close the connection, as without a handler.
     *
     * @throws IllegalArgumentException when {@code type} already has a handler
     */
    <T extends Throwable> Routing error(Class<T> type, ErrorHandler<? super T> handler);

    /**
     * Answers requests for paths no route matches, instead of the default plain-text 404. It runs
     * like any route's handler: in the mode it was made for (on a fiber unless made with
     * {@link Handler#nonBlocking}), with the global filters; the status is 404 unless it sets
     * another.
     *
     * @throws IllegalArgumentException when a 404 handler was declared already
     */
    Routing notFound(Handler handler);
}
