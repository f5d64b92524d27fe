package dev.strand.http.internal;

import dev.strand.http.DispatchMode;
import dev.strand.http.ErrorHandler;
import dev.strand.http.Filter;
import dev.strand.http.Handler;
import dev.strand.http.Method;
import dev.strand.http.Request;
import dev.strand.http.Response;
import dev.strand.http.RouteOptions;
import dev.strand.http.Routing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Finds the route for a method and path: exact paths by hash lookup, patterns in declaration order.
 * Built from a {@link Routing} declaration; immutable once built, so loops share it without locks.
 * Public for {@code HttpServer.Builder.build}; the module does not export this package.
 */
public final class Router {

    /** A route without options; the API's {@code RouteOptions.NONE} is package-private. */
    private static final RouteOptions NONE = RouteOptions.builder().build();

    /**
     * What a lookup found: the route to run (a declared one, or the 404 or 405 answer) and its path
     * parameters.
     */
    record Match(Route route, Map<String, String> pathParams) {
    }

    private final Map<String, Path> exact;
    private final List<Path> patterns;
    private final Match notFound;
    private final ErrorMapping errors;

    private Router(Map<String, Path> exact, List<Path> patterns, Route notFound, ErrorMapping errors) {
        this.exact = exact;
        this.patterns = patterns;
        this.notFound = new Match(notFound, Map.of());
        this.errors = errors;
    }

    /**
     * The router of what {@code declare} declares.
     *
     * @throws IllegalArgumentException when a declaration is wrong
     */
    public static Router build(Consumer<Routing> declare) {
        Declarations declarations = new Declarations();
        declare.accept(declarations);
        return declarations.build();
    }

    /** The route for {@code method} and the (still encoded) {@code path}; 404 and 405 included. */
    Match find(Method method, String path) {
        Path found = exact.get(path);
        Map<String, String> params = Map.of();
        if (found == null) {
            for (Path candidate : patterns) {
                Map<String, String> matched = candidate.match(path);
                if (matched != null) {
                    found = candidate;
                    params = matched;
                    break;
                }
            }
            if (found == null) {
                return notFound;
            }
        }
        Route route = found.routes.get(method);
        if (route == null && method == Method.HEAD) {
            route = found.routes.get(Method.GET);
        }
        return new Match(route != null ? route : found.methodNotAllowed, params);
    }

    /** Whether {@code match} is the answer for a path without routes. */
    boolean isNotFound(Match match) {
        return match == notFound;
    }

    /** The error handlers, by exception type. */
    ErrorMapping errors() {
        return errors;
    }

    /** Collects what a {@link Routing} declares; routes get the global filters once all are known. */
    private static final class Declarations implements Routing {
        private final Map<String, PathSpec> exact = new HashMap<>();
        private final List<PathSpec> patterns = new ArrayList<>();
        private final List<Filter> filters = new ArrayList<>();
        private final List<Handler> afters = new ArrayList<>();
        private final Map<Class<? extends Throwable>, ErrorHandler<?>> errors = new LinkedHashMap<>();
        private Handler notFound;

        @Override
        public Routing route(Method method, String pattern, RouteOptions options, Handler handler) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(handler, "handler");
            // The mode check, before anything is recorded: a route refused leaves no trace.
            Route.of(handler, options, List.of(), List.of());
            String[] segments = Path.split(pattern);
            boolean literal = Arrays.stream(segments).noneMatch(Path::isVariable);
            PathSpec spec;
            if (literal) {
                spec = exact.computeIfAbsent(pattern, p -> new PathSpec(p, segments));
            } else {
                spec = patterns.stream().filter(p -> p.pattern.equals(pattern)).findFirst().orElseGet(() -> {
                    PathSpec created = new PathSpec(pattern, segments);
                    patterns.add(created);
                    return created;
                });
            }
            if (spec.routes.putIfAbsent(method, new RouteSpec(handler, options)) != null) {
                throw new IllegalArgumentException("route declared twice: " + method + " " + pattern);
            }
            return this;
        }

        @Override
        public Routing filter(Filter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        @Override
        public Routing after(Handler handler) {
            afters.add(Objects.requireNonNull(handler, "handler"));
            return this;
        }

        @Override
        public <T extends Throwable> Routing error(Class<T> type, ErrorHandler<? super T> handler) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(handler, "handler");
            if (errors.putIfAbsent(type, handler) != null) {
                throw new IllegalArgumentException("error handler declared twice for " + type.getName());
            }
            return this;
        }

        @Override
        public Routing notFound(Handler handler) {
            Objects.requireNonNull(handler, "handler");
            if (notFound != null) {
                throw new IllegalArgumentException("404 handler declared twice");
            }
            Route.of(handler, NONE, List.of(), List.of());
            notFound = handler;
            return this;
        }

        // Plain loops, no lambdas: each new lambda a server runs on its way to its first response
        // spins a class when the JVM is coldest.
        Router build() {
            Map<String, Path> builtExact = new HashMap<>();
            for (Map.Entry<String, PathSpec> entry : exact.entrySet()) {
                builtExact.put(entry.getKey(), entry.getValue().build(this));
            }
            List<Path> builtPatterns = new ArrayList<>(patterns.size());
            for (PathSpec spec : patterns) {
                builtPatterns.add(spec.build(this));
            }
            Route notFoundRoute = notFound != null ? route(notFound, NONE) : answer(Answer.NOT_FOUND);
            return new Router(Map.copyOf(builtExact), List.copyOf(builtPatterns), notFoundRoute, new ErrorMapping(errors));
        }

        Route route(Handler handler, RouteOptions options) {
            return Route.of(handler, options, filters, afters);
        }

        /**
         * The route of a default answer (404, 405): on the loop, unless global filters or after
         * handlers run with it, which may block, as they were written for fiber routes too.
         */
        Route answer(Handler handler) {
            boolean onLoop = filters.isEmpty() && afters.isEmpty();
            return route(handler, onLoop ? ON_LOOP : NONE);
        }
    }

    private static final RouteOptions ON_LOOP = RouteOptions.builder().dispatch(DispatchMode.NON_BLOCKING).build();

    private record RouteSpec(Handler handler, RouteOptions options) {
    }

    /** A path's routes while declaring. */
    private static final class PathSpec {
        final String pattern;
        final String[] segments;
        final EnumMap<Method, RouteSpec> routes = new EnumMap<>(Method.class);

        PathSpec(String pattern, String[] segments) {
            this.pattern = pattern;
            this.segments = segments;
        }

        Path build(Declarations declarations) {
            EnumMap<Method, Route> built = new EnumMap<>(Method.class);
            StringBuilder allow = new StringBuilder();
            for (Map.Entry<Method, RouteSpec> entry : routes.entrySet()) {
                RouteSpec spec = entry.getValue();
                built.put(entry.getKey(), declarations.route(spec.handler(), spec.options()));
                allow.append(allow.isEmpty() ? "" : ", ").append(entry.getKey().name());
            }
            if (routes.containsKey(Method.GET) && !routes.containsKey(Method.HEAD)) {
                allow.append(", HEAD");
            }
            Answer answer = new Answer(405, "Method Not Allowed", allow.toString());
            return new Path(pattern, segments, built, declarations.answer(answer));
        }
    }

    /** A default answer: a status and its reason as plain text, with {@code Allow} for a 405. */
    private record Answer(int status, String text, String allow) implements Handler {
        static final Answer NOT_FOUND = new Answer(404, "Not Found", null);

        @Override
        public void handle(Request req, Response res) {
            res.status(status);
            if (allow != null) {
                res.header("Allow", allow);
            }
            res.send(text);
        }
    }

    /** A path pattern and its routes, one per method. */
    private static final class Path {
        final String pattern;
        final String[] segments;
        final EnumMap<Method, Route> routes;
        /** The 405 answer, with the methods the path allows. */
        final Route methodNotAllowed;

        Path(String pattern, String[] segments, EnumMap<Method, Route> routes, Route methodNotAllowed) {
            this.pattern = pattern;
            this.segments = segments;
            this.routes = routes;
            this.methodNotAllowed = methodNotAllowed;
        }

        static String[] split(String pattern) {
            Objects.requireNonNull(pattern, "pattern");
            if (!pattern.startsWith("/")) {
                throw new IllegalArgumentException("a route pattern starts with '/': " + pattern);
            }
            String[] segments = pattern.substring(1).split("/", -1);
            for (int i = 0; i < segments.length; i++) {
                String s = segments[i];
                if (s.equals("*") && i != segments.length - 1) {
                    throw new IllegalArgumentException("'*' must be the last segment: " + pattern);
                }
                if (s.startsWith("{") != s.endsWith("}") || (s.startsWith("{") && s.length() < 3)) {
                    throw new IllegalArgumentException("malformed parameter in " + pattern);
                }
            }
            return segments;
        }

        static boolean isVariable(String segment) {
            return segment.startsWith("{") || segment.equals("*");
        }

        /** The parameters when {@code path} matches, else null. */
        Map<String, String> match(String path) {
            String[] parts = path.substring(1).split("/", -1);
            boolean rest = segments[segments.length - 1].equals("*");
            if (rest ? parts.length < segments.length - 1 : parts.length != segments.length) {
                return null;
            }
            Map<String, String> params = null;
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                if (segment.equals("*")) {
                    break;
                }
                if (segment.startsWith("{")) {
                    if (parts[i].isEmpty()) {
                        return null;
                    }
                    if (params == null) {
                        params = new HashMap<>(4);
                    }
                    params.put(segment.substring(1, segment.length() - 1), PercentDecoder.decode(parts[i], false));
                } else if (!segment.equals(parts[i])) {
                    return null;
                }
            }
            return params == null ? Map.of() : params;
        }
    }
}
