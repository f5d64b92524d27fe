package dev.strand.http.internal;

import dev.strand.admission.AdmissionException;
import dev.strand.admission.Limit;
import dev.strand.admission.PartitionedLimit;
import dev.strand.admission.Permit;
import dev.strand.http.ErrorHandler;
import dev.strand.http.Filter;
import dev.strand.http.Handler;
import dev.strand.http.HttpException;
import dev.strand.http.RequestContext;
import dev.strand.reactor.Clock;
import dev.strand.reactor.Deadline;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.TimedOut;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The dispatch stage, between the router and the handler: runs a routed exchange the way its
 * {@link Route} says, on the thread its mode chose (its fiber, or the loop once the body arrived).
 *
 * <pre>
 *  on the loop, at the head:                  on the route's thread:
 *  context (deadline, partition, QoS) ─▶ admission ─▶ deadline passed? ─▶ filters ─▶ handler ─┐
 *                                        │ queued:   │ 503 + Retry-After  │ 503     │ thrown  │ thrown / future failed
 *                                        │ waits     ▼                    ▼         ▼         ▼
 *                                        │      error handlers, or the default answer ─▶ after handlers ─▶ finish ─▶ permit back
 * </pre>
 *
 * <p>Admission runs on the loop as soon as the head is parsed ({@link #admit}): a request its
 * route's limit queues holds no fiber while it waits, and one it rejects never starts a fiber.
 *
 * <p>A bare route (no filters, after handlers or context: the hot path of a plain non-blocking
 * handler) skips every step but the handler and the failure answer, and costs what it did before
 * routes had options. Only the route's own fields are read; nothing is decided per request by the
 * type of a handler.
 */
final class Dispatch {

    private static final System.Logger LOG = System.getLogger(Dispatch.class.getName());
    private static final ApiAccess API = ApiAccess.get();
    /** What {@link RequestContext#current()} reads. */
    private static final ScopedValue<RequestContext> CURRENT = API.currentContext();

    private Dispatch() {
    }

    /**
     * Gives a request whose route has a context that context, when its head has been parsed: its
     * clock starts now. On the loop.
     */
    static void arrived(Exchange exchange) {
        Route route = exchange.route;
        Clock clock = exchange.connection.loop().clock();
        Optional<Deadline> deadline = route.deadline == null ? Optional.empty() : Optional.of(Deadline.after(route.deadline, clock));
        RequestContext context = API.context(deadline, route.qos, clock);
        exchange.context = context;
        if (route.partition != null) {
            try {
                API.partition(context, Optional.ofNullable(route.partition.apply(exchange.request)));
            } catch (Throwable t) {
                exchange.early = t; // answered like the handler's failure, in its place
            }
        }
    }

    /**
     * Admits a request of a route with a limit, on the loop when its head is parsed, under its
     * partition's share. True when it may go on now: admitted (its permit is in the exchange), or
     * rejected ({@link Exchange#early}, answered in place of the handler). False when it waits in
     * the limit's queue: the connection's {@link Http1Connection#admitted} goes on, on the loop.
     */
    static boolean admit(Exchange exchange) {
        Route route = exchange.route;
        RequestContext context = exchange.context;
        CompletableFuture<Permit> admission;
        try {
            Limit limit = route.limit.forPartition(context.partition().orElse(PartitionedLimit.DEFAULT_PARTITION));
            // The request's deadline bounds its wait in the queue, and expires it there.
            admission = context.deadline().isPresent()
                    ? context.deadline().get().call(() -> limit.acquireAsync(route.qos))
                    : limit.acquireAsync(route.qos);
        } catch (Throwable t) {
            exchange.early = t;
            return true;
        }
        switch (admission.state()) {
            case SUCCESS -> {
                exchange.permit = admission.resultNow();
                return true;
            }
            case FAILED -> {
                exchange.early = admission.exceptionNow();
                return true;
            }
            case CANCELLED -> {
                exchange.early = new java.util.concurrent.CancellationException("admission cancelled");
                return true;
            }
            default -> {
                exchange.admission = admission;
                Http1Connection connection = exchange.connection;
                EventLoop loop = connection.loop();
                admission.whenComplete((permit, error) -> loop.execute(() -> connection.admitted(exchange, permit, error)));
                return false;
            }
        }
    }

    /**
     * Runs the exchange's route: on its fiber for a FIBER route, on the loop once the body has
     * arrived for the others. Never throws; every failure becomes a response.
     */
    static void run(Exchange exchange) {
        Route route = exchange.route;
        if (route.bare) {
            try {
                if (route.async == null) {
                    route.handler.handle(exchange.request, exchange.response);
                    exchange.response.finish();
                } else {
                    awaitFuture(exchange, route.async.handle(exchange.request, exchange.response));
                }
            } catch (Throwable t) {
                failed(exchange, t);
            }
            return;
        }
        if (exchange.context == null) {
            staged(exchange);
        } else {
            within(exchange.context, () -> staged(exchange));
        }
    }

    /** The deadline check, the filters and the handler; then the end, or the future's. */
    private static void staged(Exchange exchange) {
        Route route = exchange.route;
        CompletionStage<?> future;
        try {
            if (exchange.early != null) {
                throw exchange.early; // rejected, or the partition function failed: instead of the route
            }
            RequestContext context = exchange.context;
            if (context != null) {
                if (context.deadline().isPresent() && context.deadline().get().isExpired()) {
                    throw new HttpException(503, "The request's deadline passed before it could be served");
                }
            }
            if (route.filters.length == 0) {
                future = invoke(exchange, route);
            } else {
                Chain chain = new Chain(exchange, null, 0);
                chain.proceed();
                future = chain.future;
            }
        } catch (Throwable t) {
            failed(exchange, t);
            return;
        }
        if (future != null) {
            awaitFuture(exchange, future);
        } else {
            completed(exchange); // also when a filter answered without calling the handler
        }
    }

    /** Calls the handler; what an async one returned, else null. */
    private static CompletionStage<?> invoke(Exchange exchange, Route route) throws Exception {
        if (route.async == null) {
            route.handler.handle(exchange.request, exchange.response);
            return null;
        }
        return Objects.requireNonNull(route.async.handle(exchange.request, exchange.response),
                "the async handler returned null");
    }

    /** An async handler's future: the rest runs on the loop when it completes, whoever completes it. */
    private static void awaitFuture(Exchange exchange, CompletionStage<?> future) {
        EventLoop loop = exchange.connection.loop();
        future.whenComplete((ignored, error) -> loop.schedule(() -> {
            if (exchange.context == null) {
                futureDone(exchange, error);
            } else {
                within(exchange.context, () -> futureDone(exchange, error));
            }
        }));
    }

    private static void futureDone(Exchange exchange, Throwable error) {
        if (error == null) {
            completed(exchange);
        } else {
            failed(exchange, error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error);
        }
    }

    /** The handler is done: after handlers, then an unsent response goes out empty. */
    private static void completed(Exchange exchange) {
        afters(exchange);
        exchange.response.finish();
        giveBack(exchange, null);
    }

    /** A step failed with {@code error}: answer it, run the after handlers, finish. */
    private static void failed(Exchange exchange, Throwable error) {
        answer(exchange, error);
        afters(exchange);
        if (!exchange.response.isCommitted()) {
            exchange.response.finish(); // an error handler that set a status and sent nothing
        }
        giveBack(exchange, error);
    }

    /**
     * Gives the request's admission permit back, if it has one, saying how it went: nothing learnt
     * when the client went away; a drop when the request missed its deadline, was answered 503 or
     * 504, or failed for lack of time; else done, its duration a sample.
     */
    private static void giveBack(Exchange exchange, Throwable error) {
        Permit permit = exchange.permit;
        if (permit == null) {
            return;
        }
        exchange.permit = null;
        if (exchange.aborted) {
            permit.ignore();
        } else if (overloaded(exchange, error)) {
            permit.dropped();
        } else {
            permit.close();
        }
    }

    private static boolean overloaded(Exchange exchange, Throwable error) {
        RequestContext context = exchange.context;
        if (context != null && context.deadline().isPresent() && context.deadline().get().isExpired()) {
            return true;
        }
        int status = exchange.response.status();
        if (status == 503 || status == 504) {
            return true;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof TimedOut || t instanceof AdmissionException) {
                return true;
            }
        }
        return false;
    }

    private static void afters(Exchange exchange) {
        for (Handler after : exchange.route.afters) {
            try {
                after.handle(exchange.request, exchange.response);
            } catch (Throwable t) {
                answer(exchange, t);
            }
        }
    }

    /**
     * Answers {@code error} with its error handler, when one is declared and the response can still
     * be answered; else as the server always does (a 500, the HttpException's status, or an abort
     * when the response had started).
     */
    private static void answer(Exchange exchange, Throwable error) {
        Http1Response response = exchange.response;
        if (!response.isCommitted() && !exchange.aborted) {
            ErrorHandler<Throwable> handler = exchange.connection.errors().find(error);
            if (handler != null) {
                LOG.log(System.Logger.Level.DEBUG, () -> exchange + ": " + error + " goes to its error handler");
                response.reset();
                try {
                    handler.handle(exchange.request, response, error);
                } catch (Throwable t) {
                    response.fail(t, "error handler failed");
                }
                return;
            }
        }
        response.fail(error, "handler failed");
    }

    /** Runs {@code step} with {@code context} bound, and its deadline as the reactor's. */
    private static void within(RequestContext context, Runnable step) {
        ScopedValue.Carrier bound = ScopedValue.where(CURRENT, context);
        if (context.deadline().isEmpty()) {
            bound.run(step);
        } else {
            Deadline deadline = context.deadline().get();
            bound.run(() -> deadline.run(step));
        }
    }

    /**
     * One link of a filter chain: the filter at {@code index}, or the handler past the last. The
     * first link keeps what an async handler returned.
     */
    private static final class Chain implements Filter.Chain {
        private final Exchange exchange;
        private final Chain first;
        private final int index;
        private boolean proceeded;
        /** The async handler's future, on the first link; null until the handler has returned it. */
        private CompletionStage<?> future;

        Chain(Exchange exchange, Chain first, int index) {
            this.exchange = exchange;
            this.first = first == null ? this : first;
            this.index = index;
        }

        @Override
        public void proceed() throws Exception {
            if (proceeded) {
                throw new IllegalStateException("proceed() called twice by one filter");
            }
            proceeded = true;
            Route route = exchange.route;
            if (index < route.filters.length) {
                route.filters[index].filter(exchange.request, exchange.response, new Chain(exchange, first, index + 1));
            } else {
                first.future = invoke(exchange, route);
            }
        }
    }
}
