package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.FiberMode;
import dev.strand.reactor.LoopSocketFactory;
import dev.strand.reactor.Reactor;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * pgjdbc's and MariaDB's sockets come from {@link LoopSocketFactory}: a statement waiting for its
 * reply on a loop's fiber waits in the loop's own selector, not in the JDK's pollers.
 */
class DriverSocketWaitsArePolledByTheLoopTest {

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"POSTGRESQL", "MARIADB"})
    void aFiberWaitingForARowWaitsOnItsLoop(Target target) throws Exception {
        Assumptions.assumeTrue(Reactor.carrierHookAvailable(), "java.lang is not opened in this JVM");
        try (Database db = target.builder().poolSize(1).build();
             Reactor reactor = Reactor.builder().loops(1).fiberMode(FiberMode.LOOP_CARRIER).build()) {
            db.query("SELECT 1", rs -> rs.getInt(1)); // connected, off the loop
            EventLoop loop = reactor.loops().getFirst();
            CompletableFuture<Integer> rows = new CompletableFuture<>();
            Thread fiber = loop.startFiber(() -> {
                try {
                    rows.complete(db.query(target.longQuery(1), rs -> 1).size());
                } catch (Throwable t) {
                    rows.completeExceptionally(t);
                }
            });
            // While the database sleeps, the fiber is parked in the loop socket's wait.
            String stack = "";
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!rows.isDone() && System.nanoTime() < until) {
                stack = Arrays.stream(fiber.getStackTrace()).map(StackTraceElement::toString)
                        .collect(Collectors.joining("\n"));
                if (stack.contains("LoopSocketImpl.awaitOnLoop")) {
                    break;
                }
                Thread.onSpinWait();
            }
            assertTrue(stack.contains("LoopSocketImpl.awaitOnLoop"), "the fiber waited elsewhere:\n" + stack);
            assertEquals(1, rows.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFactoryNamedByTheApplicationIsKept() {
        Properties given = new Properties();
        given.setProperty("socketFactory", "com.example.Mine");
        Database.Builder.loopPolledSockets("jdbc:postgresql://127.0.0.1/test", given);
        assertEquals("com.example.Mine", given.getProperty("socketFactory"));

        Properties inUrl = new Properties();
        Database.Builder.loopPolledSockets("jdbc:postgresql://127.0.0.1/test?socketFactory=com.example.Mine", inUrl);
        assertTrue(inUrl.isEmpty(), "a factory in the URL must win: " + inUrl);
    }

    @Test
    void onlyDriversThatTakeAFactoryByClassNameGetOne() {
        Assumptions.assumeTrue(Reactor.carrierHookAvailable(), "java.lang is not opened in this JVM");
        for (String url : List.of("jdbc:postgresql://127.0.0.1/test", "jdbc:mariadb://127.0.0.1/test",
                "jdbc:h2:mem:x", "jdbc:mysql://127.0.0.1/test")) {
            Properties props = new Properties();
            Database.Builder.loopPolledSockets(url, props);
            boolean expected = url.startsWith("jdbc:postgresql:") || url.startsWith("jdbc:mariadb:");
            assertEquals(expected ? LoopSocketFactory.class.getName() : null, props.getProperty("socketFactory"), url);
        }
    }
}
