package dev.strand.jdbc;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/** Reading what an {@link SQLException} says, and turning it into a {@link DatabaseException}. */
final class SqlErrors {

    /** SQL quoted in messages is cut to this many characters: enough to recognise it. */
    private static final int QUOTE_LENGTH = 160;

    private SqlErrors() {
    }

    /**
     * Whether {@code sqlState} says the connection is gone: class 08 (connection exception), or
     * PostgreSQL ending the session (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot
     * connect now).
     */
    static boolean isConnectionState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08")
                || sqlState.equals("57P01") || sqlState.equals("57P02") || sqlState.equals("57P03"));
    }

    /** Whether {@code e}, or an exception chained to it, says the connection is gone. */
    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLNonTransientConnectionException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && (isConnectionState(sql.getSQLState())
                    || sql.getNextException() != null && isConnectionState(sql.getNextException().getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code e} reports a statement cancelled on request: 57014 (PostgreSQL, H2: query
     * canceled), 70100 (MySQL, MariaDB: query interrupted), or the driver's timeout exception.
     */
    static boolean isCancelReport(SQLException e) {
        return e instanceof SQLTimeoutException || "57014".equals(e.getSQLState()) || "70100".equals(e.getSQLState());
    }

    /** A {@link DatabaseException} for {@code e}, which {@code what} (e.g. "statement failed") describes. */
    static DatabaseException translate(String database, String what, String sql, SQLException e, boolean connectionFailure) {
        String state = e.getSQLState();
        String message = "database '" + database + "': " + what
                + (state == null ? "" : " (SQL state " + state + ")") + ": " + firstLine(e.getMessage())
                + (connectionFailure ? "; the connection was discarded" : "") + "; SQL: " + quote(sql);
        return new DatabaseException(message, state, e.getErrorCode(), connectionFailure, e);
    }

    /** {@code sql} on one line, cut to a length that identifies it without flooding a log. */
    static String quote(String sql) {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() <= QUOTE_LENGTH ? line : line.substring(0, QUOTE_LENGTH) + "…";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int end = message.indexOf('\n');
        String line = end < 0 ? message : message.substring(0, end);
        // H2 ends its first line with "; SQL statement:" and the SQL on the next, which is quoted anyway.
        String h2Tail = "; SQL statement:";
        return line.endsWith(h2Tail) ? line.substring(0, line.length() - h2Tail.length()) : line;
    }
}
