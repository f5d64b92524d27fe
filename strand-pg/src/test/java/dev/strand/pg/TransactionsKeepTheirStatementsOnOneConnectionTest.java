package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.jdbc.DatabaseException;
import dev.strand.jdbc.Isolation;
import dev.strand.jdbc.Transaction;
import dev.strand.jdbc.TransactionOptions;
import dev.strand.reactor.Reactor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A transaction's statements go to a connection of its own, which comes back to the pool idle and
 * with the server's defaults, whether the work committed, threw or swallowed a statement's failure.
 */
class TransactionsKeepTheirStatementsOnOneConnectionTest {

    private final String table = Postgres.table("t_tx");

    @BeforeEach
    void createTable() {
        Postgres.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, balance int NOT NULL CHECK (balance >= 0))");
    }

    @AfterEach
    void dropTable() {
        Postgres.execute("DROP TABLE IF EXISTS " + table);
    }

    private long rows() {
        return Postgres.queryLong("SELECT COUNT(*) FROM " + table);
    }

    @Test
    void workThatReturnsIsCommittedOnOneBackend() {
        try (PgClient db = Postgres.client().build()) {
            List<Integer> pids = db.transaction(tx -> {
                int first = tx.queryOne("SELECT pg_backend_pid()", rs -> rs.getInt(1)).orElseThrow();
                tx.update("INSERT INTO " + table + " VALUES (1, 10)");
                assertEquals(0, rows(), "not visible outside before the commit");
                tx.update("INSERT INTO " + table + " VALUES (2, 20)");
                int last = tx.queryOne("SELECT pg_backend_pid()", rs -> rs.getInt(1)).orElseThrow();
                return List.of(first, last);
            });
            assertEquals(pids.get(0), pids.get(1), "every statement on the transaction's one session");
            assertEquals(2, rows());
        }
    }

    @Test
    void workThatThrowsIsRolledBackAndItsExceptionPropagates() {
        try (PgClient db = Postgres.client().build()) {
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> db.inTransaction(tx -> {
                tx.update("INSERT INTO " + table + " VALUES (1, 10)");
                throw boom;
            }));
            assertSame(boom, thrown);
            assertEquals(0, rows());
        }
    }

    @Test
    void workThatSwallowsAStatementsFailureEndsIn25P02AndCommitsNothing() {
        try (PgClient db = Postgres.client().transactionConnections(1).build()) {
            DatabaseException e = assertThrows(DatabaseException.class, () -> db.inTransaction(tx -> {
                tx.update("INSERT INTO " + table + " VALUES (1, 10)");
                try {
                    tx.update("INSERT INTO " + table + " VALUES (1, 10)");
                } catch (DatabaseException duplicate) {
                    assertEquals("23505", duplicate.sqlState().orElse(null));
                }
            }));
            assertEquals("25P02", e.sqlState().orElse(null), e.getMessage());
            assertEquals(0, rows());
            db.inTransaction(tx -> tx.update("INSERT INTO " + table + " VALUES (3, 30)"));
            assertEquals(1, rows(), "the next transaction is not hurt");
        }
    }

    @Test
    void isolationAndReadOnlyHoldForTheirTransactionOnly() {
        try (PgClient db = Postgres.client().transactionConnections(1).build()) {
            String level = db.transaction(TransactionOptions.defaults().isolation(Isolation.SERIALIZABLE),
                    tx -> tx.queryOne("SHOW transaction_isolation", rs -> rs.getString(1)).orElseThrow());
            assertEquals("serializable", level);
            assertEquals("repeatable read", db.transaction(TransactionOptions.defaults().isolation(Isolation.REPEATABLE_READ),
                    tx -> tx.queryOne("SHOW transaction_isolation", rs -> rs.getString(1)).orElseThrow()));

            DatabaseException readOnly = assertThrows(DatabaseException.class,
                    () -> db.inTransaction(TransactionOptions.defaults().readOnly(true), tx -> tx.update("INSERT INTO " + table + " VALUES (1, 1)")));
            assertEquals("25006", readOnly.sqlState().orElse(null), readOnly.getMessage());
            assertEquals(0, rows());

            assertEquals(List.of("read committed", "off"), db.transaction(tx -> List.of(
                    tx.queryOne("SHOW transaction_isolation", rs -> rs.getString(1)).orElseThrow(),
                    tx.queryOne("SHOW transaction_read_only", rs -> rs.getString(1)).orElseThrow())),
                    "the next transaction on the same connection has the defaults again");
        }
    }

    @Test
    void theConnectionComesBackIdleAfterEveryWayOfEnding() {
        try (PgClient db = Postgres.client().transactionConnections(1).build()) {
            int pid = db.transaction(tx -> tx.queryOne("SELECT pg_backend_pid()", rs -> rs.getInt(1)).orElseThrow());
            long firstTxid = db.transaction(tx -> tx.queryOne("SELECT txid_current()", rs -> rs.getLong(1)).orElseThrow());
            assertThrows(IllegalStateException.class, () -> db.inTransaction(tx -> {
                tx.update("INSERT INTO " + table + " VALUES (1, 1)");
                throw new IllegalStateException("thrown by the work");
            }));
            assertThrows(DatabaseException.class, () -> db.inTransaction(tx -> {
                try {
                    tx.update("INSERT INTO " + table + " VALUES (1, -1)");
                } catch (DatabaseException swallowed) {
                    // and carry on
                }
            }));
            List<Object> after = db.transaction(tx -> List.of(
                    tx.queryOne("SELECT pg_backend_pid()", rs -> rs.getInt(1)).orElseThrow(),
                    tx.queryOne("SELECT txid_current()", rs -> rs.getLong(1)).orElseThrow()));
            assertEquals(pid, after.get(0), "the same connection went back to the pool each time");
            assertNotEquals(firstTxid, after.get(1), "a new transaction, not one left open");
            assertTrue((Long) after.get(1) > firstTxid);
            assertEquals(0, rows());
            assertEquals(0, Postgres.queryLong("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ? AND state LIKE 'idle in transaction%'", pid),
                    "not left in a transaction");
        }
    }

    @Test
    void concurrentTransfersKeepTheTotal() throws Exception {
        int accounts = 10;
        Postgres.execute("INSERT INTO " + table + " SELECT g, 100 FROM generate_series(1, " + accounts + ") g");
        try (Reactor reactor = Reactor.builder().loops(2).build();
                PgClient db = Postgres.client().transactionConnections(4).build()) {
            List<Object> outcomes = Fibers.run(reactor.loops(), 200, n -> {
                int from = 1 + n % accounts;
                int to = 1 + (n * 7 + 3) % accounts;
                if (to == from) {
                    to = 1 + from % accounts;
                }
                int amount = 1 + n % 25;
                int low = Math.min(from, to);
                int high = Math.max(from, to);
                int finalTo = to;
                return db.transaction(tx -> {
                    // in id order, so that two transfers never wait for each other's rows in turn
                    tx.query("SELECT id FROM " + table + " WHERE id IN (?, ?) ORDER BY id FOR UPDATE", rs -> rs.getInt(1), low, high);
                    tx.update("UPDATE " + table + " SET balance = balance - ? WHERE id = ?", amount, from);
                    tx.update("UPDATE " + table + " SET balance = balance + ? WHERE id = ?", amount, finalTo);
                    return "moved";
                });
            });
            int moved = 0;
            int refused = 0;
            for (Object outcome : outcomes) {
                if ("moved".equals(outcome)) {
                    moved++;
                } else {
                    DatabaseException e = assertInstanceOf(DatabaseException.class, outcome);
                    assertEquals("23514", e.sqlState().orElse(null), "only an overdraft may fail a transfer: " + e.getMessage());
                    refused++;
                }
            }
            assertEquals(200, moved + refused);
            assertTrue(moved >= 50, moved + " transfers went through, " + refused + " were overdrafts");
            assertEquals(100L * accounts, Postgres.queryLong("SELECT SUM(balance) FROM " + table), "money was neither made nor lost");
            assertEquals(0, Postgres.queryLong("SELECT COUNT(*) FROM " + table + " WHERE balance < 0"));
        }
    }

    @Test
    void aTransactionIsRefusedAfterItEndedAndOnAnotherThread() throws Exception {
        try (PgClient db = Postgres.client().build()) {
            AtomicReference<Transaction> escaped = new AtomicReference<>();
            CompletableFuture<Throwable> fromElsewhere = new CompletableFuture<>();
            db.inTransaction(tx -> {
                escaped.set(tx);
                Thread.ofPlatform().start(() -> {
                    try {
                        tx.query("SELECT 1", rs -> rs.getInt(1));
                        fromElsewhere.complete(null);
                    } catch (Throwable t) {
                        fromElsewhere.complete(t);
                    }
                });
                try {
                    fromElsewhere.get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                tx.update("INSERT INTO " + table + " VALUES (1, 1)");
            });
            Throwable other = fromElsewhere.get(10, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, other);
            assertTrue(other.getMessage().contains("thread"), other.getMessage());
            IllegalStateException ended = assertThrows(IllegalStateException.class, () -> escaped.get().update("DELETE FROM " + table));
            assertTrue(ended.getMessage().contains("ended"), ended.getMessage());
            assertEquals(1, rows(), "the escaped transaction deleted nothing");
        }
    }
}
