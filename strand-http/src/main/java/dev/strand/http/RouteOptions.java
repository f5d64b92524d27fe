package dev.strand.http;

import dev.strand.admission.Limit;
import dev.strand.admission.QosClass;
import dev.strand.http.internal.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How one route runs: its {@link DispatchMode}, its own filters, the {@link Limit} that admits its
 * requests, and what its requests carry in their {@link RequestContext} (a deadline, a partition, a
 * QoS class). Immutable and thread-safe; one instance may serve many routes.
 *
 * <pre>{@code
 * RouteOptions reports = RouteOptions.builder()
 *         .deadline(Duration.ofMillis(300))
 *         .partition(req -> req.header("X-Tenant").orElse("anonymous"))
 *         .qos(QosClass.SHEDDABLE)
 *         .limit(perTenant)            // a PartitionedLimit: a share per tenant
 *         .build();
 * routing.get("/reports/{id}", reports, Reports::show);
 * }</pre>
 */
public final class RouteOptions {

    static final RouteOptions NONE = builder().build();

    final Optional<DispatchMode> dispatch;
    final Optional<Duration> deadline;
    final Optional<Function<Request, String>> partition;
    final Optional<QosClass> qos;
    final Optional<Limit> limit;
    final List<Filter> filters;
    final List<Handler> afters;

    private RouteOptions(Builder b) {
        this.dispatch = b.dispatch;
        this.deadline = b.deadline;
        this.partition = b.partition;
        this.qos = b.qos;
        this.limit = b.limit;
        this.filters = List.copyOf(b.filters);
        this.afters = List.copyOf(b.afters);
    }

    /** A builder with nothing set: a fiber route without filters or context. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether a request of the route carries a {@link RequestContext}. */
    boolean hasContext() {
        return deadline.isPresent() || partition.isPresent() || qos.isPresent() || limit.isPresent();
    }

    @Override
    public String toString() {
        return "RouteOptions[dispatch=" + dispatch.map(Enum::name).orElse("(handler's)")
                + ", deadline=" + deadline.map(Duration::toString).orElse("none")
                + ", partition=" + (partition.isPresent() ? "by function" : "none")
                + ", qos=" + qos.map(Enum::name).orElse("none")
                + ", limit=" + limit.map(Limit::name).orElse("none")
                + ", filters=" + filters.size() + ", after=" + afters.size() + "]";
    }

    /** Builds {@link RouteOptions}; every setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private Optional<DispatchMode> dispatch = Optional.empty();
        private Optional<Duration> deadline = Optional.empty();
        private Optional<Function<Request, String>> partition = Optional.empty();
        private Optional<QosClass> qos = Optional.empty();
        private Optional<Limit> limit = Optional.empty();
        private final List<Filter> filters = new ArrayList<>();
        private final List<Handler> afters = new ArrayList<>();

        private Builder() {
        }

        /**
         * How the handler runs. By default a handler made with {@link Handler#nonBlocking} or
         * {@link Handler#async} runs in that mode and any other on a fiber; saying so here makes
         * a plain handler non-blocking. {@link DispatchMode#ASYNC} needs a handler made with
         * {@link Handler#async}; declaring the route fails when the two disagree.
         */
        public Builder dispatch(DispatchMode mode) {
            this.dispatch = Optional.of(Objects.requireNonNull(mode, "mode"));
            return this;
        }

        /**
         * The time a request has, counted from when its head was parsed. It is bound as the
         * reactor's {@link dev.strand.reactor.Deadline} around the filters and handler, so whatever
         * they wait on (a pool, a queue) can give up in time; a request whose deadline passed before
         * its handler could start is answered 503 without running filters or handler. The server
         * does not interrupt a handler that outlives it.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder deadline(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("a deadline must be positive: " + timeout);
            }
            this.deadline = Optional.of(timeout);
            return this;
        }

        /**
         * Names the partition a request belongs to (a tenant, a client): the share of a
         * {@link dev.strand.admission.PartitionedLimit} it is admitted under, and what code that shares
         * a resource fairly between partitions reads from its {@link RequestContext}. Called once per
         * request, on its loop, as soon as its head is parsed, before admission and the filters: it
         * must be quick and must not block (read a header or a path parameter). What it throws is
         * answered like a handler's failure, and the handler does not run; null is taken as no
         * partition ({@link dev.strand.admission.PartitionedLimit#DEFAULT_PARTITION} for a limit).
         */
        public Builder partition(Function<Request, String> key) {
            this.partition = Optional.of(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * The route's {@link QosClass}: how its requests queue for the route's {@link #limit} (critical
         * ones first, sheddable ones shed first). Without one, requests count as {@link QosClass#STANDARD}.
         */
        public Builder qos(QosClass qos) {
            this.qos = Optional.of(Objects.requireNonNull(qos, "qos"));
            return this;
        }

        /**
         * The admission limit of the route's requests, shared with whatever else uses the same
         * instance (other routes, code calling it directly). A request is admitted on its loop as
         * soon as its head is parsed, under its partition's limit when {@code limit} is a
         * {@link dev.strand.admission.PartitionedLimit}: it runs at once if there is room, waits in
         * the limit's queue otherwise (holding no fiber and reading no more of its connection), and
         * is answered {@code 503} with {@code Retry-After} when the queue is full, its wait times out
         * or its deadline passes first; error handlers for
         * {@link dev.strand.admission.AdmissionException} may answer otherwise. Its permit is held
         * until the handler (and the after handlers) are done, and given back as a drop when the
         * request missed its deadline, was answered 503 or 504, or failed with a
         * {@link dev.strand.reactor.TimedOut} exception; as nothing learnt when the client went away.
         */
        public Builder limit(Limit limit) {
            this.limit = Optional.of(Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /** Adds a filter of this route only; it runs after the global ones, in the order added. */
        public Builder filter(Filter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /**
         * Adds a filter that runs {@code handler} first, then the rest unless {@code handler}
         * sent the response (say a 401). Same rules as {@link #filter}.
         */
        public Builder before(Handler handler) {
            return filter(Route.before(Objects.requireNonNull(handler, "handler")));
        }

        /**
         * Adds a handler to run once this route's handler is done, before the global ones; see
         * {@link Routing#after} for when that is and what it sees.
         */
        public Builder after(Handler handler) {
            afters.add(Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /** The options. The builder may go on being used; what it builds later is independent. */
        public RouteOptions build() {
            return new RouteOptions(this);
        }
    }
}
