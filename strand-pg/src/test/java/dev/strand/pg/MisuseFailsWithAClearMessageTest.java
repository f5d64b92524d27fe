package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.jdbc.DatabaseException;
import dev.strand.jdbc.SqlOperations;
import dev.strand.reactor.Reactor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MisuseFailsWithAClearMessageTest {

    @Test
    void aCallOnALoopsOwnThreadIsRefusedRatherThanBlockingTheLoop() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).build(); PgClient db = Postgres.client().build()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            reactor.loops().getFirst().execute(() -> {
                try {
                    db.query("SELECT 1", rs -> rs.getInt(1));
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            IllegalStateException e = assertInstanceOf(IllegalStateException.class, outcome.get(10, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("fiber"), e.getMessage());

            CompletableFuture<Throwable> inTransaction = new CompletableFuture<>();
            reactor.loops().getFirst().execute(() -> {
                try {
                    db.transaction(tx -> 1);
                    inTransaction.complete(null);
                } catch (Throwable t) {
                    inTransaction.complete(t);
                }
            });
            assertInstanceOf(IllegalStateException.class, inTransaction.get(10, TimeUnit.SECONDS), "nor may a transaction wait there");

            assertEquals(List.of(1), Fibers.run(reactor.loops(), 1, n -> db.query("SELECT 1", rs -> rs.getInt(1))).getFirst(),
                    "a fiber of the same loop may");
        }
    }

    @Test
    void callsAfterCloseAreRefused() throws Exception {
        PgClient db = Postgres.client().build();
        assertEquals(List.of(1), db.query("SELECT 1", rs -> rs.getInt(1)));
        db.close();
        db.close(); // twice is harmless
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> db.query("SELECT 1", rs -> rs.getInt(1)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> db.update("SELECT 1"));
        assertThrows(IllegalStateException.class, () -> db.transaction(tx -> 1));
        assertThrows(IllegalStateException.class, () -> db.session(s -> s.query("SELECT 1", rs -> rs.getInt(1))));

        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            Object onFiber = Fibers.run(reactor.loops(), 1, n -> db.query("SELECT 1", rs -> rs.getInt(1))).getFirst();
            assertInstanceOf(IllegalStateException.class, onFiber);
        }
    }

    @Test
    void closingFailsTheStatementsInFlight() throws Exception {
        String app = Postgres.applicationName("closing");
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            PgClient db = Postgres.client().applicationName(app).build();
            try {
                CompletableFuture<List<Object>> outcome = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> {
                    try {
                        outcome.complete(Fibers.run(reactor.loops(), 1, n -> db.query("SELECT pg_sleep(30)", rs -> rs.getString(1))));
                    } catch (Throwable t) {
                        outcome.completeExceptionally(t);
                    }
                });
                Await.until(Duration.ofSeconds(5), () -> Postgres.running(app, "pg_sleep") == 1, "the sleep runs");
                db.close();
                DatabaseException e = assertInstanceOf(DatabaseException.class, outcome.get(5, TimeUnit.SECONDS).getFirst());
                assertTrue(e.isConnectionFailure(), e.getMessage());
            } finally {
                db.close();
                Postgres.terminate(app);
            }
        }
    }

    @Test
    void anInterruptedCallerLeavesAtOnceAndTheServerStopsItsStatement() throws Exception {
        String app = Postgres.applicationName("interrupted");
        try (PgClient db = Postgres.client().applicationName(app).connectionsPerLoop(1).build()) {
            db.query("SELECT 1", rs -> rs.getInt(1));
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread caller = Thread.ofPlatform().start(() -> {
                try {
                    db.query("SELECT pg_sleep(30)", rs -> rs.getString(1));
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(Thread.currentThread().isInterrupted() ? t : new AssertionError("the interrupt was swallowed", t));
                }
            });
            Await.until(Duration.ofSeconds(5), () -> Postgres.running(app, "pg_sleep") == 1, "the sleep runs");
            caller.interrupt();
            DatabaseException e = assertInstanceOf(DatabaseException.class, outcome.get(5, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
            long start = System.nanoTime();
            Await.until(Duration.ofSeconds(5), () -> Postgres.running(app, "pg_sleep") == 0, "the server stopped the sleep");
            assertEquals(List.of(1), db.query("SELECT 1", rs -> rs.getInt(1)), "the connection serves on");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5_000, "not after the sleep");
        } finally {
            Postgres.terminate(app);
        }
    }

    @Test
    void aDatabaseOrUserThatDoesNotExistIsAConnectionFailureWithTheServersSqlstate() {
        try (PgClient db = PgClient.builder().url("postgresql://postgres@127.0.0.1:5432/no_such_db_" + ProcessHandle.current().pid()).build()) {
            Postgres.assumeAvailable();
            DatabaseException e = assertThrows(DatabaseException.class, () -> db.query("SELECT 1", rs -> rs.getInt(1)));
            assertEquals("3D000", e.sqlState().orElse(null), e.getMessage());
            assertTrue(e.isConnectionFailure(), e.getMessage());
            assertTrue(e.getMessage().contains("no_such_db_"), e.getMessage());
        }
        try (PgClient db = PgClient.builder().url("postgresql://no_such_user@127.0.0.1:5432/test").build()) {
            DatabaseException e = assertThrows(DatabaseException.class, () -> db.query("SELECT 1", rs -> rs.getInt(1)));
            assertEquals("28000", e.sqlState().orElse(null), e.getMessage());
            assertTrue(e.isConnectionFailure(), e.getMessage());
        }
    }

    @Test
    void aBeginOnTheSharedConnectionsIsRefusedAndTakesNoOnesStatementsWithIt() throws Exception {
        String table = Postgres.table("t_begin");
        Postgres.execute("CREATE TABLE " + table + " (id int)");
        try (Reactor reactor = Reactor.builder().loops(1).build();
                PgClient db = Postgres.client().connectionsPerLoop(1).build()) {
            for (String begin : List.of("BEGIN", "START TRANSACTION ISOLATION LEVEL SERIALIZABLE")) {
                List<Object> outcomes = Fibers.run(reactor.loops(), 20, n -> n == 3
                        ? db.update(begin)
                        : db.update("INSERT INTO " + table + " VALUES (?)", n));
                assertInstanceOf(DatabaseException.class, outcomes.get(3), "a transaction is db.transaction's: " + outcomes.get(3));
                for (int n = 0; n < outcomes.size(); n++) {
                    if (n != 3 && Integer.valueOf(1).equals(outcomes.get(n))) {
                        assertEquals(1, Postgres.queryLong("SELECT COUNT(*) FROM " + table + " WHERE id = ?", n),
                                "fiber " + n + " was told its row is in, so it is committed");
                    }
                }
                assertEquals(List.of(1), Fibers.run(reactor.loops(), 1, n -> db.query("SELECT 1", rs -> rs.getInt(1))).getFirst());
                Postgres.execute("DELETE FROM " + table);
            }
            assertThrows(DatabaseException.class, () -> db.session(s -> s.update("BEGIN")), "nor in a session, whose statements commit one by one");
        } finally {
            Postgres.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void copyIsRefusedWithoutMixingUpAnyonesAnswers() throws Exception {
        String table = Postgres.table("t_copy");
        Postgres.execute("CREATE TABLE " + table + " (id int)");
        try (Reactor reactor = Reactor.builder().loops(1).build();
                PgClient db = Postgres.client().connectionsPerLoop(1).build()) {
            for (String copy : List.of("COPY (SELECT 1) TO STDOUT", "COPY " + table + " FROM STDIN")) {
                List<Object> outcomes = Fibers.run(reactor.loops(), 10, n -> n == 4
                        ? db.update(copy)
                        : db.query("SELECT ?::int", rs -> rs.getInt(1), n));
                assertInstanceOf(DatabaseException.class, outcomes.get(4), copy);
                for (int n = 0; n < outcomes.size(); n++) {
                    Object outcome = outcomes.get(n);
                    if (n != 4 && !(outcome instanceof DatabaseException e && e.isConnectionFailure())) {
                        assertEquals(List.of(n), outcome, "fiber " + n + " got its own answer or a connection failure, never another's");
                    }
                }
                assertEquals(List.of(7), Fibers.run(reactor.loops(), 1, n -> db.query("SELECT 7", rs -> rs.getInt(1))).getFirst(),
                        "the next call is served");
            }
            assertEquals(0, Postgres.queryLong("SELECT COUNT(*) FROM " + table));
        } finally {
            Postgres.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void queryOneWithTwoRowsFails() {
        try (PgClient db = Postgres.client().build()) {
            DatabaseException e = assertThrows(DatabaseException.class,
                    () -> db.queryOne("SELECT g FROM generate_series(1, 2) g", rs -> rs.getInt(1)));
            assertTrue(e.getMessage().contains("2") && e.getMessage().contains("generate_series"), e.getMessage());
            assertTrue(db.queryOne("SELECT 1 WHERE false", rs -> rs.getInt(1)).isEmpty());
        }
    }

    @Test
    void aSessionIsRefusedAfterItEndedAndOnAnotherThread() throws Exception {
        try (PgClient db = Postgres.client().build()) {
            AtomicReference<SqlOperations> escaped = new AtomicReference<>();
            CompletableFuture<Throwable> fromElsewhere = new CompletableFuture<>();
            List<Integer> pids = db.session(s -> {
                escaped.set(s);
                int first = s.queryOne("SELECT pg_backend_pid()", rs -> rs.getInt(1)).orElseThrow();
                Thread.ofPlatform().start(() -> {
                    try {
                        s.query("SELECT 1", rs -> rs.getInt(1));
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
                s.update("SET application_name = 'session-kept'");
                return List.of(first, s.queryOne("SELECT pg_backend_pid()", rs -> rs.getInt(1)).orElseThrow());
            });
            assertEquals(pids.get(0), pids.get(1), "a session's statements on one connection");
            assertInstanceOf(IllegalStateException.class, fromElsewhere.get(10, TimeUnit.SECONDS));
            assertThrows(IllegalStateException.class, () -> escaped.get().query("SELECT 1", rs -> rs.getInt(1)));
        }
    }

    @Test
    void settingsOutOfRangeAreRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> PgClient.builder().connectionsPerLoop(0));
        assertThrows(IllegalArgumentException.class, () -> PgClient.builder().transactionConnections(0));
        assertThrows(IllegalArgumentException.class, () -> PgClient.builder().statementCacheSize(-1));
        assertThrows(IllegalArgumentException.class, () -> PgClient.builder().connectTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> PgClient.builder().acquireTimeout(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> PgClient.builder().port(70_000));
        assertThrows(NullPointerException.class, () -> PgClient.builder().url(null));
        assertThrows(NullPointerException.class, () -> PgClient.builder().password(null));
    }
}
