package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AFailedTransactionLeavesNoTraceTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void workThatThrowsIsRolledBackAndItsExceptionPropagatesAsIs(Target target) throws Exception {
        String table = Target.uniqueTable("rollback");
        try (Database db = target.builder().poolSize(1).build()) {
            db.update("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            try {
                IllegalStateException thrown = new IllegalStateException("the work gave up");
                IllegalStateException caught = assertThrows(IllegalStateException.class, () -> db.inTransaction(tx -> {
                    tx.update("INSERT INTO " + table + " VALUES (?)", 1);
                    tx.update("INSERT INTO " + table + " VALUES (?)", 2);
                    throw thrown;
                }));
                assertSame(thrown, caught);
                assertEquals(0L, countFromOutside(target, table), "nothing of the failed transaction is seen");
                assertEquals(0L, db.queryOne("SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1)).orElseThrow(),
                        "nor from the connection it ran on");
            } finally {
                db.update("DROP TABLE " + table);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void aStatementThatFailsRollsBackWhatCameBefore(Target target) throws Exception {
        String table = Target.uniqueTable("duplicate");
        try (Database db = target.builder().poolSize(1).build()) {
            db.update("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            try {
                DatabaseException duplicate = assertThrows(DatabaseException.class, () -> db.inTransaction(tx -> {
                    tx.update("INSERT INTO " + table + " VALUES (?)", 1);
                    tx.update("INSERT INTO " + table + " VALUES (?)", 1);
                }));
                assertTrue(duplicate.sqlState().orElseThrow().startsWith("23"), duplicate.getMessage());
                assertEquals(0L, countFromOutside(target, table));
                assertEquals(0, db.metrics().pool().destructions(), "the connection is kept");
            } finally {
                db.update("DROP TABLE " + table);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void workThatReturnsIsCommittedAndItsResultReturned(Target target) throws Exception {
        String table = Target.uniqueTable("commit");
        try (Database db = target.builder().poolSize(1).build()) {
            db.update("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            try {
                List<Integer> seen = db.transaction(tx -> {
                    tx.batch("INSERT INTO " + table + " VALUES (?)", List.of(new Object[] {1}, new Object[] {2}));
                    return tx.query("SELECT id FROM " + table + " ORDER BY id", rs -> rs.getInt(1));
                });
                assertEquals(List.of(1, 2), seen);
                assertEquals(2L, countFromOutside(target, table));
            } finally {
                db.update("DROP TABLE " + table);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void afterARollbackTheConnectionIsBackInAutoCommit(Target target) throws Exception {
        String table = Target.uniqueTable("autocommit");
        try (Database db = target.builder().poolSize(1).build()) {
            db.update("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            try {
                assertThrows(IllegalStateException.class, () -> db.inTransaction(tx -> {
                    tx.update("INSERT INTO " + table + " VALUES (?)", 1);
                    throw new IllegalStateException("roll it back");
                }));
                // The only connection: had it stayed in a transaction, this row would not be seen outside.
                db.update("INSERT INTO " + table + " VALUES (?)", 2);
                assertEquals(1L, countFromOutside(target, table));
                assertEquals(Optional.of(2), db.queryOne("SELECT id FROM " + table, rs -> rs.getInt(1)));
            } finally {
                db.update("DROP TABLE " + table);
            }
        }
    }

    /** The rows of {@code table} as a connection outside the database layer sees them: committed ones only. */
    static long countFromOutside(Target target, String table) throws SQLException {
        try (Connection connection = target.connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
