package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Reactor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatementsArePreparedOncePerConnectionTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void theSameSqlFromManyFibersIsPreparedOnceOnEachConnection(Target target) throws Exception {
        target.assumeAvailable();
        String table = Target.uniqueTable("reuse");
        CountingDataSource source = new CountingDataSource(target.url(), target.user());
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (Database db = Database.builder().dataSource(source).offload(false).poolSize(2).build();
             Reactor reactor = Reactor.builder().loops(2).build()) {
            db.update("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            try {
                db.batch("INSERT INTO " + table + " VALUES (?)", List.of(new Object[] {1}, new Object[] {2}));
                String byId = "SELECT id FROM " + table + " WHERE id = ?";
                String count = "SELECT COUNT(*) FROM " + table;
                int calls = 200;
                CountDownLatch done = new CountDownLatch(calls);
                for (int i = 0; i < calls; i++) {
                    int id = 1 + i % 2;
                    reactor.next().startFiber(() -> {
                        try {
                            assertEquals(List.of(id), db.query(byId, rs -> rs.getInt(1), id));
                            assertEquals(2L, db.queryOne(count, rs -> rs.getLong(1)).orElseThrow());
                        } catch (Throwable t) {
                            failures.add(t);
                        } finally {
                            done.countDown();
                        }
                    });
                }
                assertTrue(done.await(60, TimeUnit.SECONDS));
                assertEquals(List.of(), failures);

                for (String sql : List.of(byId, count)) {
                    Map<Integer, Long> perConnection = source.preparesPerConnection(sql);
                    assertFalse(perConnection.isEmpty());
                    perConnection.forEach((connection, prepares) ->
                            assertEquals(1L, prepares, "connection " + connection + " prepared '" + sql + "' " + prepares + " times"));
                }
                DatabaseMetrics metrics = db.metrics();
                assertEquals(source.prepared.size(), metrics.statementsPrepared(), "the metrics agree with the driver's side");
                assertTrue(metrics.statementsReused() >= 2 * calls - 4, "reused: " + metrics);
            } finally {
                db.update("DROP TABLE " + table);
            }
        }
        assertTrue(source.prepared.stream().allMatch(p -> p.closed), "closing the database closes every kept statement");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void theLeastRecentlyUsedStatementMakesRoomAndIsClosed(Target target) {
        target.assumeAvailable();
        CountingDataSource source = new CountingDataSource(target.url(), target.user());
        try (Database db = Database.builder().dataSource(source).offload(false).poolSize(1).statementCacheSize(2).build()) {
            String a = "SELECT 1 AS a";
            String b = "SELECT 2 AS b";
            String c = "SELECT 3 AS c";
            for (String sql : List.of(a, b, a, c, a)) { // c pushes out b, the least recently used; a stays
                db.query(sql, rs -> rs.getInt(1));
            }
            assertEquals(Map.of(1, 1L), source.preparesPerConnection(a));
            assertTrue(source.prepared.stream().filter(p -> p.sql.equals(b)).allMatch(p -> p.closed), "b was closed when pushed out");
            assertTrue(source.prepared.stream().filter(p -> !p.sql.equals(b)).noneMatch(p -> p.closed), "a and c are kept");

            db.query(b, rs -> rs.getInt(1));
            assertEquals(Map.of(1, 2L), source.preparesPerConnection(b), "b is prepared again");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Target.class)
    void withoutACacheEveryCallPreparesAndCloses(Target target) {
        target.assumeAvailable();
        CountingDataSource source = new CountingDataSource(target.url(), target.user());
        try (Database db = Database.builder().dataSource(source).offload(false).poolSize(1).statementCacheSize(0).build()) {
            for (int i = 0; i < 3; i++) {
                db.query("SELECT 1", rs -> rs.getInt(1));
            }
            assertEquals(Map.of(1, 3L), source.preparesPerConnection("SELECT 1"));
            assertTrue(source.prepared.stream().allMatch(p -> p.closed));
        }
    }
}
