package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deadline;
import dev.strand.reactor.Reactor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatementsRunningPastTheDeadlineAreCancelledTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void aLongQueryOnALoopFiberIsCancelledAtTheDeadlineAndTheConnectionServesOn(Target target) throws Exception {
        String sql = target.longQuery(30);
        try (Database db = target.builder().poolSize(1).build();
             Reactor reactor = Reactor.builder().loops(1).build()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            long start = System.nanoTime();
            reactor.next().startFiber(() -> {
                try {
                    Deadline.after(Duration.ofMillis(500)).call(() -> db.query(sql, rs -> rs.getLong(1)));
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });

            Throwable failure = outcome.get(20, TimeUnit.SECONDS);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            DeadlineExceededException cancelled = assertInstanceOf(DeadlineExceededException.class, failure);
            assertTrue(cancelled.sent(), "it ran, then was cancelled");
            assertTrue(cancelled.getMessage().contains("cancelled at the deadline"), cancelled.getMessage());
            assertTrue(tookMs >= 450 && tookMs < 5_000, "ended " + tookMs + " ms after it began, not at its deadline");
            assertEquals(1, db.metrics().cancelledAtDeadline());

            long after = System.nanoTime();
            assertEquals(List.of(1), db.query("SELECT 1", rs -> rs.getInt(1)), "the only connection serves on");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - after) < 2_000, "at once, not after the long query");
            assertEquals(0, db.metrics().pool().destructions(), "a cancel does not cost the connection");
            assertEquals(0, stillRunning(target, sql), "the database is no longer running it");
        }
    }

    /** How many sessions of the server still run {@code sql}; 0 for H2, which runs in this process. */
    private static int stillRunning(Target target, String sql) throws SQLException {
        String query = switch (target) {
            case POSTGRESQL -> "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' AND query = ?";
            case MARIADB -> "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND INFO = ?";
            case H2 -> null;
        };
        if (query == null) {
            return 0;
        }
        try (Connection connection = target.connect(); PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, sql);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
