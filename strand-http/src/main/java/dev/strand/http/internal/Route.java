package dev.strand.http.internal;

import dev.strand.admission.Limit;
import dev.strand.admission.QosClass;
import dev.strand.http.AsyncHandler;
import dev.strand.http.DispatchMode;
import dev.strand.http.Filter;
import dev.strand.http.Handler;
import dev.strand.http.Request;
import dev.strand.http.RequestContext;
import dev.strand.http.Response;
import dev.strand.http.RouteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A route as {@link Dispatch} runs it: the handler with its mode decided once, when the route was
 * declared, and its filters, after handlers and context options resolved into plain fields.
 * Immutable, so loops share it; nothing here is looked up per request.
 *
 * <p>Public for the API's {@code Handler.nonBlocking}, {@code Handler.async} and {@code before}
 * filters, which make the marks and the filter below; the module does not export this package.
 */
public final class Route {

    private static final ApiAccess API = ApiAccess.get();

    final DispatchMode mode;
    /** Whether it runs on the loop once the body has arrived: {@link #mode} is not FIBER. */
    final boolean onLoop;
    /** The handler to call; null for an ASYNC route. */
    final Handler handler;
    /** The handler of an ASYNC route; null otherwise. */
    final AsyncHandler async;
    /** Global filters, then the route's own: outermost first. */
    final Filter[] filters;
    /** The route's after handlers, then the global ones. */
    final Handler[] afters;
    /** Null: no deadline. */
    final Duration deadline;
    /** Null: no partition. */
    final Function<Request, String> partition;
    final QosClass qos;
    /** Null: no admission limit. */
    final Limit limit;
    /** Whether a request binds a {@link RequestContext}. */
    final boolean hasContext;
    /** No filters, no after handlers, no context: the handler runs alone, as cheaply as can be. */
    final boolean bare;

    private Route(DispatchMode mode, Handler handler, AsyncHandler async, RouteOptions options,
                  List<Filter> globalFilters, List<Handler> globalAfters) {
        this.mode = mode;
        this.onLoop = mode != DispatchMode.FIBER;
        this.handler = handler;
        this.async = async;
        List<Filter> allFilters = new ArrayList<>(globalFilters);
        allFilters.addAll(API.filters(options));
        this.filters = allFilters.toArray(new Filter[0]);
        List<Handler> allAfters = new ArrayList<>(API.afters(options));
        allAfters.addAll(globalAfters);
        this.afters = allAfters.toArray(new Handler[0]);
        this.deadline = API.deadline(options).orElse(null);
        this.partition = API.partition(options).orElse(null);
        this.qos = API.qos(options).orElse(QosClass.STANDARD);
        this.limit = API.limit(options).orElse(null);
        this.hasContext = API.hasContext(options);
        this.bare = filters.length == 0 && afters.length == 0 && !hasContext;
    }

    /**
     * The route of {@code handler} with {@code options}: the dispatch mode comes from the options
     * or from the wrapper {@link Handler#nonBlocking} or {@link Handler#async} put around the
     * handler, which is taken off here, once.
     *
     * @throws IllegalArgumentException when the options and the handler disagree on the mode
     */
    static Route of(Handler handler, RouteOptions options, List<Filter> globalFilters, List<Handler> globalAfters) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        DispatchMode wrapped = handler instanceof NonBlocking ? DispatchMode.NON_BLOCKING
                : handler instanceof Async ? DispatchMode.ASYNC : null;
        DispatchMode asked = API.dispatch(options).orElse(null);
        if (asked == DispatchMode.ASYNC && wrapped != DispatchMode.ASYNC) {
            throw new IllegalArgumentException("an ASYNC route needs a handler made with Handler.async");
        }
        if (wrapped != null && asked != null && asked != wrapped) {
            throw new IllegalArgumentException("the options ask for " + asked + " but the handler was made "
                    + (wrapped == DispatchMode.ASYNC ? "with Handler.async" : "with Handler.nonBlocking"));
        }
        DispatchMode mode = wrapped != null ? wrapped : asked != null ? asked : DispatchMode.FIBER;
        // instanceof rather than a pattern switch, whose bootstrap would cost a cold server's start.
        if (handler instanceof NonBlocking nonBlocking) {
            return new Route(mode, nonBlocking.handler(), null, options, globalFilters, globalAfters);
        }
        if (handler instanceof Async async) {
            return new Route(mode, null, async.handler(), options, globalFilters, globalAfters);
        }
        return new Route(mode, handler, null, options, globalFilters, globalAfters);
    }

    /** The filter behind {@code before(handler)}: the handler, then the rest unless it sent the response. */
    public static Filter before(Handler handler) {
        return (req, res, next) -> {
            handler.handle(req, res);
            if (!res.isCommitted()) {
                next.proceed();
            }
        };
    }

    @Override
    public String toString() {
        return mode + " route, " + filters.length + " filter(s), " + afters.length + " after handler(s)"
                + (hasContext ? ", with context" : "");
    }

    /** What {@link Handler#nonBlocking} makes: marks the handler, which it runs unchanged. */
    public record NonBlocking(Handler handler) implements Handler {
        @Override
        public void handle(Request req, Response res) throws Exception {
            handler.handle(req, res);
        }
    }

    /** What {@link Handler#async} makes; its route runs the future-returning handler itself. */
    public record Async(AsyncHandler handler) implements Handler {
        @Override
        public void handle(Request req, Response res) {
            throw new UnsupportedOperationException("a Handler.async handler runs through its future: declare it as"
                    + " a route of its own rather than calling it from another handler");
        }
    }
}
