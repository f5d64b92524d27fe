package dev.strand.pool;

import dev.strand.reactor.EventLoop;

/** One resource of a pool and what the pool knows of it. Mutable fields are guarded by the pool's lock. */
final class Entry<R> {

    final R resource;
    /** {@link System#nanoTime()} past which the resource is retired. */
    final long expiresAt;
    /** Since when it is idle: set when created or returned. */
    long idleSince;
    /** The loop it was last returned on; null for none (new, or returned off any loop). */
    EventLoop loop;
    /** When it was last lent; kept only while leak detection is on. */
    long leasedAt;
    /** Where the current lease was taken, while leak detection is on; else null. */
    Throwable leasedFrom;
    boolean leakReported;

    Entry(R resource, long createdAt, long expiresAt) {
        this.resource = resource;
        this.idleSince = createdAt;
        this.expiresAt = expiresAt;
    }

    boolean expired(long now) {
        return now - expiresAt >= 0;
    }
}
