package dev.strand.http;

import dev.strand.admission.Limit;
import dev.strand.admission.QosClass;
import dev.strand.http.internal.ApiAccess;
import dev.strand.reactor.Clock;
import dev.strand.reactor.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the internals ({@code dev.strand.http.internal}) may do with this package's package-private
 * members, and nothing more: they stay out of the API, yet the parser, the dispatch stage and the
 * routes reach them without copies or wrappers. Installed by {@link Headers}; see
 * {@link ApiAccess} for why a bridge. Stateless and thread-safe.
 */
final class ApiAccessImpl extends ApiAccess {

    @Override
    public Headers headers(String[] namesAndValues, int size) {
        return new Headers(namesAndValues, size);
    }

    @Override
    public RequestContext context(Optional<Deadline> deadline, QosClass qos, Clock clock) {
        return new RequestContext(deadline, qos, clock);
    }

    @Override
    public void partition(RequestContext context, Optional<String> partition) {
        context.partition = partition;
    }

    @Override
    public ScopedValue<RequestContext> currentContext() {
        return RequestContext.CURRENT;
    }

    @Override
    public Optional<DispatchMode> dispatch(RouteOptions options) {
        return options.dispatch;
    }

    @Override
    public Optional<Duration> deadline(RouteOptions options) {
        return options.deadline;
    }

    @Override
    public Optional<Function<Request, String>> partition(RouteOptions options) {
        return options.partition;
    }

    @Override
    public Optional<QosClass> qos(RouteOptions options) {
        return options.qos;
    }

    @Override
    public Optional<Limit> limit(RouteOptions options) {
        return options.limit;
    }

    @Override
    public List<Filter> filters(RouteOptions options) {
        return options.filters;
    }

    @Override
    public List<Handler> afters(RouteOptions options) {
        return options.afters;
    }

    @Override
    public boolean hasContext(RouteOptions options) {
        return options.hasContext();
    }
}
