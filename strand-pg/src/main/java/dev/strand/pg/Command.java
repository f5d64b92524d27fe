package dev.strand.pg;

import dev.strand.reactor.Deadline;
import dev.strand.reactor.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One call's statement on its way through a connection: the SQL and its runs of parameters in,
 * rows, counts or an error out. Its messages end with one Sync, so the server answers it with
 * exactly one ReadyForQuery: responses are matched to commands in the order they were sent.
 *
 * <p>Threading: created by the caller, then handed to the connection's loop, which fills in the
 * results and sets {@link #done} (a volatile write) before waking {@link #waiter}; the caller reads
 * the results only after seeing {@code done}.
 */
final class Command {

    final String sql;
    /** One parameter list per Bind/Execute: one for a query or an update, many for a batch. */
    final List<byte[][]> runs;
    final boolean wantRows;
    final Thread waiter;
    /** Null when no deadline is in force. */
    final Deadline deadline;

    // Results: written on the loop before done.
    final ArrayList<byte[]> rows = new ArrayList<>();
    final int[] counts;
    Columns columns;
    ServerError error;
    /** Why the connection could not carry the command; null when it did. */
    Throwable lost;
    /** The connection's transaction status after the command: 'I' idle, 'T' in a transaction, 'E' in a failed one. */
    char transactionStatus = 'I';
    /** The connection that carried it: a session keeps using it. */
    PgConnection connection;

    volatile boolean done;
    /** The deadline passed before the answer came: the caller has gone, the answer is dropped. */
    volatile boolean expired;

    /** Whether its messages were written for the server (read by the caller after {@link #expired}). */
    volatile boolean sentToServer;

    // Loop-only bookkeeping.
    PgStatement statement;
    boolean describes;
    int completed;
    boolean cancelRequested;
    boolean retried;
    /** Sent again because the Parse it was sent behind failed: it parses its statement itself. */
    boolean parseAgain;
    Timer deadlineTimer;

    Command(String sql, List<byte[][]> runs, boolean wantRows, Deadline deadline) {
        this.sql = sql;
        this.runs = runs;
        this.wantRows = wantRows;
        this.deadline = deadline;
        this.waiter = Thread.currentThread();
        this.counts = new int[runs.size()];
    }

    /** Marks the command answered and wakes its caller. On the loop. */
    void finish() {
        if (deadlineTimer != null) {
            deadlineTimer.cancel();
            deadlineTimer = null;
        }
        done = true;
        LockSupport.unpark(waiter);
    }

    /** Parks the caller until the command is answered or its deadline's timer marks it expired. */
    void await() {
        boolean interrupted = false;
        while (!done && !expired) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
                break;
            }
        }
        if (interrupted) {
            expired = true; // nobody will read the answer
            Thread.currentThread().interrupt();
        }
    }

    /** Resets what a first attempt gathered, before the command is sent again. On the loop. */
    void resetForRetry() {
        rows.clear();
        java.util.Arrays.fill(counts, 0);
        error = null;
        completed = 0;
        describes = false;
        retried = true;
    }
}
