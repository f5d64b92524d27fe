package dev.strand.admission;

/**
 * How much work a {@link QosSwitch}'s limits let through, set by an operator at run time. A level
 * scales each limit's own figure (fixed, or what its adaptive algorithm has arrived at); it does not
 * change the figure itself, so going back to {@link #NORMAL} restores it at once.
 */
public enum QosLevel {

    /** Each limit admits what its figure says. */
    NORMAL,

    /** Limits halved (rounded up; never below one). */
    SLOW,

    /** One unit of work at a time per limit, so one request at a time per partition. */
    CRAWL,

    /**
     * Nothing new starts: work already admitted finishes, new work waits in the queue, and nothing is
     * turned away until the queue is full. A queued request's queue timeout does not run out while
     * paused; its deadline still does.
     */
    PAUSED;

    /** What a limit of {@code permits} admits at this level. */
    int scale(int permits) {
        return switch (this) {
            case NORMAL -> permits;
            case SLOW -> Math.max(1, (permits + 1) / 2);
            case CRAWL -> Math.min(1, permits);
            case PAUSED -> 0;
        };
    }

    /** The level one step more restrictive, or this one when it is {@link #PAUSED}. */
    public QosLevel slower() {
        return this == PAUSED ? PAUSED : values()[ordinal() + 1];
    }

    /** The level one step less restrictive, or this one when it is {@link #NORMAL}. */
    public QosLevel faster() {
        return this == NORMAL ? NORMAL : values()[ordinal() - 1];
    }
}
