package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.FiberMode;
import dev.strand.reactor.Reactor;
import dev.strand.reactor.Timer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffloadKeepsTheLoopServingTest {

    /** About a second of H2 computing (half a second to a few), on whatever thread runs it. */
    private static final String SLOW = "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 4000) A, SYSTEM_RANGE(1, 4000) B WHERE MOD(A.X * B.X, 7) = 1";
    private static final Duration TICK = Duration.ofMillis(10);

    /** What a fiber on the loop saw while it ran {@link #SLOW}. */
    record Run(String statementThread, long tookMs, int ticksMeanwhile) {
    }

    @Test
    void aFileDatabaseCallRunsOnAnOffloadThreadWhileTheLoopKeepsServingItsTimer(@TempDir Path dir) throws Exception {
        try (Database db = Database.builder().name("files").url("jdbc:h2:file:" + dir.resolve("offload")).user("sa").build()) {
            Run run = runOnALoopFiber(db);

            assertTrue(run.statementThread().startsWith("files-offload-"), "ran on " + run.statementThread());
            assertTrue(run.tookMs() >= 200, "the query must take a while to show anything: " + run);
            // Loosely: on two shared cores the loop thread competes with the offload thread for CPU.
            assertTrue(run.ticksMeanwhile() >= 5, "the loop's 10 ms timer kept running while the fiber waited: " + run);
            assertTrue(db.metrics().offloaded() > 0);
        }
    }

    @Test
    void withoutOffloadTheSameCallHoldsTheLoopUntilItEnds(@TempDir Path dir) throws Exception {
        // The control: what offload prevents, so that the test above cannot pass by accident.
        try (Database db = Database.builder().name("held").url("jdbc:h2:file:" + dir.resolve("held")).user("sa")
                .offload(false).build()) {
            Run run = runOnALoopFiber(db);

            assertFalse(run.statementThread().contains("offload"), "ran on " + run.statementThread());
            assertTrue(run.tookMs() >= 200, "the query must take a while to show anything: " + run);
            assertTrue(run.ticksMeanwhile() <= 1, "the loop could not run its timer: " + run);
            assertEquals(0, db.metrics().offloaded());
        }
    }

    @Test
    void anInMemoryDatabaseRunsOnTheCallerByDefault() throws Exception {
        try (Database db = Database.builder().name("memory").url("jdbc:h2:mem:offload-default").user("sa").build();
             Reactor reactor = Reactor.builder().loops(1).build()) {
            createThreadNameFunction(db);
            CompletableFuture<String> thread = new CompletableFuture<>();
            reactor.next().startFiber(() -> thread.complete(db.queryOne("SELECT THREAD_NAME()", rs -> rs.getString(1)).orElseThrow()));
            assertFalse(thread.get(10, TimeUnit.SECONDS).contains("offload"));
            assertEquals(0, db.metrics().offloaded());
        }
    }

    @Test
    void theDefaultOffloadsFilesAndUnknownDriversButNotSocketDrivers() {
        assertFalse(Database.Builder.offloadsByDefault("jdbc:postgresql://db:5432/app"));
        assertFalse(Database.Builder.offloadsByDefault("jdbc:mariadb://db/app"));
        assertFalse(Database.Builder.offloadsByDefault("jdbc:mysql://db/app"));
        assertFalse(Database.Builder.offloadsByDefault("jdbc:h2:mem:test"));
        assertFalse(Database.Builder.offloadsByDefault("jdbc:h2:tcp://localhost/~/test"));
        assertTrue(Database.Builder.offloadsByDefault("jdbc:h2:file:/var/data/app"));
        assertTrue(Database.Builder.offloadsByDefault("jdbc:h2:~/app"));
        assertTrue(Database.Builder.offloadsByDefault("jdbc:h2:./app"));
        assertTrue(Database.Builder.offloadsByDefault("jdbc:sqlite:app.db"));
    }

    /** Runs {@link #SLOW} from a fiber that its loop carries, while a 10 ms timer ticks on the same loop. */
    private static Run runOnALoopFiber(Database db) throws Exception {
        Assumptions.assumeTrue(Reactor.carrierHookAvailable(), "loops cannot carry fibers here (java.lang not opened)");
        createThreadNameFunction(db);
        try (Reactor reactor = Reactor.builder().loops(1).fiberMode(FiberMode.LOOP_CARRIER).build()) {
            EventLoop loop = reactor.next();
            AtomicInteger ticks = new AtomicInteger();
            Timer timer = loop.addPeriodicTimer(TICK, ticks::incrementAndGet);
            try {
                Await.until(Duration.ofSeconds(5), () -> ticks.get() >= 3, "the timer ticks");
                CompletableFuture<Run> run = new CompletableFuture<>();
                loop.startFiber(() -> {
                    try {
                        String thread = db.queryOne("SELECT THREAD_NAME()", rs -> rs.getString(1)).orElseThrow();
                        int before = ticks.get();
                        long start = System.nanoTime();
                        db.query(SLOW, rs -> rs.getLong(1));
                        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                        run.complete(new Run(thread, took, ticks.get() - before));
                    } catch (Throwable t) {
                        run.completeExceptionally(t);
                    }
                });
                return run.get(60, TimeUnit.SECONDS);
            } finally {
                timer.cancel();
            }
        }
    }

    private static void createThreadNameFunction(Database db) {
        db.update("CREATE ALIAS IF NOT EXISTS THREAD_NAME FOR '" + H2ThreadName.class.getName() + ".current'");
    }
}
