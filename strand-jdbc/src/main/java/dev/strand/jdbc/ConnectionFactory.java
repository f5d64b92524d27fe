package dev.strand.jdbc;

import dev.strand.pool.ResourceFactory;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Makes and closes the pool's connections, and remembers whether making them fails: while it does
 * and none is left, the database fails calls at once instead of letting them wait.
 *
 * <p>Runs on the pool's fibers (and on the thread that closes the pool); driver calls go through the
 * database's {@link Offload}. Validation is not here but in {@link PooledDatabase}, which knows more
 * (when another connection broke) and can fail fast when a check fails.
 */
final class ConnectionFactory implements ResourceFactory<PooledConnection> {

    /** Why and since when making connections fails. */
    record Failure(SQLException cause, long since) {
    }

    private final Connector connector;
    private final Offload offload;
    private final int statementCacheSize;
    private final Counters counters;
    /** Null while connecting works. */
    private volatile Failure failing;
    /** {@link System#nanoTime()} when the database was last known reachable: a connection made, or one found valid. */
    private volatile long reachableAt = System.nanoTime();

    ConnectionFactory(Connector connector, Offload offload, int statementCacheSize, Counters counters) {
        this.connector = connector;
        this.offload = offload;
        this.statementCacheSize = statementCacheSize;
        this.counters = counters;
    }

    @Override
    public PooledConnection create() throws SQLException {
        Connection connection;
        try {
            connection = offload.call(connector::connect);
        } catch (SQLException e) {
            Failure before = failing;
            failing = new Failure(e, before == null ? System.nanoTime() : before.since());
            throw e;
        }
        try {
            // Read once, so that restoring them after a transaction needs no round trip to ask.
            int isolation = offload.call(connection::getTransactionIsolation);
            boolean readOnly = offload.call(connection::isReadOnly);
            reachable();
            return new PooledConnection(connection, new StatementCache(connection, statementCacheSize, counters), isolation, readOnly);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    @Override
    public void destroy(PooledConnection pooled) throws SQLException {
        offload.call(() -> {
            pooled.statements.closeAll();
            pooled.connection.close();
            return null;
        });
    }

    /** Why making connections fails, if it does: set by a failure, cleared by a success. */
    Failure failing() {
        return failing;
    }

    /** The database was reached: connecting works, or a connection was found valid. */
    void reachable() {
        reachableAt = System.nanoTime();
        failing = null;
    }

    /** {@link System#nanoTime()} when the database was last known reachable. */
    long reachableAt() {
        return reachableAt;
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException ignored) {
            // It failed half-made; the failure that matters is being thrown.
        }
    }
}
