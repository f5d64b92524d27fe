package dev.strand.http;

/**
 * Runs around a route's handler: code before, {@link Chain#proceed()} to run the rest (later
 * filters, then the handler), code after. Declared for every route with {@link Routing#filter} or
 * for one with {@link RouteOptions.Builder#filter}; global filters run first, in the order they
 * were declared.
 *
 * <pre>{@code
 * routing.filter((req, res, next) -> {
 *     res.header("X-Request-Id", requestId(req));
 *     next.proceed();
 * });
 * }</pre>
 *
 * <p><b>Threading.</b> A filter runs where its route's handler runs ({@link DispatchMode}): on the
 * request's fiber for a {@link DispatchMode#FIBER} route, where it may block; inline on the loop
 * for {@link DispatchMode#NON_BLOCKING} and {@link DispatchMode#ASYNC} routes, where it must not.
 * It has no say in that: whatever it wraps, the handler runs in its route's mode.
 *
 * <p><b>Short-circuit.</b> A filter that does not call {@code proceed()} ends the request there:
 * it should send the response itself, or an empty one with the status set so far is sent.
 *
 * <p><b>Failures.</b> {@code proceed()} throws what the handler or a later filter threw, so a
 * filter may observe or catch it; what escapes the outermost filter is answered by the error
 * handlers ({@link Routing#error}) or with a 500. On an {@link DispatchMode#ASYNC} route
 * {@code proceed()} returns once the handler has returned its future, before the response is done;
 * to act when it is, use {@link Routing#after}.
 */
@FunctionalInterface
public interface Filter {

    /**
     * Filters one request.
     *
     * @param req  the request
     * @param res  the response
     * @param next the rest of the chain; call {@link Chain#proceed()} at most once
     * @throws Exception anything: see the class comment for where it goes
     */
    void filter(Request req, Response res, Chain next) throws Exception;

    /** The rest of a filter chain: later filters, then the handler. Used by one thread. */
    interface Chain {

        /**
         * Runs the later filters and the handler, on the calling thread.
         *
         * @throws Exception what the handler or a later filter threw
         * @throws IllegalStateException when called a second time
         */
        void proceed() throws Exception;
    }
}
