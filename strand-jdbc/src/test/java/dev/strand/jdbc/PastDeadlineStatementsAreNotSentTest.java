package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deadline;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PastDeadlineStatementsAreNotSentTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void aStatementWhoseDeadlineHasPassedFailsAtOnceWithoutAConnection(Target target) throws Exception {
        String table = Target.uniqueTable("late");
        try (Database db = target.builder().poolSize(1).build()) {
            db.update("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            try {
                long borrowsBefore = db.metrics().pool().waitTimes().count();

                DeadlineExceededException late = assertThrows(DeadlineExceededException.class,
                        () -> Deadline.after(Duration.ZERO).call(() -> db.update("INSERT INTO " + table + " VALUES (?)", 1)));

                assertFalse(late.sent());
                assertTrue(late.getMessage().contains("not sent") && late.getMessage().contains("deadline passed"), late.getMessage());
                assertEquals(borrowsBefore, db.metrics().pool().waitTimes().count(), "no connection was even borrowed");
                assertEquals(1, db.metrics().refusedPastDeadline());
                assertEquals(0L, AFailedTransactionLeavesNoTraceTest.countFromOutside(target, table));
            } finally {
                db.update("DROP TABLE " + table);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void aTransactionWhoseDeadlinePassesDuringItsWorkIsRolledBackNotCommitted(Target target) throws Exception {
        String table = Target.uniqueTable("latecommit");
        try (Database db = target.builder().poolSize(1).build()) {
            db.update("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            try {
                DeadlineExceededException late = assertThrows(DeadlineExceededException.class,
                        () -> Deadline.after(Duration.ofMillis(200)).run(() -> db.inTransaction(tx -> {
                            tx.update("INSERT INTO " + table + " VALUES (?)", 1);
                            Await.until(Duration.ofSeconds(5), () -> Deadline.current().orElseThrow().isExpired(), "the deadline passes");
                        })));

                assertFalse(late.sent());
                assertTrue(late.getMessage().contains("not committed"), late.getMessage());
                assertEquals(0L, AFailedTransactionLeavesNoTraceTest.countFromOutside(target, table));
                assertEquals(1, db.update("INSERT INTO " + table + " VALUES (?)", 2), "the connection is back in auto-commit");
                assertEquals(1L, AFailedTransactionLeavesNoTraceTest.countFromOutside(target, table));
            } finally {
                db.update("DROP TABLE " + table);
            }
        }
    }
}
