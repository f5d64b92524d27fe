package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Reactor;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ThousandFibersShareEightConnectionsTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void everyFiberOnTheLoopsGetsItsRowsThroughEightConnections(Target target) throws Exception {
        int fibers = 1_000;
        String table = Target.uniqueTable("thousand");
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (Database db = target.builder().poolSize(8).build();
             Reactor reactor = Reactor.builder().loops(2).build()) {
            db.update("CREATE TABLE " + table + " (id INT PRIMARY KEY, fiber VARCHAR(40) NOT NULL)");
            try {
                CountDownLatch done = new CountDownLatch(fibers);
                for (int i = 0; i < fibers; i++) {
                    int id = i;
                    reactor.next().startFiber(() -> {
                        try {
                            db.update("INSERT INTO " + table + " (id, fiber) VALUES (?, ?)", id, "fiber-" + id);
                            Optional<String> back = db.queryOne("SELECT fiber FROM " + table + " WHERE id = ?", rs -> rs.getString(1), id);
                            assertEquals(Optional.of("fiber-" + id), back);
                        } catch (Throwable t) {
                            failures.add(t);
                        } finally {
                            done.countDown();
                        }
                    });
                }

                assertTrue(done.await(60, TimeUnit.SECONDS), "fibers unfinished: " + done.getCount());
                assertEquals(List.of(), failures);
                assertEquals(Optional.of((long) fibers), db.queryOne("SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1)));
                DatabaseMetrics metrics = db.metrics();
                assertTrue(metrics.pool().creations() <= 8, "never more than 8 connections: " + metrics);
                assertEquals(0, metrics.pool().inUse());
                assertEquals(0, metrics.pool().timeouts());
            } finally {
                db.update("DROP TABLE " + table);
            }
        }
    }
}
