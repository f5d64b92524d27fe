package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Reactor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConcurrentTransfersKeepTheTotalTest {

    private static final int ACCOUNTS = 10;
    private static final long OPENING = 1_000;

    /** Thrown by the transfers planned to fail, after they have written. */
    static final class Planned extends RuntimeException {
        Planned() {
            super("planned failure", null, false, false);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void transfersFromManyFibersCommitWhollyOrNotAtAll(Target target) throws Exception {
        int fibers = 200;
        int transfersEach = 5;
        String accounts = Target.uniqueTable("accounts");
        String log = Target.uniqueTable("transfers");
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger planned = new AtomicInteger();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        try (Database db = target.builder().poolSize(8).build();
             Reactor reactor = Reactor.builder().loops(2).build()) {
            db.update("CREATE TABLE " + accounts + " (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            db.update("CREATE TABLE " + log + " (id INT PRIMARY KEY, src INT NOT NULL, dst INT NOT NULL, amount BIGINT NOT NULL)");
            try {
                List<Object[]> opening = new ArrayList<>();
                for (int i = 0; i < ACCOUNTS; i++) {
                    opening.add(new Object[] {i, OPENING});
                }
                db.batch("INSERT INTO " + accounts + " (id, balance) VALUES (?, ?)", opening);

                CountDownLatch done = new CountDownLatch(fibers);
                AtomicInteger ids = new AtomicInteger();
                for (int f = 0; f < fibers; f++) {
                    reactor.next().startFiber(() -> {
                        try {
                            for (int t = 0; t < transfersEach; t++) {
                                transfer(db, accounts, log, ids.incrementAndGet(), committed, planned);
                            }
                        } catch (Throwable e) {
                            unexpected.add(e);
                        } finally {
                            done.countDown();
                        }
                    });
                }
                assertTrue(done.await(120, TimeUnit.SECONDS), "fibers unfinished: " + done.getCount());
                assertEquals(List.of(), unexpected);

                assertEquals(fibers * transfersEach, committed.get() + planned.get());
                assertTrue(planned.get() > 0, "some transfers were to fail");
                assertEquals(Optional.of(ACCOUNTS * OPENING),
                        db.queryOne("SELECT SUM(balance) FROM " + accounts, rs -> rs.getLong(1)), "the total is kept");
                assertEquals(Optional.of((long) committed.get()),
                        db.queryOne("SELECT COUNT(*) FROM " + log, rs -> rs.getLong(1)), "only committed transfers are logged");
                Map<Integer, Long> expected = new HashMap<>();
                for (int i = 0; i < ACCOUNTS; i++) {
                    expected.put(i, OPENING);
                }
                for (long[] row : db.query("SELECT src, dst, amount FROM " + log, rs -> new long[] {rs.getInt(1), rs.getInt(2), rs.getLong(3)})) {
                    expected.merge((int) row[0], -row[2], Long::sum);
                    expected.merge((int) row[1], row[2], Long::sum);
                }
                Map<Integer, Long> actual = new HashMap<>();
                for (long[] row : db.query("SELECT id, balance FROM " + accounts, rs -> new long[] {rs.getInt(1), rs.getLong(2)})) {
                    actual.put((int) row[0], row[1]);
                }
                assertEquals(expected, actual, "each balance is its opening plus its logged transfers, and nothing of the failed ones");
                assertEquals(0, db.metrics().pool().inUse());
            } finally {
                db.update("DROP TABLE " + log);
                db.update("DROP TABLE " + accounts);
            }
        }
    }

    /** Moves a random amount between two random accounts, one in ten planned to fail after writing. */
    private static void transfer(Database db, String accounts, String log, int id, AtomicInteger committed, AtomicInteger planned) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int from = random.nextInt(ACCOUNTS);
        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        long amount = 1 + random.nextInt(50);
        boolean fail = random.nextInt(10) == 0;
        try {
            db.inTransaction(tx -> {
                // Rows are locked in id order, so that two transfers cannot deadlock.
                int first = Math.min(from, to);
                int second = Math.max(from, to);
                tx.update("UPDATE " + accounts + " SET balance = balance + ? WHERE id = ?", first == from ? -amount : amount, first);
                tx.update("INSERT INTO " + log + " (id, src, dst, amount) VALUES (?, ?, ?, ?)", id, from, to, amount);
                if (fail) {
                    throw new Planned();
                }
                tx.update("UPDATE " + accounts + " SET balance = balance + ? WHERE id = ?", second == from ? -amount : amount, second);
            });
            committed.incrementAndGet();
        } catch (Planned expected) {
            planned.incrementAndGet();
        }
    }
}
