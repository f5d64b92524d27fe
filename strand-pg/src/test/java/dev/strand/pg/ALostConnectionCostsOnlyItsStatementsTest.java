package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.jdbc.DatabaseException;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A connection that breaks fails the statements it carried as connection failures; the next call
 * opens another. While the server cannot be reached calls fail at once, and the client heals by
 * itself once it can.
 */
class ALostConnectionCostsOnlyItsStatementsTest {

    @Test
    void aTerminatedBackendFailsItsStatementsAndTheNextCallsGetANewOne() throws Exception {
        String app = Postgres.applicationName("terminated");
        try (Reactor reactor = Reactor.builder().loops(1).build();
                PgClient db = Postgres.client().applicationName(app).connectionsPerLoop(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            // Every call from a fiber of this loop, so that all go to its one connection.
            int pid = (Integer) Fibers.run(List.of(loop), 1, n -> db.queryOne("SELECT pg_backend_pid()", rs -> rs.getInt(1)).orElseThrow()).getFirst();
            CompletableFuture<List<Object>> inFlight = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    inFlight.complete(Fibers.run(List.of(loop), 10, n -> n == 0
                            ? db.query("SELECT pg_sleep(30)", rs -> rs.getString(1))
                            : db.query("SELECT ?::int", rs -> rs.getInt(1), n)));
                } catch (Throwable t) {
                    inFlight.completeExceptionally(t);
                }
            });
            Await.until(Duration.ofSeconds(5), () -> Postgres.running(app, "pg_sleep") == 1, "the sleep runs");
            assertEquals(1, Postgres.queryLong("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ? AND pid = ?", app, pid),
                    "one session, the one that ran the first query");

            assertEquals(1, Postgres.terminate(app));

            List<Object> outcomes = inFlight.get(10, TimeUnit.SECONDS);
            for (int n = 0; n < outcomes.size(); n++) {
                DatabaseException lost = assertInstanceOf(DatabaseException.class, outcomes.get(n), "fiber " + n);
                assertTrue(lost.isConnectionFailure(), lost.getMessage());
                assertEquals("57P01", lost.sqlState().orElse(null), lost.getMessage());
            }
            List<Object> after = Fibers.run(List.of(loop), 10, n -> db.query("SELECT ?::int", rs -> rs.getInt(1), n));
            for (int n = 0; n < after.size(); n++) {
                assertEquals(List.of(n), after.get(n), "fiber " + n + " after the loss");
            }
            int newPid = (Integer) Fibers.run(List.of(loop), 1, n -> db.queryOne("SELECT pg_backend_pid()", rs -> rs.getInt(1)).orElseThrow()).getFirst();
            assertTrue(newPid != pid, "a new session");
            assertEquals(1, db.metrics().connectionsLost());
        } finally {
            Postgres.terminate(app);
        }
    }

    @Test
    void aTransactionWhoseBackendIsTerminatedFailsAndTheNextOneWorks() throws Exception {
        String app = Postgres.applicationName("tx-terminated");
        try (PgClient db = Postgres.client().applicationName(app).transactionConnections(1).build()) {
            DatabaseException lost = assertThrows(DatabaseException.class, () -> db.inTransaction(tx -> {
                tx.query("SELECT 1", rs -> rs.getInt(1));
                assertEquals(1, Postgres.terminate(app));
                tx.query("SELECT 2", rs -> rs.getInt(1));
            }));
            assertTrue(lost.isConnectionFailure(), lost.getMessage());
            assertEquals(List.of(3), db.transaction(tx -> tx.query("SELECT 3", rs -> rs.getInt(1))));
            assertEquals(1, db.metrics().pool().destructions(), "the broken connection was not lent again");
        } finally {
            Postgres.terminate(app);
        }
    }

    @Test
    void throughACutProxyCallsFailFastAndHealAfterTheRestore() throws Exception {
        Postgres.assumeAvailable();
        String app = Postgres.applicationName("cut");
        try (TcpProxy proxy = TcpProxy.start(5432);
                Reactor reactor = Reactor.builder().loops(1).build();
                PgClient db = PgClient.builder().url("postgresql://postgres@127.0.0.1:" + proxy.port() + "/test")
                        .applicationName(app).connectionsPerLoop(2).build()) {
            EventLoop loop = reactor.loops().getFirst();
            assertEquals(List.of(1), db.query("SELECT 1", rs -> rs.getInt(1)));
            CompletableFuture<List<Object>> inFlight = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    inFlight.complete(Fibers.run(List.of(loop), 4, n -> db.query("SELECT pg_sleep(30)", rs -> rs.getString(1))));
                } catch (Throwable t) {
                    inFlight.completeExceptionally(t);
                }
            });
            Await.until(Duration.ofSeconds(5), () -> Postgres.running(app, "pg_sleep") >= 1, "the sleeps run");

            proxy.cut();

            for (Object outcome : inFlight.get(10, TimeUnit.SECONDS)) {
                DatabaseException lost = assertInstanceOf(DatabaseException.class, outcome);
                assertTrue(lost.isConnectionFailure(), lost.getMessage());
            }
            DatabaseException first = assertThrows(DatabaseException.class, () -> db.query("SELECT 1", rs -> rs.getInt(1)));
            assertTrue(first.isConnectionFailure(), first.getMessage());
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                DatabaseException down = assertThrows(DatabaseException.class, () -> db.query("SELECT 1", rs -> rs.getInt(1)));
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(down.isConnectionFailure(), down.getMessage());
                assertTrue(tookMs < 1_000, "call " + i + " failed at once, not after " + tookMs + " ms");
            }
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                RuntimeException down = assertThrows(RuntimeException.class, () -> db.transaction(tx -> tx.query("SELECT 1", rs -> rs.getInt(1))));
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                DatabaseException failure = assertInstanceOf(DatabaseException.class, down, "transaction " + i + ": " + down);
                assertTrue(failure.isConnectionFailure(), failure.getMessage());
                assertTrue(tookMs < 2_000, "transaction " + i + " failed soon, not after " + tookMs + " ms of its 30 s acquire timeout");
            }
            assertTrue(db.metrics().refusedUnreachable() > 0, "calls were refused while it was unreachable: " + db.metrics());

            proxy.restore();
            long restored = System.nanoTime();
            Await.until(Duration.ofSeconds(5), () -> works(db), "served again after the restore");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored) < 3_000, "healed within the backoff's 1 s cap");
            List<Object> after = Fibers.run(List.of(loop), 50, n -> db.query("SELECT ?::int", rs -> rs.getInt(1), n));
            for (int n = 0; n < after.size(); n++) {
                assertEquals(List.of(n), after.get(n), "fiber " + n + " after the restore");
            }
            Await.until(Duration.ofSeconds(5), () -> transactionWorks(db), "transactions served again after the restore");
        } finally {
            Postgres.terminate(app);
        }
    }

    @Test
    void aServerThatAcceptsButNeverAnswersCostsAtMostTheConnectTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                PgClient db = PgClient.builder().host("127.0.0.1").port(silent.getLocalPort()).connectTimeout(Duration.ofMillis(500)).build()) {
            // The kernel completes the TCP handshake for the listening socket; nothing ever answers the start-up.
            long start = System.nanoTime();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    db.query("SELECT 1", rs -> rs.getInt(1));
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            DatabaseException e = assertInstanceOf(DatabaseException.class, outcome.get(10, TimeUnit.SECONDS));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(e.isConnectionFailure(), e.getMessage());
            assertTrue(tookMs >= 400 && tookMs < 3_000, "failed after " + tookMs + " ms, at its 500 ms connect timeout");
        }
    }

    private static boolean transactionWorks(PgClient db) {
        try {
            return db.transaction(tx -> tx.query("SELECT 1", rs -> rs.getInt(1))).equals(List.of(1));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean works(PgClient db) {
        try {
            return db.query("SELECT 1", rs -> rs.getInt(1)).equals(List.of(1));
        } catch (DatabaseException e) {
            return false;
        }
    }
}
