package dev.strand.reactor;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A reactor's bounded pool of platform threads for blocking work (EventMachine's thread pool behind
 * {@code EM.defer}): {@link EventLoop#defer}, {@link EventLoop#system} and {@link Fiber#offload}.
 *
 * <p>At most {@code threads} threads, started when first needed and ended after a minute unused;
 * at most {@code maxPending} blocks wait for one, beyond which a block is refused at once with an
 * {@link OffloadRejectedException}. {@link #close()} fails every block not yet done, queued or
 * running (a running one is also interrupted), so nobody waits on a closed pool.
 *
 * <p>A loop thread may submit: the executor's queue takes a short lock, but no holder of it ever
 * parks (nor, so, unmounts) while holding it, so a loop can never wait there on a fiber it carries.
 * Thread-safe.
 */
final class OffloadPool {

    private static final long KEEP_ALIVE_SECONDS = 60;

    private final String name;
    private final int threads;
    private final int maxPending;
    /**
     * Null until first used; once closed, an executor shut down from the start, which refuses
     * whatever is submitted to it. Created lazily so that a reactor's start loads none of this.
     */
    private final AtomicReference<ThreadPoolExecutor> executor = new AtomicReference<>();
    /** Blocks submitted and not yet done, so that {@link #close()} can fail those a shutdown drops or leaves running. */
    private final Set<Task<?>> live = ConcurrentHashMap.newKeySet();

    /** A simulation's loop, which runs the blocks itself (see {@link Simulation}); null for real threads. */
    private volatile java.util.concurrent.Executor simulatedLoop;

    OffloadPool(String reactorName, int threads, int maxPending) {
        this.name = reactorName.concat("-offload");
        this.threads = threads;
        this.maxPending = maxPending;
    }

    /**
     * Runs {@code block} on a pool thread; its outcome completes {@code deferred} (value or
     * exception, as thrown). When the pool refuses it, {@code deferred} fails with an
     * {@link OffloadRejectedException} at once. Any thread; never throws.
     *
     * @return the submitted block, to {@link Task#abandon} it
     */
    <T> Task<T> submit(Callable<? extends T> block, Deferred<T> deferred) {
        Task<T> task = new Task<>(block, deferred, this);
        live.add(task);
        try {
            java.util.concurrent.Executor loop = simulatedLoop;
            if (loop != null) {
                loop.execute(task);
                return task;
            }
            executor().execute(task);
        } catch (OffloadRejectedException e) {
            task.abandon(e);
        } catch (Throwable t) {
            // Out of memory or threads while starting a worker: the deferred must still learn of it.
            task.abandon(t);
        }
        return task;
    }

    /** Runs every block on {@code loop} from now on, in its ready phase: a simulation's. */
    void runOn(java.util.concurrent.Executor loop) {
        this.simulatedLoop = loop;
    }

    /**
     * Refuses new blocks and fails those not done with an {@link OffloadRejectedException}; running
     * ones are interrupted. Idempotent. Any thread.
     */
    void close() {
        ThreadPoolExecutor refusing = newExecutor(1, 1);
        refusing.shutdown();
        ThreadPoolExecutor running = executor.getAndSet(refusing);
        OffloadRejectedException closed = rejection(true);
        // Before the shutdown, whose interrupt could let a running block end normally first.
        abandonLive(closed);
        if (running != null) {
            running.shutdownNow(); // idempotent on an executor a previous close swapped in
        }
        // Queued meanwhile by callers that had fetched the executor before the swap; any later is refused.
        abandonLive(closed);
    }

    private void abandonLive(OffloadRejectedException closed) {
        for (Task<?> task : live) {
            task.abandon(closed);
        }
    }

    private ThreadPoolExecutor executor() {
        ThreadPoolExecutor current = executor.get();
        if (current != null) {
            return current;
        }
        ThreadPoolExecutor created = newExecutor(threads, maxPending);
        created.allowCoreThreadTimeOut(true);
        if (executor.compareAndSet(null, created)) {
            return created;
        }
        // Another caller won the race, or the pool was closed: this one never started a thread.
        created.shutdown();
        return executor.get();
    }

    private ThreadPoolExecutor newExecutor(int size, int queue) {
        return new ThreadPoolExecutor(size, size, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                Thread.ofPlatform().name(name.concat("-"), 1).daemon(true).factory(),
                (task, pool) -> {
                    throw rejection(pool.isShutdown());
                });
    }

    private OffloadRejectedException rejection(boolean closed) {
        return new OffloadRejectedException(closed
                ? name.concat(": closed with the reactor")
                : name.concat(": full, ").concat(String.valueOf(threads)).concat(" threads busy and ")
                        .concat(String.valueOf(maxPending)).concat(" blocks queued"), closed);
    }

    /** One block: completes its deferred when it ends, unless abandoned first. */
    static final class Task<T> extends FutureTask<T> {
        private final Deferred<T> deferred;
        private final OffloadPool pool;

        @SuppressWarnings("unchecked")
        Task(Callable<? extends T> block, Deferred<T> deferred, OffloadPool pool) {
            super((Callable<T>) block);
            this.deferred = deferred;
            this.pool = pool;
        }

        /** Called once, by the thread that ran the block or cancelled it. */
        @Override
        protected void done() {
            pool.live.remove(this);
            switch (state()) {
                case SUCCESS -> deferred.trySucceed(resultNow());
                case FAILED -> deferred.tryFail(exceptionNow());
                default -> {
                    // Cancelled: abandon() has already failed the deferred.
                }
            }
        }

        /**
         * Fails the deferred with {@code reason} unless it is already complete, and makes sure the
         * block does not run, or interrupts it if it runs. Any thread.
         */
        void abandon(Throwable reason) {
            deferred.tryFail(reason);
            cancel(true);
            pool.live.remove(this);
        }
    }
}
