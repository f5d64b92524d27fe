package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConnectionsComeBackCleanAfterTransactionsTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void isolationAndReadOnlyHoldForTheTransactionOnly(Target target) {
        try (Database db = target.builder().poolSize(1).build()) {
            String own = isolation(db, target);
            assertNotEquals("serializable", own, "the test needs a default other than serializable");
            TransactionOptions strict = TransactionOptions.defaults().isolation(Isolation.SERIALIZABLE).readOnly(true);

            String inside = db.transaction(strict, tx -> tx.queryOne(target.isolationQuery(), rs -> rs.getString(1)).orElseThrow());
            assertEquals("serializable", normalise(inside));
            target.readOnlyQuery().ifPresent(query -> {
                assertEquals("on", normalise(db.transaction(strict, tx -> tx.queryOne(query, rs -> rs.getString(1)).orElseThrow())));
                // The same, and only, connection afterwards:
                assertEquals("off", normalise(db.queryOne(query, rs -> rs.getString(1)).orElseThrow()));
            });
            assertEquals(own, isolation(db, target), "the connection's own isolation is back");
            assertEquals(0, db.metrics().pool().destructions(), "restored, not replaced");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Target.class, names = {"POSTGRESQL", "MARIADB"})
    void aReadOnlyTransactionRefusesWritesWhereTheDatabaseHonoursIt(Target target) {
        String table = Target.uniqueTable("readonly");
        try (Database db = target.builder().poolSize(1).build()) {
            db.update("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            try {
                DatabaseException refused = assertThrows(DatabaseException.class, () -> db.inTransaction(
                        TransactionOptions.defaults().readOnly(true), tx -> tx.update("INSERT INTO " + table + " VALUES (1)")));
                assertEquals("25006", refused.sqlState().orElseThrow(), refused.getMessage());
                assertEquals(1, db.update("INSERT INTO " + table + " VALUES (1)"), "writable again after it");
            } finally {
                db.update("DROP TABLE " + table);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void aTransactionCannotBeUsedAfterItsWorkOrFromAnotherThread(Target target) throws Exception {
        try (Database db = target.builder().poolSize(2).build()) {
            AtomicReference<Transaction> kept = new AtomicReference<>();
            CompletableFuture<Integer> elsewhere = db.transaction(tx -> {
                kept.set(tx);
                return CompletableFuture.supplyAsync(() -> tx.update("SELECT 1"), r -> Thread.ofVirtual().start(r));
            });
            ExecutionException fromAnother = assertThrows(ExecutionException.class, elsewhere::get);
            assertTrue(fromAnother.getCause() instanceof IllegalStateException, String.valueOf(fromAnother.getCause()));

            IllegalStateException ended = assertThrows(IllegalStateException.class,
                    () -> kept.get().query("SELECT 1", rs -> rs.getInt(1)));
            assertTrue(ended.getMessage().contains("ended"), ended.getMessage());
        }
    }

    private static String isolation(Database db, Target target) {
        return normalise(db.queryOne(target.isolationQuery(), rs -> rs.getString(1)).orElseThrow());
    }

    /** "REPEATABLE-READ", "repeatable read", "1" and "on" to one spelling each. */
    private static String normalise(String value) {
        String v = value.toLowerCase(Locale.ROOT).replace('-', ' ').replace('_', ' ');
        return switch (v) {
            case "1", "true" -> "on";
            case "0", "false" -> "off";
            default -> v;
        };
    }
}
