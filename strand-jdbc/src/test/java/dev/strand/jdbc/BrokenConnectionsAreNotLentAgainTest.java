package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The server ends pooled sessions behind the pool's back; broken connections never serve a second call. */
class BrokenConnectionsAreNotLentAgainTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Target.class, names = {"POSTGRESQL", "MARIADB"})
    void connectionsIdlePastValidateAfterIdleAreCheckedAndReplacedSoNoCallFails(Target target) throws Exception {
        try (Database db = target.builder().poolSize(2).validateAfterIdle(Duration.ofMillis(100)).build()) {
            Set<Long> sessions = openTwoSessions(db, target);
            endSessions(target, sessions);
            long ended = System.nanoTime();
            Await.until(Duration.ofSeconds(5), () -> System.nanoTime() - ended > TimeUnit.MILLISECONDS.toNanos(150),
                    "the connections idle past validateAfterIdle");

            for (int i = 0; i < 5; i++) {
                assertEquals(List.of(1), db.query("SELECT 1", rs -> rs.getInt(1)), "call " + i);
            }
            assertEquals(2, db.metrics().connectionsLost(), "both found broken by their check");
            assertTrue(db.metrics().pool().destructions() >= 2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Target.class, names = {"POSTGRESQL", "MARIADB"})
    void aConnectionFoundBrokenInUseCostsOneCallAndGetsTheOthersCheckedBeforeTheirNextUse(Target target) throws Exception {
        try (Database db = target.builder().poolSize(2).validateAfterIdle(Duration.ofHours(1)).build()) {
            Set<Long> sessions = openTwoSessions(db, target);
            endSessions(target, sessions);

            // Used too recently to be checked: the first call meets a broken connection.
            DatabaseException lost = assertThrows(DatabaseException.class, () -> db.query("SELECT 1", rs -> rs.getInt(1)));
            assertTrue(lost.isConnectionFailure(), lost.getMessage());
            // The other idle one was returned before that failure, so it is checked first; the call gets a new one.
            for (int i = 0; i < 5; i++) {
                assertEquals(List.of(1), db.query("SELECT 1", rs -> rs.getInt(1)), "call " + i);
            }
            assertEquals(2, db.metrics().connectionsLost());
        }
    }

    /** Makes the pool open two connections, both idle afterwards; returns their server session ids. */
    private static Set<Long> openTwoSessions(Database db, Target target) throws Exception {
        String sessionId = target == Target.POSTGRESQL ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()";
        CountDownLatch bothIn = new CountDownLatch(2);
        List<CompletableFuture<Long>> ids = List.of(new CompletableFuture<>(), new CompletableFuture<>());
        for (CompletableFuture<Long> id : ids) {
            Thread.ofVirtual().start(() -> {
                try {
                    id.complete(db.transaction(tx -> {
                        long own = tx.queryOne(sessionId, rs -> rs.getLong(1)).orElseThrow();
                        bothIn.countDown();
                        awaitQuietly(bothIn); // hold this connection until the other is open too
                        return own;
                    }));
                } catch (Throwable t) {
                    id.completeExceptionally(t);
                }
            });
        }
        Set<Long> sessions = new TreeSet<>();
        for (CompletableFuture<Long> id : ids) {
            sessions.add(id.get(10, TimeUnit.SECONDS));
        }
        assertEquals(2, sessions.size());
        assertEquals(2, db.metrics().pool().idle());
        return sessions;
    }

    /** Ends the sessions from outside the pool, and waits until the server has let them go. */
    private static void endSessions(Target target, Set<Long> sessions) throws SQLException {
        try (Connection connection = target.connect(); Statement statement = connection.createStatement()) {
            for (long id : sessions) {
                statement.execute(target == Target.POSTGRESQL ? "SELECT pg_terminate_backend(" + id + ")" : "KILL " + id);
            }
            String alive = target == Target.POSTGRESQL
                    ? "SELECT COUNT(*) FROM pg_stat_activity WHERE pid IN (" + join(sessions) + ")"
                    : "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID IN (" + join(sessions) + ")";
            Await.until(Duration.ofSeconds(10), () -> {
                try (ResultSet rows = statement.executeQuery(alive)) {
                    return rows.next() && rows.getInt(1) == 0;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, "the server ended sessions " + sessions);
        }
    }

    private static String join(Set<Long> ids) {
        return String.join(", ", ids.stream().map(String::valueOf).toList());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
