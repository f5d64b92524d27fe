package dev.strand.http.internal;

import dev.strand.admission.Limit;
import dev.strand.admission.QosClass;
import dev.strand.http.DispatchMode;
import dev.strand.http.Filter;
import dev.strand.http.Handler;
import dev.strand.http.Headers;
import dev.strand.http.Request;
import dev.strand.http.RequestContext;
import dev.strand.http.RouteOptions;
import dev.strand.reactor.Clock;
import dev.strand.reactor.Deadline;
import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The internals' one way into what the API classes keep package-private: making {@link Headers}
 * around the parser's array, making and filling in a {@link RequestContext}, and reading a
 * {@link RouteOptions}' settings, none of which is API. The JDK's {@code SharedSecrets} pattern:
 * {@code dev.strand.http} implements this class once ({@code ApiAccessImpl}) and installs it from
 * {@link Headers}' static initializer; {@link #get()} initializes {@code Headers} when nothing has
 * installed it yet. The other direction needs no bridge: the API calls the public classes of this
 * package, which the module does not export.
 *
 * <p>Callers on a hot path keep {@link #get()}'s answer in a {@code static final} field: there is
 * one implementation, so the JIT calls it directly, as it did the package-private members.
 *
 * <p>The implementation is stateless; every method may be called from any thread, with the
 * threading of the member it stands for.
 */
public abstract class ApiAccess {

    /** Set once, while {@link Headers} is initialized; stateless, so a racy read is harmless. */
    private static ApiAccess installed;

    /** For {@code dev.strand.http}'s implementation only. */
    protected ApiAccess() {
    }

    /**
     * Installs {@code dev.strand.http}'s implementation; from {@link Headers}' static initializer.
     *
     * @throws IllegalStateException when one is installed already
     */
    public static synchronized void install(ApiAccess access) {
        if (installed != null) {
            throw new IllegalStateException("the API access is installed already");
        }
        installed = access;
    }

    /** The API package's implementation. Any thread. */
    static ApiAccess get() {
        ApiAccess access = installed;
        if (access == null) {
            try {
                MethodHandles.lookup().ensureInitialized(Headers.class); // which installs it
            } catch (IllegalAccessException e) {
                throw new AssertionError("Headers is public", e);
            }
            access = installed;
        }
        return access;
    }

    /** Headers of {@code size} fields in {@code namesAndValues} (alternating), taken as they are: not copied. */
    public abstract Headers headers(String[] namesAndValues, int size);

    /** The context of a request whose head was parsed just now ({@code RequestContext}'s constructor). */
    public abstract RequestContext context(Optional<Deadline> deadline, QosClass qos, Clock clock);

    /** Sets the context's partition; on the loop, before the route's thread starts or the request runs on the loop. */
    public abstract void partition(RequestContext context, Optional<String> partition);

    /** What {@link RequestContext#current()} reads. */
    public abstract ScopedValue<RequestContext> currentContext();

    /** The options' dispatch mode, when they set one. */
    public abstract Optional<DispatchMode> dispatch(RouteOptions options);

    /** The options' deadline, when they set one. */
    public abstract Optional<Duration> deadline(RouteOptions options);

    /** The options' partition function, when they set one. */
    public abstract Optional<Function<Request, String>> partition(RouteOptions options);

    /** The options' QoS class, when they set one. */
    public abstract Optional<QosClass> qos(RouteOptions options);

    /** The options' admission limit, when they set one. */
    public abstract Optional<Limit> limit(RouteOptions options);

    /** The route's own filters, in order. */
    public abstract List<Filter> filters(RouteOptions options);

    /** The route's own after handlers, in order. */
    public abstract List<Handler> afters(RouteOptions options);

    /** Whether a request of the route carries a {@link RequestContext}. */
    public abstract boolean hasContext(RouteOptions options);
}
