package dev.strand.pg;

import dev.strand.jdbc.DatabaseException;
import dev.strand.jdbc.RowMapper;
import dev.strand.jdbc.SqlOperations;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The statements of {@link SqlOperations}, for the client (any pipelined connection of the caller's
 * loop), a session (the connection its first statement took) and a transaction (its own connection).
 */
abstract sealed class PgOperations implements SqlOperations permits PgClient, PgSession, PgTransaction {

    /** The client whose connections carry the statements. */
    abstract PgClient client();

    /** The connection every statement must take, or null for any of the caller's loop. */
    abstract PgConnection pinned();

    /** Called before each statement: throws when this may not be used (ended, another thread). */
    void checkUsable() {
    }

    /**
     * The check of a session or a transaction: usable only until its work returns, and only by the
     * thread that runs the work ({@code what}: "session", "transaction").
     */
    final void checkOwnedAndOpen(boolean ended, Thread owner, String what) {
        if (ended) {
            throw new IllegalStateException(client().name() + ": the " + what + " has ended");
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException(client().name() + ": a " + what + " is used only by the thread that runs its work");
        }
    }

    /** Called after each statement with the connection that carried it. */
    void carried(Command command) {
    }

    private Command run(String sql, List<byte[][]> runs, boolean wantRows) {
        checkUsable();
        PgClient client = client();
        Command command = new Command(sql, runs, wantRows, client.deadlineForNewStatement(sql));
        try {
            return client.run(command, pinned());
        } finally {
            carried(command);
        }
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(mapper, "mapper");
        return rows(run(sql, Collections.singletonList(Params.encode(params)), true), mapper);
    }

    @Override
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        if (rows.size() > 1) {
            throw new DatabaseException(client().name() + ": expected at most one row, got " + rows.size() + " from: "
                    + PgClient.quote(sql), null, 0, false, null);
        }
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    @Override
    public int update(String sql, Object... params) {
        return run(sql, Collections.singletonList(Params.encode(params)), false).counts[0];
    }

    /**
     * {@inheritDoc}
     *
     * <p>The runs are pipelined and end with one Sync: outside a transaction they run in one implicit
     * transaction, all or none.
     */
    @Override
    public int[] batch(String sql, List<Object[]> rows) {
        Objects.requireNonNull(sql, "sql");
        if (rows.isEmpty()) {
            return new int[0];
        }
        List<byte[][]> runs = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            runs.add(Params.encode(row));
        }
        return run(sql, runs, false).counts.clone();
    }

    private <T> List<T> rows(Command command, RowMapper<T> mapper) {
        if (command.rows.isEmpty()) {
            return List.of();
        }
        RowResultSet row = new RowResultSet(command.columns != null ? command.columns : Columns.NONE);
        List<T> values = new ArrayList<>(command.rows.size());
        try {
            for (int i = 0; i < command.rows.size(); i++) {
                row.position(command.rows.get(i), i + 1);
                values.add(Objects.requireNonNull(mapper.map(row), "the row mapper returned null"));
            }
        } catch (SQLException e) {
            throw new DatabaseException(client().name() + ": reading a row failed: " + e.getMessage() + " in: "
                    + PgClient.quote(command.sql), e.getSQLState(), 0, false, e);
        }
        return Collections.unmodifiableList(values);
    }
}
