package dev.strand.jdbc;

import java.sql.Connection;

/**
 * A pooled connection with what the database keeps beside it: its statements, its own isolation
 * and read-only settings (to restore after a transaction), when it was last returned and whether
 * it broke or is to be retired. Confined to the holder of its lease, like {@link StatementCache}.
 */
final class PooledConnection {

    final Connection connection;
    final StatementCache statements;
    final int ownIsolation;
    final boolean ownReadOnly;
    /** {@link System#nanoTime()} when it was made or last returned to the pool. */
    long returnedAt;
    /** Set once it reported a connection failure: it goes back to be destroyed, counted as lost. */
    boolean broken;
    /** Set when it works but should not be lent again (a cancel may linger): destroyed, not counted as lost. */
    boolean retire;

    PooledConnection(Connection connection, StatementCache statements, int ownIsolation, boolean ownReadOnly) {
        this.connection = connection;
        this.statements = statements;
        this.ownIsolation = ownIsolation;
        this.ownReadOnly = ownReadOnly;
        this.returnedAt = System.nanoTime();
    }
}
