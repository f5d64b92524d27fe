package dev.strand.jdbc;

import dev.strand.reactor.Deadline;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs statements on a connection the caller holds: refuses them past the deadline, takes the
 * prepared statement from the connection's cache, binds, arms the deadline's cancel, executes,
 * reads the rows, and turns failures into {@link DatabaseException}s, marking the connection broken
 * when one says so. Shared by a database's single calls and its transactions. Thread-safe; each
 * connection is used by one caller at a time.
 */
final class Runner {

    /** What runs with the statement prepared and its parameters bound. */
    @FunctionalInterface
    interface Work<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    private final String database;
    private final Offload offload;
    private final Canceller canceller;
    private final Counters counters;

    Runner(String database, Offload offload, Canceller canceller, Counters counters) {
        this.database = database;
        this.offload = offload;
        this.canceller = canceller;
        this.counters = counters;
    }

    <T> List<T> query(PooledConnection pc, Deadline deadline, String sql, RowMapper<T> mapper, Object[] params) {
        return run(pc, deadline, sql, statement -> {
            bind(statement, params);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(map(mapper, rows, values.size() + 1, sql));
                }
                return Collections.unmodifiableList(values);
            }
        });
    }

    <T> Optional<T> queryOne(PooledConnection pc, Deadline deadline, String sql, RowMapper<T> mapper, Object[] params) {
        return run(pc, deadline, sql, statement -> {
            bind(statement, params);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                T value = map(mapper, rows, 1, sql);
                if (rows.next()) {
                    throw new DatabaseException("database '" + database + "': expected at most one row, got more; SQL: "
                            + SqlErrors.quote(sql), null, 0, false, null);
                }
                return Optional.of(value);
            }
        });
    }

    int update(PooledConnection pc, Deadline deadline, String sql, Object[] params) {
        return run(pc, deadline, sql, statement -> {
            bind(statement, params);
            return statement.executeUpdate();
        });
    }

    int[] batch(PooledConnection pc, Deadline deadline, String sql, List<Object[]> rows) {
        return run(pc, deadline, sql, statement -> {
            statement.clearBatch();
            for (Object[] params : rows) {
                bind(statement, params);
                statement.addBatch();
            }
            return statement.executeBatch();
        });
    }

    /**
     * Runs a driver call that is not a statement (begin, commit, rollback, a check) on {@code pc},
     * offloaded like statements, without a deadline: a commit or a rollback is not to be cut short.
     * {@code label} names it in the exception.
     */
    <T> T control(PooledConnection pc, String label, Offload.SqlCall<T> call) {
        try {
            return offload.call(call);
        } catch (SQLException e) {
            throw failure(pc, label + " failed", label, e);
        } catch (RuntimeException | Error e) {
            pc.retire = true; // a driver that throws this has left the connection in a state nobody knows
            throw e;
        }
    }

    /** Fails at once, counted, if {@code deadline} has passed: the statement is not sent. */
    void refuseIfPast(Deadline deadline, String sql, String what) {
        if (deadline != null && deadline.isExpired()) {
            counters.refusedPastDeadline.increment();
            throw new DeadlineExceededException("database '" + database + "': " + what + ": the " + deadline
                    + "; SQL: " + SqlErrors.quote(sql), false, null, null);
        }
    }

    private <T> T run(PooledConnection pc, Deadline deadline, String sql, Work<T> work) {
        refuseIfPast(deadline, sql, "not sent");
        try {
            return offload.call(() -> runHere(pc, deadline, sql, work));
        } catch (SQLException e) {
            throw failure(pc, "statement failed", sql, e);
        }
    }

    /** On the thread that talks to the driver: the caller's or an offload thread. */
    private <T> T runHere(PooledConnection pc, Deadline deadline, String sql, Work<T> work) throws SQLException {
        // Again: the deadline may have passed while the call queued for an offload thread.
        refuseIfPast(deadline, sql, "not sent");
        PreparedStatement statement = pc.statements.take(sql);
        long started = System.nanoTime();
        boolean failed = true;
        try {
            Canceller.Guard guard = deadline == null ? null : canceller.arm(statement, deadline.remaining().toNanos());
            T result;
            try {
                result = work.run(statement);
            } catch (SQLException e) {
                // Waits for a cancel under way before anything else: it must not hit the next statement.
                if (guard != null && guard.disarm()) {
                    throw cancelled(pc, sql, started, e);
                }
                throw e;
            } catch (RuntimeException | Error e) {
                if (guard != null && guard.disarm()) {
                    pc.retire = true; // a cancel that found nothing to stop may linger in the session
                }
                throw e;
            }
            if (guard != null && guard.disarm()) {
                pc.retire = true; // as above: the statement ended just as the cancel went out
            }
            failed = false;
            return result;
        } catch (Error e) {
            pc.retire = true; // e.g. out of memory half-way through a result: the protocol state is unknown
            throw e;
        } finally {
            pc.statements.giveBack(sql, statement, failed);
        }
    }

    /**
     * The failure of a statement whose deadline's cancel went out. Only a failure that reports the
     * cancel shows that the cancel was spent on this statement; after any other, it might still reach
     * the session's next statement, so the connection is retired.
     */
    private DeadlineExceededException cancelled(PooledConnection pc, String sql, long started, SQLException e) {
        counters.cancelledAtDeadline.increment();
        if (SqlErrors.isConnectionFailure(e)) {
            pc.broken = true;
        } else if (!SqlErrors.isCancelReport(e)) {
            pc.retire = true;
        }
        return new DeadlineExceededException("database '" + database + "': cancelled at the deadline after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms"
                + (e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")")
                + "; SQL: " + SqlErrors.quote(sql), true, e.getSQLState(), e);
    }

    /** A {@link DatabaseException} for {@code e}, marking {@code pc} broken if the connection is gone. */
    private DatabaseException failure(PooledConnection pc, String what, String sql, SQLException e) {
        boolean gone = SqlErrors.isConnectionFailure(e) || isClosed(pc);
        if (gone) {
            pc.broken = true;
        }
        return SqlErrors.translate(database, gone ? "connection lost, " + what : what, sql, e, gone);
    }

    private static boolean isClosed(PooledConnection pc) {
        try {
            return pc.connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static void bind(PreparedStatement statement, Object[] params) throws SQLException {
        statement.clearParameters(); // a value left from the last use must not stand in for a missing one
        for (int i = 0; i < params.length; i++) {
            Object value = params[i];
            if (value instanceof Optional<?> optional) {
                value = optional.orElse(null);
            }
            statement.setObject(i + 1, value);
        }
    }

    private static <T> T map(RowMapper<T> mapper, ResultSet rows, int row, String sql) throws SQLException {
        T value = mapper.map(rows);
        if (value == null) {
            throw new NullPointerException("the row mapper returned null for row " + row + " of: " + SqlErrors.quote(sql)
                    + "; map a SQL NULL to a value or an Optional");
        }
        return value;
    }
}
