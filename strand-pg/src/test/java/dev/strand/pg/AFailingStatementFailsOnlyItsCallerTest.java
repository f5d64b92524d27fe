package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.jdbc.DatabaseException;
import dev.strand.reactor.Reactor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each statement ends with its own Sync, so the server's error answers only the statement that
 * caused it: its caller gets the SQLSTATE and the SQL, its neighbours in the pipeline their rows,
 * and the connection serves on.
 */
class AFailingStatementFailsOnlyItsCallerTest {

    private final String table = Postgres.table("t_fail");

    @BeforeEach
    void createTable() {
        Postgres.execute("CREATE TABLE " + table + " (id int PRIMARY KEY)");
        Postgres.execute("INSERT INTO " + table + " VALUES (1)");
    }

    @AfterEach
    void dropTable() {
        Postgres.execute("DROP TABLE IF EXISTS " + table);
    }

    @Test
    void badStatementsAmongGoodOnesOnOneConnectionFailAloneWithTheirSqlstate() throws Exception {
        String syntax = "SELEC 1 AS oops";
        String division = "SELECT 10 / (?::int - ?::int)";
        String duplicate = "INSERT INTO " + table + " VALUES (?)";
        try (Reactor reactor = Reactor.builder().loops(1).build();
                PgClient db = Postgres.client().connectionsPerLoop(1).build()) {
            for (int round = 0; round < 3; round++) {
                List<Object> outcomes = Fibers.run(reactor.loops(), 90, n -> switch (n % 30) {
                    case 7 -> db.query(syntax, rs -> rs.getInt(1));
                    case 14 -> db.query(division, rs -> rs.getInt(1), n, n);
                    case 21 -> db.update(duplicate, 1);
                    default -> db.query("SELECT ?::int * 2", rs -> rs.getInt(1), n);
                });
                for (int n = 0; n < outcomes.size(); n++) {
                    Object outcome = outcomes.get(n);
                    switch (n % 30) {
                        case 7 -> assertFailed(outcome, "42601", syntax);
                        case 14 -> assertFailed(outcome, "22012", "SELECT 10 / (?::int - ?::int)");
                        case 21 -> assertFailed(outcome, "23505", "INSERT INTO " + table);
                        default -> assertEquals(List.of(n * 2), outcome, "fiber " + n);
                    }
                }
            }
            assertEquals(List.of(1L), db.query("SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1)), "the connection serves on");
            assertEquals(0, db.metrics().connectionsLost(), "no connection was given up for a statement's error");
            assertEquals(1, Postgres.queryLong("SELECT COUNT(*) FROM " + table));
        }
    }

    @Test
    void aStatementWhoseParseFailedIsPreparedAgainNextTime() {
        String other = Postgres.table("t_later");
        String sql = "SELECT COUNT(*) FROM " + other + " WHERE id > ?";
        try (PgClient db = Postgres.client().connectionsPerLoop(1).build()) {
            DatabaseException missing = assertThrows(DatabaseException.class, () -> db.query(sql, rs -> rs.getLong(1), 0));
            assertEquals("42P01", missing.sqlState().orElseThrow(), missing.getMessage());
            long preparedBefore = db.metrics().statementsPrepared();

            Postgres.execute("CREATE TABLE " + other + " (id int)");
            try {
                Postgres.execute("INSERT INTO " + other + " VALUES (1), (2), (3)");
                assertEquals(List.of(2L), db.query(sql, rs -> rs.getLong(1), 1), "the same SQL, prepared afresh");
                assertEquals(preparedBefore + 1, db.metrics().statementsPrepared());
                assertEquals(List.of(3L), db.query(sql, rs -> rs.getLong(1), 0), "and from then on reused");
                assertEquals(preparedBefore + 1, db.metrics().statementsPrepared());
            } finally {
                Postgres.execute("DROP TABLE IF EXISTS " + other);
            }
        }
    }

    @Test
    void aStatementWhoseTableChangedUnderItsPlanWorksAfterItsError() {
        String sql = "SELECT * FROM " + table;
        try (PgClient db = Postgres.client().connectionsPerLoop(1).build()) {
            assertEquals(List.of(1), db.query(sql, rs -> rs.getInt("id")));
            Postgres.execute("ALTER TABLE " + table + " ADD COLUMN name text DEFAULT 'x'");
            // PostgreSQL refuses a cached plan whose result changed shape (0A000) once; the next call prepares it again.
            List<String> rows = null;
            for (int attempt = 0; attempt < 2 && rows == null; attempt++) {
                try {
                    rows = db.query(sql, rs -> rs.getInt("id") + rs.getString("name"));
                } catch (DatabaseException e) {
                    assertEquals("0A000", e.sqlState().orElse(null), e.getMessage());
                }
            }
            assertEquals(List.of("1x"), rows);
        }
    }

    private static void assertFailed(Object outcome, String sqlState, String quotedSql) {
        DatabaseException e = assertInstanceOf(DatabaseException.class, outcome);
        assertEquals(sqlState, e.sqlState().orElse(null), e.getMessage());
        assertTrue(e.getMessage().contains(quotedSql), "quotes the SQL: " + e.getMessage());
        assertTrue(!e.isConnectionFailure(), e.getMessage());
    }
}
