package dev.strand.jdbc;

import java.util.List;
import java.util.Optional;

/**
 * The statements a {@link Database} and a {@link Transaction} both run, so that code can take
 * either: a repository method given a {@code SqlOperations} works inside a transaction and outside.
 *
 * <p><b>Parameters</b> bind to the statement's {@code ?} placeholders in order, through
 * {@link java.sql.PreparedStatement#setObject(int, Object)}, so the driver decides which Java types
 * it takes. A {@code null} or an empty {@link Optional} binds SQL NULL; a present {@code Optional}
 * binds its value.
 *
 * <p><b>Deadline.</b> A statement is not sent when the {@link dev.strand.reactor.Deadline} in force
 * has passed: the call fails at once with a {@link DeadlineExceededException} whose
 * {@link DeadlineExceededException#sent()} is false. One still running when the deadline passes is
 * cancelled ({@link java.sql.Statement#cancel()}) and fails with a {@code DeadlineExceededException}
 * whose {@code sent()} is true.
 *
 * <p><b>Failures.</b> What the database or the driver reports fails the call with a
 * {@link DatabaseException} carrying the SQL state; the message names the database and quotes the
 * SQL (never the parameters). Implementations say what else they throw.
 */
public interface SqlOperations {

    /**
     * Runs the query {@code sql} and maps every row of its result with {@code mapper}.
     *
     * @return the rows' values, in the result's order; unmodifiable
     * @throws DatabaseException         when the statement fails
     * @throws DeadlineExceededException when the deadline in force passed before or while it ran
     * @throws NullPointerException      when {@code mapper} returns null for a row
     */
    <T> List<T> query(String sql, RowMapper<T> mapper, Object... params);

    /**
     * Runs the query {@code sql} and maps its only row, if any, with {@code mapper}.
     *
     * @return the row's value, or empty when the result has no row
     * @throws DatabaseException when the result has more than one row, or the statement fails
     * @throws DeadlineExceededException when the deadline in force passed before or while it ran
     * @throws NullPointerException when {@code mapper} returns null
     */
    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params);

    /**
     * Runs {@code sql}, an INSERT, UPDATE, DELETE or DDL statement.
     *
     * @return the number of rows it changed (0 for DDL)
     * @throws DatabaseException         when the statement fails
     * @throws DeadlineExceededException when the deadline in force passed before or while it ran
     */
    int update(String sql, Object... params);

    /**
     * Runs {@code sql} once per element of {@code rows}, each element the parameters of one run,
     * as one JDBC batch. An empty {@code rows} sends nothing.
     *
     * @return per run, the number of rows it changed, or
     *         {@link java.sql.Statement#SUCCESS_NO_INFO} where the driver does not say
     * @throws DatabaseException         when the batch fails; which runs took effect depends on
     *                                   the driver, unless the batch runs in a transaction
     * @throws DeadlineExceededException when the deadline in force passed before or while it ran
     */
    int[] batch(String sql, List<Object[]> rows);
}
