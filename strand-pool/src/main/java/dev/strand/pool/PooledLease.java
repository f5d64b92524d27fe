package dev.strand.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** A lease of a {@link FairPool}: one per acquire, so a stale lease cannot end someone else's. */
final class PooledLease<R> implements Lease<R> {

    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(PooledLease.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final FairPool<R> pool;
    private final Entry<R> entry;
    @SuppressWarnings("unused") // through ENDED
    private volatile boolean ended;

    PooledLease(FairPool<R> pool, Entry<R> entry) {
        this.pool = pool;
        this.entry = entry;
    }

    @Override
    public R get() {
        if (ended) {
            throw new IllegalStateException("this lease of pool '" + pool.name() + "' has ended");
        }
        return entry.resource;
    }

    @Override
    public void discard() {
        if (ENDED.compareAndSet(this, false, true)) {
            pool.giveBack(entry, true);
        }
    }

    @Override
    public void close() {
        if (ENDED.compareAndSet(this, false, true)) {
            pool.giveBack(entry, false);
        }
    }

    @Override
    public String toString() {
        return (ended ? "ended lease of pool '" : "lease of pool '") + pool.name() + "'";
    }
}
