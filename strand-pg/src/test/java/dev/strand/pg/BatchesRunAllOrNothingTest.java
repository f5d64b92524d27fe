package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.jdbc.DatabaseException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A batch's runs end with one Sync: outside a transaction they commit together or not at all. */
class BatchesRunAllOrNothingTest {

    private final String table = Postgres.table("t_batch");

    @BeforeEach
    void createTable() {
        Postgres.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, name text NOT NULL)");
    }

    @AfterEach
    void dropTable() {
        Postgres.execute("DROP TABLE IF EXISTS " + table);
    }

    @Test
    void aBatchWithOneBadRowInsertsNothing() {
        try (PgClient db = Postgres.client().build()) {
            List<Object[]> rows = new ArrayList<>();
            for (int i = 1; i <= 50; i++) {
                rows.add(new Object[] {i, "n" + i});
            }
            rows.add(new Object[] {17, "again"});
            rows.add(new Object[] {99, "after"});
            DatabaseException e = assertThrows(DatabaseException.class,
                    () -> db.batch("INSERT INTO " + table + " (id, name) VALUES (?, ?)", rows));
            assertEquals("23505", e.sqlState().orElse(null), e.getMessage());
            assertEquals(0, Postgres.queryLong("SELECT COUNT(*) FROM " + table), "nothing of the batch was committed");

            List<Object[]> withNull = List.of(new Object[] {1, "one"}, new Object[] {2, null});
            DatabaseException notNull = assertThrows(DatabaseException.class,
                    () -> db.batch("INSERT INTO " + table + " (id, name) VALUES (?, ?)", withNull));
            assertEquals("23502", notNull.sqlState().orElse(null), notNull.getMessage());
            assertEquals(0, Postgres.queryLong("SELECT COUNT(*) FROM " + table));
        }
    }

    @Test
    void aGoodBatchCountsEachRunsRows() {
        try (PgClient db = Postgres.client().build()) {
            List<Object[]> rows = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                rows.add(new Object[] {i, "n" + i});
            }
            assertArrayEquals(new int[] {1, 1, 1, 1, 1}, db.batch("INSERT INTO " + table + " (id, name) VALUES (?, ?)", rows));
            assertEquals(5, Postgres.queryLong("SELECT COUNT(*) FROM " + table));

            int[] updated = db.batch("UPDATE " + table + " SET name = ? WHERE id >= ?",
                    List.of(new Object[] {"a", 4}, new Object[] {"b", 100}, new Object[] {"c", 1}));
            assertArrayEquals(new int[] {2, 0, 5}, updated);
            assertArrayEquals(new int[] {3}, db.batch("DELETE FROM " + table + " WHERE id <= ?", List.<Object[]>of(new Object[] {3})));
            assertEquals(2, Postgres.queryLong("SELECT COUNT(*) FROM " + table));
        }
    }

    @Test
    void aFailedBatchInATransactionRollsTheTransactionBack() {
        try (PgClient db = Postgres.client().build()) {
            assertThrows(DatabaseException.class, () -> db.inTransaction(tx -> {
                tx.update("INSERT INTO " + table + " VALUES (1000, 'before')");
                tx.batch("INSERT INTO " + table + " VALUES (?, ?)", List.of(new Object[] {1, "a"}, new Object[] {1, "b"}));
            }));
            assertEquals(0, Postgres.queryLong("SELECT COUNT(*) FROM " + table));
        }
    }

    @Test
    void anEmptyBatchSendsNothing() {
        try (PgClient db = Postgres.client().build()) {
            assertArrayEquals(new int[0], db.batch("this is not even SQL", List.of()));
            var metrics = db.metrics();
            assertEquals(0, metrics.statementsPrepared() + metrics.statementsReused(), "nothing went to the server: " + metrics);
        }
    }

    @Test
    void aBatchOfManyRunsFitsInOneRoundTrip() {
        try (PgClient db = Postgres.client().build()) {
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                rows.add(new Object[] {i, "row " + i + " ".repeat(i % 50)});
            }
            int[] counts = db.batch("INSERT INTO " + table + " VALUES (?, ?)", rows);
            assertEquals(5_000, counts.length);
            assertTrue(java.util.Arrays.stream(counts).allMatch(c -> c == 1));
            assertEquals(5_000, Postgres.queryLong("SELECT COUNT(*) FROM " + table));
        }
    }
}
