package dev.strand.pg;

import dev.strand.jdbc.Transaction;

/** A transaction of {@link PgClient}: its statements on its own connection, from the thread that runs its work. */
final class PgTransaction extends PgOperations implements Transaction {

    private final PgClient client;
    private final PgConnection connection;
    private final Thread owner = Thread.currentThread();
    private boolean ended;
    private boolean failed;

    PgTransaction(PgClient client, PgConnection connection) {
        this.client = client;
        this.connection = connection;
    }

    @Override
    PgClient client() {
        return client;
    }

    @Override
    PgConnection pinned() {
        return connection;
    }

    @Override
    void checkUsable() {
        checkOwnedAndOpen(ended, owner, "transaction");
    }

    @Override
    void carried(Command command) {
        if (!command.done || command.lost != null || command.transactionStatus == 'E') {
            failed = true;
        }
    }

    /** Whether a statement failed, leaving the transaction to be rolled back. */
    boolean failed() {
        return failed;
    }

    void end() {
        ended = true;
    }
}
