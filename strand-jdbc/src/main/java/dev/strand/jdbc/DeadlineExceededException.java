package dev.strand.jdbc;

/**
 * The {@link dev.strand.reactor.Deadline} in force passed: either before the statement was sent,
 * so it never was ({@link #sent()} false), or while it ran, so it was cancelled ({@code sent()}
 * true; the cause is the driver's report of the cancel). A transaction whose deadline passed before
 * its commit is rolled back, not committed.
 *
 * <p>A deadline that passes while the caller waits for a connection ends that wait with the pool's
 * {@link dev.strand.pool.PoolTimeoutException} instead, which says so.
 */
public final class DeadlineExceededException extends DatabaseException implements dev.strand.reactor.TimedOut {

    private final boolean sent;

    /**
     * A deadline failure as a database layer reports it: for layers other than this module's.
     *
     * @param sent     whether the statement had reached the database
     * @param sqlState the SQLSTATE of the database's report of the cancel, or null
     * @param cause    that report, or null
     */
    public DeadlineExceededException(String message, boolean sent, String sqlState, Throwable cause) {
        super(message, sqlState, 0, false, cause);
        this.sent = sent;
    }

    /** Whether the statement reached the database (and was cancelled there) before the call failed. */
    public boolean sent() {
        return sent;
    }
}
