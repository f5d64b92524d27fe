package dev.strand.http;

/**
 * How much a route's requests matter when the server is overloaded: admission control sheds
 * {@link #SHEDDABLE} requests first and {@link #CRITICAL} ones last. A route's class is carried by
 * its {@link RequestContext}, so the code a request calls can read it; the server itself does not
 * act on it yet (admission control is a later change).
 */
public enum QosClass {

    /** Must be served if anything is: health checks, payments, the last to be shed. */
    CRITICAL,

    /** Ordinary requests: what a route without a class gets. */
    STANDARD,

    /** Worth serving only when there is room: prefetches, batch jobs, the first to be shed. */
    SHEDDABLE
}
