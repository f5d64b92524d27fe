package dev.strand.jdbc;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Cancels statements that run past their deadline.
 *
 * <p>The timer is one platform thread of the database's, not an event loop's timer: a statement that
 * holds its carrier (an embedded database computing on the caller's fiber) would hold the loop, and
 * with it the loop's timers, until it ended by itself. The cancel itself may block (pgjdbc opens a
 * connection to send it, MariaDB's driver one to send {@code KILL QUERY}), so it runs on a fiber of
 * its own and the timer thread only starts it.
 *
 * <p>A cancel must never reach the statement after this one on the same connection, which may be
 * another caller's: {@link Guard#disarm()} therefore waits for a cancel under way to finish before
 * the caller goes on and gives the connection back. Thread-safe.
 */
final class Canceller {

    private static final System.Logger LOG = System.getLogger(Database.class.getName());

    private final ScheduledThreadPoolExecutor timer;
    private final ThreadFactory cancellers;

    Canceller(String database) {
        this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name(database + "-deadlines").daemon(true).factory());
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.cancellers = Thread.ofVirtual().name(database + "-cancel-", 1).factory();
    }

    /** Cancels {@code statement} in {@code nanos} unless disarmed first. Any thread. */
    Guard arm(Statement statement, long nanos) {
        Guard guard = new Guard(statement, Thread.currentThread());
        try {
            guard.timer = timer.schedule(guard, nanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            guard.state.set(Guard.DISARMED); // the database is closing: run without a deadline timer
        }
        return guard;
    }

    /** Ends the timer thread; statements armed still run, uncancelled. */
    void close() {
        timer.shutdownNow();
    }

    /** The cancel of one execution of a statement. */
    final class Guard implements Runnable {
        static final int ARMED = 0;
        static final int CANCELLING = 1;
        static final int CANCELLED = 2;
        static final int DISARMED = 3;

        private final Statement statement;
        private final Thread owner;
        final AtomicInteger state = new AtomicInteger(ARMED);
        volatile ScheduledFuture<?> timer;

        private Guard(Statement statement, Thread owner) {
            this.statement = statement;
            this.owner = owner;
        }

        /** The deadline passed: on the timer thread. */
        @Override
        public void run() {
            if (state.compareAndSet(ARMED, CANCELLING)) {
                cancellers.newThread(this::cancel).start();
            }
        }

        private void cancel() {
            try {
                statement.cancel();
            } catch (SQLException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "cancelling a statement at its deadline failed", e);
            } finally {
                state.set(CANCELLED);
                LockSupport.unpark(owner);
            }
        }

        /**
         * Ends the guard once the statement has finished, by the owner. Returns whether the statement
         * was cancelled (or a cancel was at least attempted), after waiting for that cancel to end.
         */
        boolean disarm() {
            if (state.compareAndSet(ARMED, DISARMED)) {
                ScheduledFuture<?> scheduled = timer;
                if (scheduled != null) {
                    scheduled.cancel(false);
                }
                return false;
            }
            if (state.get() == DISARMED) {
                return false;
            }
            boolean interrupted = false;
            while (state.get() != CANCELLED) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                owner.interrupt();
            }
            return true;
        }
    }
}
