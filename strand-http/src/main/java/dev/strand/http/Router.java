package dev.strand.http;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Finds the route for a method and path: exact paths by hash lookup, patterns in declaration order.
 * Immutable once built, so loops share it without locks.
 */
final class Router {

    /** A matched route and its path parameters. */
    record Match(Handler handler, Map<String, String> pathParams) {
    }

    /** What a lookup found: a match, or the methods the path allows (empty: no such path). */
    record Result(Match match, List<Method> allowed) {
    }

    private final Map<String, EnumMap<Method, Handler>> exact;
    private final List<PatternRoute> patterns;

    private Router(Map<String, EnumMap<Method, Handler>> exact, List<PatternRoute> patterns) {
        this.exact = exact;
        this.patterns = patterns;
    }

    static Router build(Consumer<Routing> declare) {
        Map<String, EnumMap<Method, Handler>> exact = new HashMap<>();
        List<PatternRoute> patterns = new ArrayList<>();
        declare.accept(new Routing() {
            @Override
            public Routing route(Method method, String pattern, Handler handler) {
                Objects.requireNonNull(method, "method");
                Objects.requireNonNull(handler, "handler");
                String[] segments = PatternRoute.split(pattern);
                boolean literal = java.util.Arrays.stream(segments).noneMatch(PatternRoute::isVariable);
                EnumMap<Method, Handler> handlers;
                if (literal) {
                    handlers = exact.computeIfAbsent(pattern, p -> new EnumMap<>(Method.class));
                } else {
                    PatternRoute route = patterns.stream().filter(p -> p.pattern.equals(pattern)).findFirst()
                            .orElseGet(() -> {
                                PatternRoute created = new PatternRoute(pattern, segments);
                                patterns.add(created);
                                return created;
                            });
                    handlers = route.handlers;
                }
                if (handlers.putIfAbsent(method, handler) != null) {
                    throw new IllegalArgumentException("route declared twice: " + method + " " + pattern);
                }
                return this;
            }
        });
        return new Router(Map.copyOf(exact), List.copyOf(patterns));
    }

    /** The route for {@code method} and the (still encoded) {@code path}. */
    Result find(Method method, String path) {
        EnumMap<Method, Handler> handlers = exact.get(path);
        Map<String, String> params = Map.of();
        if (handlers == null) {
            for (PatternRoute route : patterns) {
                Map<String, String> matched = route.match(path);
                if (matched != null) {
                    handlers = route.handlers;
                    params = matched;
                    break;
                }
            }
        }
        if (handlers == null) {
            return new Result(null, List.of());
        }
        Handler handler = handlers.get(method);
        if (handler == null && method == Method.HEAD) {
            handler = handlers.get(Method.GET);
        }
        if (handler == null) {
            List<Method> allowed = new ArrayList<>(handlers.keySet());
            if (allowed.contains(Method.GET) && !allowed.contains(Method.HEAD)) {
                allowed.add(Method.HEAD);
            }
            return new Result(null, allowed);
        }
        return new Result(new Match(handler, params), List.of());
    }

    private static final class PatternRoute {
        final String pattern;
        final String[] segments;
        final EnumMap<Method, Handler> handlers = new EnumMap<>(Method.class);

        PatternRoute(String pattern, String[] segments) {
            this.pattern = pattern;
            this.segments = segments;
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
