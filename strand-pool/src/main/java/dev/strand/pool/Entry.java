package dev.strand.pool;

import dev.strand.reactor.EventLoop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One resource of a pool and what the pool knows of it. Its state says who owns it: the idle
 * resources ({@link #IDLE}), one holder or the pool's hand-off ({@link #LENT}), or nobody any more
 * ({@link #RETIRED}); taking it out of the idle ones is a compare-and-set, so two callers never get
 * it both.
 */
final class Entry<R> {

    static final int IDLE = 0;
    static final int LENT = 1;
    static final int RETIRED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Entry.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final R resource;
    /** {@link System#nanoTime()} past which the resource is retired. */
    final long expiresAt;
    private volatile int state = LENT;
    /**
     * Since when it is idle, and the loop it was last returned on (null for none): written by its
     * owner before it is made idle, read by whoever takes it next.
     */
    long idleSince;
    EventLoop loop;
    /** The current lease's origin, while leak detection is on; else null. */
    volatile LeaseOrigin lease;

    Entry(R resource, long createdAt, long expiresAt) {
        this.resource = resource;
        this.idleSince = createdAt;
        this.expiresAt = expiresAt;
    }

    boolean expired(long now) {
        return now - expiresAt >= 0;
    }

    boolean isIdle() {
        return state == IDLE;
    }

    /** By its owner, just before it joins the idle ones. */
    void markIdle() {
        state = IDLE;
    }

    /** By its owner, as it is given up. */
    void markRetired() {
        state = RETIRED;
    }

    /** Takes it out of the idle ones for a holder; false if someone else did first. */
    boolean claim() {
        return STATE.compareAndSet(this, IDLE, LENT);
    }

    /** Takes it out of the idle ones to retire it; false if someone else did first. */
    boolean claimToRetire() {
        return STATE.compareAndSet(this, IDLE, RETIRED);
    }

    /** When and where a lease began, for leak reports. */
    static final class LeaseOrigin {
        final long at;
        final Throwable from;
        /** Touched by the upkeep fiber only. */
        boolean reported;

        LeaseOrigin(long at, Throwable from) {
            this.at = at;
            this.from = from;
        }
    }
}
