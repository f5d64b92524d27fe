package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Many fibers share two pipelined connections: every caller gets the answer to its own statement,
 * never a neighbour's, and the connections carry many statements at once.
 */
class PipelinedStatementsReachTheirOwnCallersTest {

    @RepeatedTest(3)
    void thousandFibersOnOneLoopGetTheirOwnRows() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).build();
                PgClient db = Postgres.client().connectionsPerLoop(2).build()) {
            EventLoop loop = reactor.loops().getFirst();
            int fibers = 1_000;
            var wrong = new ConcurrentLinkedQueue<String>();
            var done = new CountDownLatch(fibers);
            for (int i = 0; i < fibers; i++) {
                int n = i;
                loop.startFiber(() -> {
                    try {
                        for (int k = 0; k < 5; k++) {
                            int expected = n * 10 + k;
                            List<String> row = db.query("SELECT ?::int + 0 AS n, ?::text AS s", rs -> rs.getInt("n") + "/" + rs.getString(2),
                                    expected, "f" + expected);
                            if (!row.equals(List.of(expected + "/f" + expected))) {
                                wrong.add("fiber " + n + " asked for " + expected + " and got " + row);
                            }
                        }
                    } catch (RuntimeException e) {
                        wrong.add("fiber " + n + " failed: " + e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "every fiber finished");
            assertEquals(List.of(), new ArrayList<>(wrong));
            assertTrue(db.metrics().statementsPrepared() <= 2, "prepared once per connection: " + db.metrics());
        }
    }

    @Test
    void withoutAStatementCacheEveryStatementIsParsedAfreshAndStillReachesItsCaller() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).build();
                PgClient db = Postgres.client().connectionsPerLoop(1).statementCacheSize(0).build()) {
            List<Object> outcomes = Fibers.run(reactor.loops(), 300, n -> n % 2 == 0
                    ? db.query("SELECT ?::int AS n, 'even' AS kind", rs -> rs.getInt("n") + rs.getString("kind"), n)
                    : db.query("SELECT ?::text AS s", rs -> rs.getString("s"), "odd" + n));
            for (int n = 0; n < outcomes.size(); n++) {
                assertEquals(List.of(n % 2 == 0 ? n + "even" : "odd" + n), outcomes.get(n), "fiber " + n);
            }
            assertEquals(0, db.metrics().statementsReused(), db.metrics().toString());
            assertEquals(300, db.metrics().statementsPrepared());
        }
    }

    @Test
    void aStatementFarLargerThanTheSocketsBuffersIsWrittenWhole() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).build();
                PgClient db = Postgres.client().connectionsPerLoop(1).build()) {
            String big = "x✓".repeat(4 * 1024 * 1024); // 16 MB of UTF-8
            List<Object> outcomes = Fibers.run(reactor.loops(), 20, n -> n == 0
                    ? db.query("SELECT length(?::text), md5(?::text) = md5(repeat('x✓', 4194304))", rs -> rs.getInt(1) + " " + rs.getBoolean(2), big, big)
                    : db.query("SELECT ?::int", rs -> rs.getInt(1), n));
            assertEquals(List.of(8 * 1024 * 1024 + " true"), outcomes.get(0));
            for (int n = 1; n < outcomes.size(); n++) {
                assertEquals(List.of(n), outcomes.get(n), "fiber " + n + ", pipelined behind it");
            }
        }
    }

    @Test
    void callersOffTheLoopsAreServedByTheClientsOwnLoop() {
        try (PgClient db = Postgres.client().build()) {
            assertEquals(List.of(42L), db.query("SELECT 42::bigint", rs -> rs.getLong(1)));
            assertEquals(1, db.update("CREATE TEMP TABLE IF NOT EXISTS t_off_loop (id int)") + 1);
        }
    }
}
