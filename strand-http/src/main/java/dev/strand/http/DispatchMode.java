package dev.strand.http;

/**
 * How a route's handler runs: a property of the route, fixed when the route is declared and never
 * changed by filters. See {@link RouteOptions.Builder#dispatch}.
 */
public enum DispatchMode {

    /**
     * On a fiber (virtual thread) of its own, carried by the connection's loop: the handler may
     * block — read a streaming body, wait on a pool, sleep — while the loop serves others. The
     * default.
     */
    FIBER,

    /**
     * Inline on the loop, once the whole body has arrived (up to the body limit): no fiber, so the
     * cheapest way to answer. The handler, its filters and its error handlers must never block, or
     * every connection of the loop stalls. What {@link Handler#nonBlocking} declares.
     */
    NON_BLOCKING,

    /**
     * Inline on the loop like {@link #NON_BLOCKING}, completing later through a future; only for a
     * handler made with {@link Handler#async}.
     */
    ASYNC
}
