package dev.strand.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One connection's prepared statements, keyed by their SQL, least recently used out first.
 *
 * <p>Confined: only the holder of the connection's lease uses it, one call at a time, so it needs
 * no lock (and no thread-local: the holder changes with every lease). The pool's hand-over of the
 * lease orders one holder's changes before the next holder's reads.
 */
final class StatementCache {

    private static final System.Logger LOG = System.getLogger(Database.class.getName());

    private final Connection connection;
    private final int capacity;
    private final Counters counters;
    private final Map<String, PreparedStatement> statements;

    StatementCache(Connection connection, int capacity, Counters counters) {
        this.connection = connection;
        this.capacity = capacity;
        this.counters = counters;
        this.statements = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() > StatementCache.this.capacity) {
                    closeQuietly(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    /** The statement for {@code sql}: the cached one, or one prepared now (and cached). */
    PreparedStatement take(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement != null) {
            counters.reused.increment();
            return statement;
        }
        statement = connection.prepareStatement(sql);
        counters.prepared.increment();
        if (capacity > 0) {
            statements.put(sql, statement);
        }
        return statement;
    }

    /**
     * Ends a use of {@code statement}: keeps it for reuse unless it failed (its state is then
     * unknown, and a failure from a changed schema would repeat) or the cache is off.
     */
    void giveBack(String sql, PreparedStatement statement, boolean failed) {
        if (capacity == 0) {
            closeQuietly(statement);
        } else if (failed && statements.remove(sql, statement)) {
            closeQuietly(statement);
        }
    }

    /** How many statements are kept. */
    int size() {
        return statements.size();
    }

    /** Closes every kept statement; before the connection closes. */
    void closeAll() {
        List<PreparedStatement> all = new ArrayList<>(statements.values());
        statements.clear();
        all.forEach(StatementCache::closeQuietly);
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException | RuntimeException e) {
            // The connection may be broken already; closing it will release the statement anyway.
            LOG.log(System.Logger.Level.DEBUG, "closing a prepared statement failed", e);
        }
    }
}
