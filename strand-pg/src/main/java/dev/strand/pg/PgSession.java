package dev.strand.pg;

/**
 * The statements of one {@link PgClient#session}: on the pipelined connection the first of them
 * took, in order, from the thread that runs the session's work, until it returns.
 */
final class PgSession extends PgOperations {

    private final PgClient client;
    private final Thread owner = Thread.currentThread();
    private PgConnection connection;
    private boolean ended;

    PgSession(PgClient client) {
        this.client = client;
    }

    @Override
    PgClient client() {
        return client;
    }

    @Override
    PgConnection pinned() {
        return connection != null && connection.isOpen() ? connection : null;
    }

    @Override
    void checkUsable() {
        checkOwnedAndOpen(ended, owner, "session");
    }

    @Override
    void carried(Command command) {
        if (command.done && command.connection != null) {
            connection = command.connection;
        }
    }

    void end() {
        ended = true;
    }
}
