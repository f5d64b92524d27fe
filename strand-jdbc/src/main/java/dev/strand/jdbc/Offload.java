package dev.strand.jdbc;

import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where driver calls run: on the caller, or, for drivers that may hold the thread carrying a fiber,
 * on a bounded pool of platform threads while the calling fiber parks.
 *
 * <p>Only fibers are offloaded: a platform thread that blocks holds nothing but itself, so its calls
 * run where they are. The threads start when first needed and end after a minute unused. Thread-safe.
 */
final class Offload {

    /** A driver call. */
    @FunctionalInterface
    interface SqlCall<T> {
        T call() throws SQLException;
    }

    private final ThreadPoolExecutor executor;
    private final Counters counters;

    private Offload(ThreadPoolExecutor executor, Counters counters) {
        this.executor = executor;
        this.counters = counters;
    }

    /** Every call runs on its caller. */
    static Offload none(Counters counters) {
        return new Offload(null, counters);
    }

    /** Calls from fibers run on at most {@code threads} platform threads named after {@code database}. */
    static Offload onPlatformThreads(String database, int threads, Counters counters) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().name(database + "-offload-", 1).daemon(true).factory());
        executor.allowCoreThreadTimeOut(true);
        return new Offload(executor, counters);
    }

    /**
     * Runs {@code call} and returns what it returns or throws. From a fiber of an offloading database
     * it runs on an offload thread, and the fiber parks until it is done, interrupt or not: the call
     * holds a connection, which must not be given back while it runs. An interrupt is kept for the
     * caller. After {@link #close()}, calls run on the caller.
     */
    <T> T call(SqlCall<T> call) throws SQLException {
        if (executor == null || !Thread.currentThread().isVirtual()) {
            return call.call();
        }
        FutureTask<T> task = new FutureTask<>(call::call);
        try {
            executor.execute(task);
        } catch (RejectedExecutionException closed) {
            return call.call();
        }
        counters.offloaded.increment();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether calls from fibers are offloaded. */
    boolean offloads() {
        return executor != null;
    }

    /** Lets queued calls finish, then ends the threads; later calls run on their callers. */
    void close() {
        if (executor != null) {
            executor.shutdown();
        }
    }

    private static SQLException rethrow(Throwable failure) {
        if (failure instanceof SQLException e) {
            return e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        // SqlCall declares only SQLException; anything else is a wrapped checked throwable.
        throw new IllegalStateException(failure);
    }
}
