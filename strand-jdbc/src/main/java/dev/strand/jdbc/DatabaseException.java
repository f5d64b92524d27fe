package dev.strand.jdbc;

import java.util.Optional;

/**
 * A database call failed: the database refused the statement, the connection broke or could not be
 * made, or the result was not what the call expects. Unchecked, in place of
 * {@link java.sql.SQLException}, which is its cause when the driver reported the failure.
 *
 * <p>The message names the database and quotes the SQL (shortened, never its parameters). For a
 * request handler: {@link #isConnectionFailure()} maps well to 503, a
 * {@link DeadlineExceededException} to 504.
 */
public class DatabaseException extends RuntimeException {

    private final String sqlState;
    private final int errorCode;
    private final boolean connectionFailure;

    /**
     * A failure as a database layer reports it: for layers other than this module's (such as
     * Strand's PostgreSQL client), which follow the same rules for the message.
     *
     * @param sqlState          the SQLSTATE the database reported, or null when it reported none
     * @param errorCode         the database's own error code, or 0
     * @param connectionFailure whether the connection broke or could not be made
     * @param cause             what was caught, or null
     */
    public DatabaseException(String message, String sqlState, int errorCode, boolean connectionFailure, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
        this.errorCode = errorCode;
        this.connectionFailure = connectionFailure;
    }

    /** The five-character SQLSTATE the driver reported, if it reported one. */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }

    /** The database's own error code, as the driver reported it; 0 when there is none. */
    public int errorCode() {
        return errorCode;
    }

    /**
     * Whether the connection to the database broke or could not be made: SQLSTATE class 08, the
     * server ending the session (57P01 to 57P03), a driver's connection exception, or the database
     * found unreachable. The connection, if there was one, has been discarded; a retry gets
     * another, once the database is back.
     */
    public boolean isConnectionFailure() {
        return connectionFailure;
    }
}
