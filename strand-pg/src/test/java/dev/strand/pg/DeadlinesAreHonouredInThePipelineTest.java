package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.jdbc.DatabaseException;
import dev.strand.jdbc.DeadlineExceededException;
import dev.strand.reactor.Deadline;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A statement whose deadline passed is not sent; one that runs past it fails at the deadline and
 * the server cancels it, without costing the statements pipelined behind it on the same connection.
 */
class DeadlinesAreHonouredInThePipelineTest {

    @Test
    void aStatementPastItsDeadlineIsNotSent() {
        try (PgClient db = Postgres.client().build()) {
            DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                    () -> Deadline.after(Duration.ZERO).call(() -> db.query("SELECT 1", rs -> rs.getInt(1))));
            assertFalse(e.sent());
            assertThrows(DeadlineExceededException.class,
                    () -> Deadline.after(Duration.ofMillis(-5)).call(() -> db.update("UPDATE nothing SET x = 1")));
            var metrics = db.metrics();
            assertEquals(2, metrics.refusedPastDeadline(), metrics.toString());
            assertEquals(0, metrics.statementsPrepared() + metrics.statementsReused(), "nothing reached the server: " + metrics);
            assertEquals(0, metrics.cancelledAtDeadline());
        }
    }

    @Test
    void aTransactionPastItsDeadlineDoesNotBegin() {
        try (PgClient db = Postgres.client().build()) {
            DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                    () -> Deadline.after(Duration.ZERO).call(() -> db.transaction(tx -> 1)));
            assertFalse(e.sent());
            assertEquals(0, db.metrics().pool().creations(), "no connection was even opened");
        }
    }

    @Test
    void aSleepPastItsDeadlineFailsAtTheDeadlineAndTheServerStopsIt() throws Exception {
        String app = Postgres.applicationName("deadline");
        try (Reactor reactor = Reactor.builder().loops(1).build();
                PgClient db = Postgres.client().applicationName(app).connectionsPerLoop(1).build()) {
            db.query("SELECT 1", rs -> rs.getInt(1)); // the session is open: the deadline measures the statement only
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            long start = System.nanoTime();
            reactor.loops().getFirst().startFiber(() -> {
                try {
                    Deadline.after(Duration.ofMillis(200)).call(() -> db.query("SELECT pg_sleep(5)", rs -> rs.getString(1)));
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            DeadlineExceededException e = assertInstanceOf(DeadlineExceededException.class, outcome.get(10, TimeUnit.SECONDS));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(e.sent(), e.getMessage());
            assertTrue(tookMs >= 150 && tookMs < 2_000, "failed " + tookMs + " ms after it began, not at its 200 ms deadline");
            assertTrue(e.getMessage().contains("pg_sleep(5)"), e.getMessage());
            Await.until(Duration.ofSeconds(3), () -> Postgres.running(app, "pg_sleep") == 0, "the server stopped the sleep");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 4_000, "cancelled, not slept out");
            assertEquals(1, db.metrics().cancelledAtDeadline());
            assertEquals(List.of(1), db.query("SELECT 1", rs -> rs.getInt(1)), "the connection serves on");
            assertEquals(0, db.metrics().connectionsLost());
        }
    }

    @Test
    void statementsQueuedBehindACancelledOneGetTheirAnswers() throws Exception {
        String app = Postgres.applicationName("behind");
        try (Reactor reactor = Reactor.builder().loops(1).build();
                PgClient db = Postgres.client().applicationName(app).connectionsPerLoop(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            db.query("SELECT 1", rs -> rs.getInt(1));
            CompletableFuture<Throwable> slow = new CompletableFuture<>();
            long start = System.nanoTime();
            loop.startFiber(() -> {
                try {
                    Deadline.after(Duration.ofMillis(1_500)).call(() -> db.query("SELECT pg_sleep(5)", rs -> rs.getString(1)));
                    slow.complete(null);
                } catch (Throwable t) {
                    slow.complete(t);
                }
            });
            Await.until(Duration.ofSeconds(2), () -> Postgres.running(app, "pg_sleep") == 1, "the sleep runs");
            // These go to the one connection, behind the sleep; some with a deadline that outlives the cancel.
            List<Object> outcomes = Fibers.run(List.of(loop), 40, n -> n % 2 == 0
                    ? db.query("SELECT ?::int + 1", rs -> rs.getInt(1), n)
                    : Deadline.after(Duration.ofSeconds(4)).call(() -> db.query("SELECT ?::int + 1", rs -> rs.getInt(1), n)));
            assertInstanceOf(DeadlineExceededException.class, slow.get(1, TimeUnit.SECONDS));
            for (int n = 0; n < outcomes.size(); n++) {
                assertEquals(List.of(n + 1), outcomes.get(n), "fiber " + n);
            }
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 4_000, "they ran after the cancel, not after the sleep");
            assertEquals(0, db.metrics().connectionsLost());
        }
    }

    @Test
    void aQueuedStatementWhoseDeadlinePassesBehindASlowOneIsNotRun() throws Exception {
        String app = Postgres.applicationName("queued");
        String table = Postgres.table("t_queued");
        Postgres.execute("CREATE TABLE " + table + " (id int)");
        try (Reactor reactor = Reactor.builder().loops(1).build();
                PgClient db = Postgres.client().applicationName(app).connectionsPerLoop(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            db.query("SELECT 1", rs -> rs.getInt(1));
            CompletableFuture<Throwable> sleep = new CompletableFuture<>();
            loop.startFiber(() -> {
                try {
                    Deadline.after(Duration.ofMillis(1_500)).call(() -> db.query("SELECT pg_sleep(5)", rs -> rs.getString(1)));
                    sleep.complete(null);
                } catch (Throwable t) {
                    sleep.complete(t);
                }
            });
            Await.until(Duration.ofSeconds(2), () -> Postgres.running(app, "pg_sleep") == 1, "the sleep runs");
            Object insert = Fibers.run(List.of(loop), 1,
                    n -> Deadline.after(Duration.ofMillis(300)).call(() -> db.update("INSERT INTO " + table + " VALUES (1)"))).getFirst();
            assertInstanceOf(DeadlineExceededException.class, insert, "it waited behind the sleep past its deadline");
            assertTrue(((DeadlineExceededException) insert).sent());
            assertInstanceOf(DeadlineExceededException.class, sleep.get(5, TimeUnit.SECONDS));
            // The insert's caller left at 300 ms; it was cancelled when it got its turn, or ran: either
            // way the connection's next statement sees the table as the server left it, consistently.
            // The client's read first, on the loop's connection, behind the insert: once it is
            // answered the insert has ended either way, so the outside read cannot come before it commits.
            Object seenByTheClient = Fibers.run(List.of(loop), 1,
                    n -> db.query("SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1))).getFirst();
            assertEquals(List.of(Postgres.queryLong("SELECT COUNT(*) FROM " + table)), seenByTheClient);
            Await.until(Duration.ofSeconds(3), () -> Postgres.running(app, "pg_sleep") == 0, "the server stopped the sleep");
        } finally {
            Postgres.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void shortDeadlinesAroundFastQueriesNeverFailTheirNeighbours() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).build();
                PgClient db = Postgres.client().connectionsPerLoop(1).build()) {
            db.query("SELECT 1", rs -> rs.getInt(1));
            List<Object> outcomes = Fibers.run(reactor.loops(), 100, n -> {
                List<Object> mine = new ArrayList<>();
                for (int k = 0; k < 5; k++) {
                    int value = n * 10 + k;
                    if (n % 2 == 0) {
                        try {
                            mine.add(Deadline.after(Duration.ofNanos(100_000L + 1_000_000L * ((n / 2 + k) % 16))).call(
                                    () -> db.query("SELECT ?::int", rs -> rs.getInt(1), value)).getFirst());
                        } catch (DeadlineExceededException expired) {
                            mine.add("expired");
                        }
                    } else {
                        mine.add(db.query("SELECT ?::int", rs -> rs.getInt(1), value).getFirst());
                    }
                }
                return mine;
            });
            int expired = 0;
            for (int n = 0; n < outcomes.size(); n++) {
                Object outcome = outcomes.get(n);
                if (outcome instanceof Throwable t) {
                    throw new AssertionError("fiber " + n + " failed", t);
                }
                List<?> values = (List<?>) outcome;
                for (int k = 0; k < 5; k++) {
                    if (n % 2 == 0 && "expired".equals(values.get(k))) {
                        expired++;
                    } else {
                        assertEquals(n * 10 + k, values.get(k), "fiber " + n + " statement " + k);
                    }
                }
            }
            assertEquals(List.of(7), db.query("SELECT 7", rs -> rs.getInt(1)));
            assertEquals(0, db.metrics().connectionsLost());
            System.out.println("short deadlines: " + expired + " of 250 expired; " + db.metrics());
            assertTrue(expired > 0, "some deadlines, of 0.1 ms, passed: the test exercised the cancels");
        }
    }

    @Test
    void aDeadlineCoversTheCommit() {
        String table = Postgres.table("t_commit");
        Postgres.execute("CREATE TABLE " + table + " (id int)");
        try (PgClient db = Postgres.client().build()) {
            DeadlineExceededException e = assertThrows(DeadlineExceededException.class, () -> Deadline.after(Duration.ofMillis(300)).run(
                    () -> db.inTransaction(tx -> {
                        tx.update("INSERT INTO " + table + " VALUES (1)");
                        tx.query("SELECT pg_sleep(0.5)", rs -> rs.getString(1));
                    })));
            assertTrue(e.sent());
            assertEquals(0, Postgres.queryLong("SELECT COUNT(*) FROM " + table), "rolled back, not committed");
            assertEquals(List.of(1), db.transaction(tx -> tx.query("SELECT 1", rs -> rs.getInt(1))), "transactions serve on");
        } catch (DatabaseException e) {
            throw e;
        } finally {
            Postgres.execute("DROP TABLE IF EXISTS " + table);
        }
    }
}
