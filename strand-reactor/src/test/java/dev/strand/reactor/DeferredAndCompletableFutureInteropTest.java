package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Deferred#toCompletableFuture} and {@link Deferred#of} carry values and failures as they are. */
class DeferredAndCompletableFutureInteropTest {

    private Reactor reactor;
    private EventLoop loop;
    private Thread loopThread;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(1).name("interop").build();
        loop = reactor.loops().getFirst();
        loopThread = Loops.thread(loop);
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    @Test
    void aFutureTakenBeforeOrAfterSuccessCompletesWithTheValue() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        CompletableFuture<String> before = deferred.toCompletableFuture();
        assertFalse(before.isDone());

        deferred.succeed("v");

        assertEquals("v", before.get(5, SECONDS));
        assertEquals("v", deferred.toCompletableFuture().get(5, SECONDS));
    }

    @Test
    void aFutureFailsWithTheFailureItselfNotWrapped() {
        Deferred<String> deferred = Deferred.create(loop);
        CompletableFuture<String> before = deferred.toCompletableFuture();
        IllegalArgumentException failure = new IllegalArgumentException("expected by the test");

        deferred.fail(failure);

        ExecutionException thrown = assertThrows(ExecutionException.class, () -> before.get(5, SECONDS));
        assertSame(failure, thrown.getCause());
        assertSame(failure, deferred.toCompletableFuture().exceptionNow());
    }

    @Test
    void cancellingTheFutureLeavesTheDeferredPending() {
        Deferred<String> deferred = Deferred.create(loop);
        deferred.toCompletableFuture().cancel(true);
        assertFalse(deferred.isDone());
        deferred.succeed("still completable");
        assertEquals("still completable", deferred.toCompletableFuture().join());
    }

    @Test
    void aDeferredOfAStageSucceedsWithItsValueAndCallsBackOnTheLoop() throws Exception {
        CompletableFuture<Integer> stage = new CompletableFuture<>();
        Deferred<Integer> deferred = Deferred.of(stage, loop);
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        CompletableFuture<Integer> value = new CompletableFuture<>();
        deferred.callback(v -> {
            ranOn.complete(Thread.currentThread());
            value.complete(v);
        });

        stage.complete(3);

        assertEquals(3, value.get(5, SECONDS));
        assertSame(loopThread, ranOn.get(5, SECONDS));
        assertSame(loop, deferred.loop());
    }

    @Test
    void aDeferredOfAFailedStageFailsWithTheOriginalExceptionUnwrapped() throws Exception {
        IllegalStateException failure = new IllegalStateException("expected by the test");
        CompletableFuture<Integer> stage = CompletableFuture.supplyAsync(() -> {
            throw failure; // the stage holds it wrapped in a CompletionException
        });
        Deferred<Integer> deferred = Deferred.of(stage.thenApply(v -> v + 1), loop);
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        deferred.errback(seen::complete);

        assertSame(failure, seen.get(5, SECONDS));
    }

    @Test
    void aDeferredOfAStageTimesOutWithoutTouchingTheStage() throws Exception {
        CompletableFuture<Integer> stage = new CompletableFuture<>();
        Deferred<Integer> deferred = Deferred.of(stage, loop).timeout(Loops.ms(10));
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        deferred.errback(seen::complete);

        assertTrue(seen.get(5, SECONDS) instanceof TimedOut);
        assertFalse(stage.isDone());
        stage.complete(1); // late: the deferred keeps its timeout
        assertTrue(deferred.toCompletableFuture().isCompletedExceptionally());
    }
}
