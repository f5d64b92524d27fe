package dev.strand.pool;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A factory of numbered test resources that records what the pool asks of it. */
final class TestResources implements ResourceFactory<TestResources.Res> {

    /** A resource; {@link #lent} catches a pool that lends one resource to two holders at once. */
    static final class Res {
        final int id;
        final AtomicBoolean lent = new AtomicBoolean();
        volatile boolean bad;
        volatile boolean destroyed;

        Res(int id) {
            this.id = id;
        }

        /** Marks it lent to the caller; fails if someone else holds it. */
        Res take() {
            if (!lent.compareAndSet(false, true)) {
                throw new AssertionError("resource " + id + " lent twice at once");
            }
            return this;
        }

        void putBack() {
            lent.set(false);
        }

        @Override
        public String toString() {
            return "res-" + id;
        }
    }

    final AtomicInteger createCalls = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    final List<Res> created = new CopyOnWriteArrayList<>();
    final List<Res> destroyed = new CopyOnWriteArrayList<>();
    final Set<Thread> creatorThreads = ConcurrentHashMap.newKeySet();
    final AtomicInteger creatingNow = new AtomicInteger();
    final AtomicInteger mostCreatingAtOnce = new AtomicInteger();
    /** When set, creations wait for it to open (at most 30 s). */
    volatile CountDownLatch gate;
    /** Creations fail while this is positive, counting it down. */
    final AtomicInteger failuresLeft = new AtomicInteger();

    @Override
    public Res create() throws Exception {
        createCalls.incrementAndGet();
        creatorThreads.add(Thread.currentThread());
        mostCreatingAtOnce.accumulateAndGet(creatingNow.incrementAndGet(), Math::max);
        try {
            CountDownLatch wait = gate;
            if (wait != null && !wait.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("creation fails (expected by the test)");
            }
            Res res = new Res(ids.incrementAndGet());
            created.add(res);
            return res;
        } finally {
            creatingNow.decrementAndGet();
        }
    }

    @Override
    public boolean validate(Res resource) {
        return !resource.bad;
    }

    @Override
    public void destroy(Res resource) {
        resource.destroyed = true;
        destroyed.add(resource);
    }
}
