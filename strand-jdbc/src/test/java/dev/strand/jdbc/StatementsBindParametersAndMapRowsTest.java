package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatementsBindParametersAndMapRowsTest {

    record Person(int id, String name, Optional<String> nick) {
    }

    private static final RowMapper<Person> PERSON =
            rs -> new Person(rs.getInt("id"), rs.getString("name"), Optional.ofNullable(rs.getString("nick")));

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void updatesBatchesAndQueriesRoundTripTheirParameters(Target target) {
        String table = Target.uniqueTable("people");
        try (Database db = target.builder().poolSize(2).build()) {
            db.update("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL, nick VARCHAR(50))");
            try {
                assertEquals(1, db.update("INSERT INTO " + table + " VALUES (?, ?, ?)", 1, "Ada", "countess"));
                assertEquals(1, db.update("INSERT INTO " + table + " VALUES (?, ?, ?)", 2, "Alan", null));
                assertEquals(1, db.update("INSERT INTO " + table + " VALUES (?, ?, ?)", 3, "Grace", Optional.empty()));
                int[] counts = db.batch("INSERT INTO " + table + " VALUES (?, ?, ?)", List.of(
                        new Object[] {4, "Edsger", Optional.of("ewd")},
                        new Object[] {5, "Barbara", null}));
                assertEquals(2, counts.length);
                for (int count : counts) {
                    assertTrue(count == 1 || count == Statement.SUCCESS_NO_INFO, "batch count " + count);
                }

                assertEquals(List.of(
                        new Person(1, "Ada", Optional.of("countess")),
                        new Person(2, "Alan", Optional.empty()),
                        new Person(3, "Grace", Optional.empty()),
                        new Person(4, "Edsger", Optional.of("ewd")),
                        new Person(5, "Barbara", Optional.empty())),
                        db.query("SELECT id, name, nick FROM " + table + " ORDER BY id", PERSON));
                assertEquals(List.of("Alan", "Barbara", "Grace"),
                        db.query("SELECT name FROM " + table + " WHERE nick IS NULL ORDER BY name", rs -> rs.getString(1)));
                assertEquals(2, db.update("UPDATE " + table + " SET nick = ? WHERE id > ? AND nick IS NULL", "x", 2));
                assertEquals(new int[0].length, db.batch("INSERT INTO " + table + " VALUES (?, ?, ?)", List.of()).length);
            } finally {
                db.update("DROP TABLE " + table);
            }
            assertEquals(0, db.metrics().pool().inUse(), "every connection back");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void queryOneGivesTheOnlyRowOrNothingAndRefusesMore(Target target) {
        try (Database db = target.builder().poolSize(1).build()) {
            String one = "SELECT 7 AS n";
            assertEquals(Optional.of(7), db.queryOne(one, rs -> rs.getInt(1)));
            assertEquals(Optional.empty(), db.queryOne("SELECT 7 AS n FROM (SELECT 1 AS x) t WHERE 1 = 0", rs -> rs.getInt(1)));
            String two = "SELECT 1 AS n" + " UNION ALL SELECT 2";
            DatabaseException tooMany = assertThrows(DatabaseException.class, () -> db.queryOne(two, rs -> rs.getInt(1)));
            assertTrue(tooMany.getMessage().contains("at most one row"), tooMany.getMessage());
            assertEquals(Optional.of(7), db.queryOne(one, rs -> rs.getInt(1)), "the connection still works");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void theListOfRowsCannotBeChanged(Target target) {
        try (Database db = target.builder().poolSize(1).build()) {
            List<Integer> rows = db.query("SELECT 1", rs -> rs.getInt(1));
            assertThrows(UnsupportedOperationException.class, () -> rows.add(2));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void aMapperThatReturnsNullIsRefusedAndTheConnectionKept(Target target) {
        try (Database db = target.builder().poolSize(1).build()) {
            NullPointerException e = assertThrows(NullPointerException.class,
                    () -> db.query("SELECT 1", rs -> null));
            assertTrue(e.getMessage().contains("row 1"), e.getMessage());
            assertEquals(List.of(1), db.query("SELECT 1", rs -> rs.getInt(1)));
            assertEquals(0, db.metrics().pool().destructions());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void aRefusedStatementFailsWithItsSqlStateAndKeepsTheConnection(Target target) {
        String table = Target.uniqueTable("refused");
        try (Database db = target.builder().poolSize(1).build()) {
            DatabaseException syntax = assertThrows(DatabaseException.class, () -> db.update("SELEKT nonsense"));
            assertTrue(syntax.sqlState().orElseThrow().startsWith("42"), "syntax error class 42: " + syntax.sqlState());
            assertFalse(syntax.isConnectionFailure());
            assertTrue(syntax.getMessage().contains("database '" + db.name() + "'") && syntax.getMessage().contains("SELEKT nonsense"),
                    syntax.getMessage());

            db.update("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            try {
                db.update("INSERT INTO " + table + " VALUES (?)", 1);
                DatabaseException duplicate = assertThrows(DatabaseException.class,
                        () -> db.update("INSERT INTO " + table + " VALUES (?)", 1));
                assertTrue(duplicate.sqlState().orElseThrow().startsWith("23"), "integrity class 23: " + duplicate.sqlState());
                assertTrue(duplicate.getCause() instanceof java.sql.SQLException);
            } finally {
                db.update("DROP TABLE " + table);
            }
            assertEquals(0, db.metrics().pool().destructions(), "a refused statement does not cost the connection");
            assertEquals(0, db.metrics().connectionsLost());
        }
    }
}
