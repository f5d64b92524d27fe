package dev.strand.http;

/**
 * Declares routes: a method, a path pattern and a {@link Handler}.
 *
 * <p>Patterns are literal segments and {@code {name}} parameters, e.g. {@code /users/{id}}; a last
 * segment {@code *} matches any rest of the path. A HEAD request is served by the GET route when it
 * has no HEAD route of its own, without a body. No route gives 404; a route with another method
 * gives 405 with {@code Allow}. Used while the server is built; not thread-safe.
 */
public interface Routing {

    /**
     * Adds a route.
     *
     * @throws IllegalArgumentException when the pattern is malformed or the route already exists
     */
    Routing route(Method method, String pattern, Handler handler);

    /** A GET route. */
    default Routing get(String pattern, Handler handler) {
        return route(Method.GET, pattern, handler);
    }

    /** A POST route. */
    default Routing post(String pattern, Handler handler) {
        return route(Method.POST, pattern, handler);
    }

    /** A PUT route. */
    default Routing put(String pattern, Handler handler) {
        return route(Method.PUT, pattern, handler);
    }

    /** A DELETE route. */
    default Routing delete(String pattern, Handler handler) {
        return route(Method.DELETE, pattern, handler);
    }

    /** A PATCH route. */
    default Routing patch(String pattern, Handler handler) {
        return route(Method.PATCH, pattern, handler);
    }
}
