package dev.strand.pg;

import java.nio.ByteBuffer;

/**
 * An ErrorResponse (or NoticeResponse): the fields a report needs. Immutable.
 *
 * @param severity {@code ERROR}, {@code FATAL}, {@code PANIC} (or a notice's level)
 * @param sqlState the SQLSTATE code
 * @param message  the primary message
 * @param detail   the detail, or null
 * @param hint     the hint, or null
 */
record ServerError(String severity, String sqlState, String message, String detail, String hint) {

    /** Reads the fields from {@code in}, positioned after the length word. */
    static ServerError read(ByteBuffer in) {
        String severity = null;
        String localized = "ERROR";
        String code = null;
        String message = "";
        String detail = null;
        String hint = null;
        byte field;
        while ((field = in.get()) != 0) {
            String value = Columns.cstring(in);
            switch (field) {
                case 'V' -> severity = value; // not localized
                case 'S' -> localized = value;
                case 'C' -> code = value;
                case 'M' -> message = value;
                case 'D' -> detail = value;
                case 'H' -> hint = value;
                default -> {
                }
            }
        }
        return new ServerError(severity != null ? severity : localized, code, message, detail, hint);
    }

    /** Whether the server ends the session after it: the connection is gone. */
    boolean isFatal() {
        return severity.equals("FATAL") || severity.equals("PANIC");
    }

    /** Whether it says the connection is lost: class 08, or the server shutting down (57P01–57P03). */
    boolean isConnectionFailure() {
        return isFatal() || (sqlState != null && (sqlState.startsWith("08") || sqlState.matches("57P0[1-3]")));
    }

    /** The message with its detail and hint, on one line. */
    String describe() {
        StringBuilder text = new StringBuilder(message);
        if (detail != null) {
            text.append(" (").append(detail).append(')');
        }
        if (hint != null) {
            text.append(" Hint: ").append(hint);
        }
        return text.toString();
    }
}
