package dev.strand.admission;

/**
 * What a {@link Limit} is doing, read at one moment: plain figures for metrics and admin pages.
 *
 * @param name the limit's name
 * @param level the {@link QosLevel} it follows
 * @param limit how many units of work it admits at once now, the level applied
 * @param inFlight how many hold a permit
 * @param queued how many wait in its queue
 * @param admitted permits granted since it was made
 * @param rejected work turned away at once (queue full, or shed)
 * @param timedOut work that waited its queue timeout and gave up
 * @param expired queued work whose deadline passed before it could start
 * @param dropped permits given back as {@link Permit#dropped()}
 */
public record LimitStats(String name, QosLevel level, int limit, int inFlight, int queued, long admitted,
                         long rejected, long timedOut, long expired, long dropped) {
}
