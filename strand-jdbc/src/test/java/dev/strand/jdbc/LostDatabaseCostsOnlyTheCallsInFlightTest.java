package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.pool.PoolException;
import dev.strand.reactor.Reactor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A proxy between the pool and the database is cut while statements run, then restored: only the
 * statements in flight fail, calls while it is down fail at once, and the same database serves
 * again within seconds of the restore.
 */
class LostDatabaseCostsOnlyTheCallsInFlightTest {

    private static final int POOL = 4;
    private static final long FAST_MS = 250;

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Target.class, names = {"POSTGRESQL", "MARIADB"})
    void inFlightCallsFailNewOnesFailFastAndThePoolHealsAfterTheRestore(Target target) throws Exception {
        target.assumeAvailable();
        String sleep = target.longQuery(29);
        try (TcpProxy proxy = TcpProxy.start(target.port());
             Database db = Database.builder().name("cut").url(target.urlVia(proxy.port())).user(target.user())
                     .poolSize(POOL).acquireTimeout(Duration.ofSeconds(10)).build();
             Reactor reactor = Reactor.builder().loops(2).build()) {
            List<CompletableFuture<Throwable>> inFlight = new ArrayList<>();
            for (int i = 0; i < POOL; i++) {
                CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                inFlight.add(outcome);
                reactor.next().startFiber(() -> {
                    try {
                        db.query(sleep, rs -> rs.getLong(1));
                        outcome.complete(null);
                    } catch (Throwable t) {
                        outcome.complete(t);
                    }
                });
            }
            try {
                Await.until(Duration.ofSeconds(10), () -> running(target, sleep) == POOL, "all " + POOL + " statements running");

                proxy.cut();

                for (CompletableFuture<Throwable> outcome : inFlight) {
                    DatabaseException lost = assertInstanceOf(DatabaseException.class, outcome.get(10, TimeUnit.SECONDS));
                    assertTrue(lost.isConnectionFailure(), lost.getMessage());
                    assertTrue(lost.getMessage().contains("connection lost"), lost.getMessage());
                }
                // The first call after the cut learns that connecting fails within a short turn of waiting;
                // from then on, calls fail at once.
                assertTrue(failsWithin(db, 2_000), "the first call after the cut failed long before its 10 s acquire timeout");
                for (int i = 0; i < 10; i++) {
                    assertTrue(failsWithin(db, FAST_MS), "call " + i + " while down failed at once");
                }
                DatabaseException refused = assertThrows(DatabaseException.class, () -> db.update("UPDATE nothing SET x = 1"));
                assertTrue(refused.getMessage().contains("unreachable") && refused.getMessage().contains("not sent"), refused.getMessage());

                proxy.restore();
                long restored = System.nanoTime();

                Await.until(Duration.ofSeconds(10), () -> works(db), "served again after the restore");
                long healedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored);
                assertTrue(healedMs < 5_000, "healed " + healedMs + " ms after the restore");
                assertEveryFiberIsServed(db, reactor, 40);

                DatabaseMetrics metrics = db.metrics();
                assertTrue(metrics.connectionsLost() >= POOL, "each broken connection counted: " + metrics);
                assertTrue(metrics.refusedUnreachable() >= 11, "the refusals counted: " + metrics);
            } finally {
                endLeftovers(target, sleep);
            }
        }
    }

    /** Whether a call fails within {@code ms} as a connection failure, rather than waiting out its acquire timeout. */
    private static boolean failsWithin(Database db, long ms) {
        long start = System.nanoTime();
        try {
            db.query("SELECT 1", rs -> rs.getInt(1));
            return false;
        } catch (DatabaseException e) {
            return e.isConnectionFailure() && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < ms;
        } catch (PoolException e) {
            return false; // it waited for a connection until its time was up
        }
    }

    private static boolean works(Database db) {
        try {
            return db.query("SELECT 1", rs -> rs.getInt(1)).equals(List.of(1));
        } catch (DatabaseException | PoolException e) {
            return false;
        }
    }

    private static void assertEveryFiberIsServed(Database db, Reactor reactor, int fibers) throws InterruptedException {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(fibers);
        for (int i = 0; i < fibers; i++) {
            reactor.next().startFiber(() -> {
                try {
                    assertEquals(List.of(1), db.query("SELECT 1", rs -> rs.getInt(1)));
                } catch (Throwable t) {
                    failures.add(t);
                } finally {
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertEquals(List.of(), failures);
    }

    /** How many sessions run {@code sql} on the server, seen directly, not through the proxy. */
    private static int running(Target target, String sql) {
        String query = target == Target.POSTGRESQL
                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' AND query = ?"
                : "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND INFO = ?";
        try (Connection connection = target.connect(); PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, sql);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ends the server sessions whose clients the cut left behind, still sleeping. */
    private static void endLeftovers(Target target, String sql) throws SQLException {
        try (Connection connection = target.connect()) {
            if (target == Target.POSTGRESQL) {
                try (PreparedStatement end = connection.prepareStatement(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = ? AND pid <> pg_backend_pid()")) {
                    end.setString(1, sql);
                    end.executeQuery().close();
                }
            } else {
                List<Long> ids = new ArrayList<>();
                try (PreparedStatement find = connection.prepareStatement(
                        "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO = ? AND ID <> CONNECTION_ID()")) {
                    find.setString(1, sql);
                    try (ResultSet rows = find.executeQuery()) {
                        while (rows.next()) {
                            ids.add(rows.getLong(1));
                        }
                    }
                }
                try (Statement kill = connection.createStatement()) {
                    for (long id : ids) {
                        kill.execute("KILL " + id);
                    }
                }
            }
        }
    }
}
