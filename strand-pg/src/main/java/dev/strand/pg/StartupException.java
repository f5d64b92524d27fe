package dev.strand.pg;

import java.io.IOException;

/** The server answered the start-up but refused the session (wrong password, no such database), or broke the protocol. */
final class StartupException extends IOException {

    private final String sqlState;

    StartupException(String message, String sqlState) {
        super(message);
        this.sqlState = sqlState;
    }

    /** The SQLSTATE of the server's report, or of the client's reading of it; may be null. */
    String sqlState() {
        return sqlState;
    }
}
