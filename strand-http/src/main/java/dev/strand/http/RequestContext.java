package dev.strand.http;

import dev.strand.admission.QosClass;
import dev.strand.reactor.Clock;
import dev.strand.reactor.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the code a request calls may want to know about the request without being handed it: when
 * it started, its deadline, its partition and its {@link QosClass}. A pool, an admission queue or a
 * database client reads it with {@link #current()}.
 *
 * <pre>{@code
 * String tenant = RequestContext.current().flatMap(RequestContext::partition).orElse("shared");
 * }</pre>
 *
 * <p>A request has a context when its route sets a deadline, a partition, a QoS class or a limit
 * ({@link RouteOptions}). It is bound with a {@link ScopedValue} around the route's filters,
 * handler, error handlers and after handlers, on the thread that runs them; threads and fibers the
 * handler starts itself do not see it, nor do callbacks of an async handler's future. A route
 * without any of the three runs without one, at no cost: {@link #current()} is then empty, which
 * means what an empty context would — no deadline, no partition, {@link QosClass#STANDARD}.
 *
 * <p>The route's deadline is also bound as the reactor's {@link Deadline}, which is what waits
 * should consult: code may narrow it ({@link Deadline#run}), and {@link Deadline#current()} then
 * tells the narrower one, while {@link #deadline()} stays the request's.
 *
 * <p>Immutable and thread-safe.
 */
public final class RequestContext {

    static final ScopedValue<RequestContext> CURRENT = ScopedValue.newInstance();

    private final long startNanos;
    private final Clock clock;
    private final Optional<Deadline> deadline;
    private final QosClass qos;
    /**
     * Set by the dispatch stage on the loop when the head is parsed, before the route's thread is
     * started or the request runs on the loop: whoever reads it later sees it.
     */
    Optional<String> partition = Optional.empty();

    /** The context of a request whose head was parsed just now. */
    RequestContext(Optional<Deadline> deadline, QosClass qos, Clock clock) {
        this.clock = clock;
        this.startNanos = clock.nanoTime();
        this.deadline = deadline;
        this.qos = qos;
    }

    /** The context of the request the caller works for, if its route gives it one. Any thread. */
    public static Optional<RequestContext> current() {
        return CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
    }

    /** When the request's head was parsed, by the wall clock (read now, less {@link #elapsed()}). */
    public Instant startTime() {
        return Instant.ofEpochMilli(clock.currentTimeMillis()).minusNanos(clock.nanoTime() - startNanos);
    }

    /** The time since the request's head was parsed. */
    public Duration elapsed() {
        return Duration.ofNanos(clock.nanoTime() - startNanos);
    }

    /** The request's deadline: when its head was parsed plus the route's {@link RouteOptions.Builder#deadline}. */
    public Optional<Deadline> deadline() {
        return deadline;
    }

    /** The request's partition, from the route's {@link RouteOptions.Builder#partition} function. */
    public Optional<String> partition() {
        return partition;
    }

    /** The route's QoS class; {@link QosClass#STANDARD} when it sets none. */
    public QosClass qos() {
        return qos;
    }

    @Override
    public String toString() {
        return "RequestContext[elapsed " + elapsed().toMillis() + " ms, " + deadline.map(Deadline::toString).orElse("no deadline")
                + ", partition " + partition.orElse("none") + ", " + qos + "]";
    }
}
