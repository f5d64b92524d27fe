package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deadline;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Database#session}: every statement of the work runs on the one connection it borrowed, in
 * auto-commit mode, while other callers use the pool's other connections; the connection goes back
 * when the work ends, and the session cannot be used after it.
 */
class ASessionKeepsItsStatementsOnOneConnectionTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void everyStatementOfTheSessionRunsOnOneConnection(Target target) throws Exception {
        try (Database db = target.builder().poolSize(4).build()) {
            CountDownLatch stop = new CountDownLatch(1);
            // Others keep the pool's other connections moving meanwhile.
            List<Thread> others = java.util.stream.IntStream.range(0, 6).mapToObj(i -> Thread.ofVirtual().start(() -> {
                while (stop.getCount() > 0) {
                    db.queryOne(target.sessionQuery(), rs -> rs.getString(1));
                }
            })).toList();
            try {
                Set<String> sessions = db.session(s -> {
                    Set<String> seen = new HashSet<>();
                    for (int i = 0; i < 50; i++) {
                        seen.add(s.queryOne(target.sessionQuery(), rs -> rs.getString(1)).orElseThrow());
                    }
                    return seen;
                });
                assertEquals(1, sessions.size(), "one connection for the whole session: " + sessions);
            } finally {
                stop.countDown();
                for (Thread t : others) {
                    t.join(10_000);
                }
            }
            Await.until(Duration.ofSeconds(5), () -> db.metrics().pool().inUse() == 0, "the connection went back");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void statementsCommitOneByOneAndTheSessionEndsWithItsWork(Target target) {
        String table = Target.uniqueTable("session");
        try (Database db = target.builder().poolSize(2).build()) {
            db.update("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            try {
                AtomicReference<SqlOperations> kept = new AtomicReference<>();
                assertThrows(DatabaseException.class, () -> db.session(s -> {
                    kept.set(s);
                    s.update("INSERT INTO " + table + " VALUES (1)");
                    return s.update("INSERT INTO " + table + " VALUES (1)"); // a duplicate key: fails
                }));
                assertEquals(List.of(1), db.query("SELECT id FROM " + table, rs -> rs.getInt(1)),
                        "auto-commit: the first insert stays, not rolled back with the failure");
                IllegalStateException ended = assertThrows(IllegalStateException.class,
                        () -> kept.get().update("INSERT INTO " + table + " VALUES (2)"));
                assertTrue(ended.getMessage().contains("session has ended"), ended.getMessage());
                assertEquals(0, db.metrics().pool().inUse());
            } finally {
                db.update("DROP TABLE " + table);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void aSessionPastItsDeadlineSendsNothing(Target target) {
        try (Database db = target.builder().poolSize(1).build()) {
            Deadline passed = Deadline.after(Duration.ZERO); // passed the moment it is made
            assertThrows(DeadlineExceededException.class, () -> passed.call(() -> db.session(s -> s.update("SELECT 1"))));
            assertEquals(0, db.metrics().pool().inUse());
        }
    }
}
