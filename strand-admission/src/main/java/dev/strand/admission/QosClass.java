package dev.strand.admission;

/**
 * How much a unit of work matters when there is not room for all of it. A {@link Limit} queues
 * {@link #CRITICAL} work ahead of the rest and sheds {@link #SHEDDABLE} work first: it is not
 * queued while the {@link QosLevel} is below {@link QosLevel#NORMAL}, nor once the queue is half
 * full. An HTTP route sets its class in its route options; its requests carry it.
 */
public enum QosClass {

    /** Must be served if anything is: health checks, payments; queued ahead of the others. */
    CRITICAL,

    /** Ordinary work: what a request or an acquire without a class gets. */
    STANDARD,

    /** Worth serving only when there is room: prefetches, batch jobs; the first to be shed. */
    SHEDDABLE
}
