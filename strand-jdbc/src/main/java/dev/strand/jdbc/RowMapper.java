package dev.strand.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Turns the current row of a result into a value: {@code rs -> new User(rs.getLong("id"),
 * rs.getString("name"))}.
 *
 * <p>Called once per row, in order, on the thread that runs the statement: the caller's, or an
 * offload thread when the database offloads (see {@link Database.Builder#offload}), so it should not
 * rely on thread-bound state. It must not move the cursor or close the result set. It must not
 * return null: map a SQL NULL to a value or an {@link java.util.Optional}.
 *
 * <p>Failures: an {@link SQLException} it throws (say, an unknown column) fails the call with a
 * {@link DatabaseException}; any other exception propagates as is. Either way the connection goes
 * back to the pool.
 *
 * @param <T> the value of a row
 */
@FunctionalInterface
public interface RowMapper<T> {

    /** The value of the row {@code row} is on; never null. */
    T map(ResultSet row) throws SQLException;
}
