package dev.strand.jdbc;

/**
 * A database transaction in progress, given to the work of {@link Database#transaction}: every
 * statement it runs goes to the same connection, and they take effect together when the work
 * returns, or not at all when it throws.
 *
 * <p>Threading: use it only on the thread that runs the work, and only until the work returns;
 * afterwards, or from another thread, every method throws {@link IllegalStateException}. It is not
 * for concurrent use, as a JDBC connection runs one statement at a time.
 *
 * <p>Failures are as in {@link SqlOperations}. A statement that fails leaves the transaction to the
 * database's rules: on PostgreSQL every later statement fails until the end, so let the exception
 * propagate and the work will be rolled back.
 */
public interface Transaction extends SqlOperations {
}
