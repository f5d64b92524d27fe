package dev.strand.pg;

/**
 * A statement prepared on one connection: its server-side name ({@code ""} for the unnamed one,
 * used once the connection's cache is full) and, once the server has described it, its columns.
 * Loop-confined, except {@link #columns}, which a command copies when it completes.
 */
final class PgStatement {

    final String name;
    final String text;
    /** Null until the server's RowDescription (or NoData) for it has been read. */
    Columns columns;
    /**
     * The server refused to prepare it: commands that were sent behind its Parse, before the error
     * came back, bound a statement that does not exist (26000) and are sent again, to be parsed anew.
     */
    boolean parseFailed;

    PgStatement(String name, String text) {
        this.name = name;
        this.text = text;
    }
}
