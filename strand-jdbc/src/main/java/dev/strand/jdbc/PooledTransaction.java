package dev.strand.jdbc;

import dev.strand.reactor.Deadline;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Transaction} on the connection its {@link PooledDatabase} holds for it; also a session's
 * statements (auto-commit, one connection), which differ only in their name.
 */
final class PooledTransaction implements Transaction {

    private final String database;
    private final Runner runner;
    private final PooledConnection pc;
    private final Thread owner;
    /** "transaction" or "session", for messages. */
    private final String kind;
    /** Read on each call, to refuse use after the work returned; written by the owner only. */
    private boolean open = true;

    PooledTransaction(String database, Runner runner, PooledConnection pc, Thread owner, String kind) {
        this.database = database;
        this.kind = kind;
        this.runner = runner;
        this.pc = pc;
        this.owner = owner;
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(mapper, "mapper");
        checkUsable(sql, params);
        return runner.query(pc, deadline(), sql, mapper, params);
    }

    @Override
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        Objects.requireNonNull(mapper, "mapper");
        checkUsable(sql, params);
        return runner.queryOne(pc, deadline(), sql, mapper, params);
    }

    @Override
    public int update(String sql, Object... params) {
        checkUsable(sql, params);
        return runner.update(pc, deadline(), sql, params);
    }

    @Override
    public int[] batch(String sql, List<Object[]> rows) {
        checkUsable(sql, rows);
        if (rows.isEmpty()) {
            return new int[0];
        }
        return runner.batch(pc, deadline(), sql, rows);
    }

    /** Ends the transaction's use: later calls fail. By the owner, when the work returns or throws. */
    void end() {
        open = false;
    }

    private void checkUsable(String sql, Object params) {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(params, "params");
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("database '" + database + "': a " + kind + " is used only on the thread that runs its work, "
                    + owner + ", not " + Thread.currentThread());
        }
        if (!open) {
            throw new IllegalStateException("database '" + database + "': this " + kind + " has ended");
        }
    }

    private static Deadline deadline() {
        return Deadline.current().orElse(null);
    }

    @Override
    public String toString() {
        return (open ? kind + " of database '" : "ended " + kind + " of database '") + database + "'";
    }
}
