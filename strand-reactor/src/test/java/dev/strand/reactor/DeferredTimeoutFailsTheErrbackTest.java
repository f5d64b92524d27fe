package dev.strand.reactor;

import static dev.strand.reactor.Loops.ms;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A deferred's timeout fails it with a {@link TimedOut} exception, on the loop's timer, unless it
 * completes, is cancelled or is replaced first. "Not fired" is checked with a later timer on the same
 * loop: timers run in deadline order, so once it has run, the timeout's would have too.
 */
class DeferredTimeoutFailsTheErrbackTest {

    private Reactor reactor;
    private EventLoop loop;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(1).name("timeouts").build();
        loop = reactor.loops().getFirst();
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    /** Waits until a timer added now with {@code delay} has run on the loop. */
    private void passTimer(Duration delay) throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        loop.addTimer(delay, ran::countDown);
        assertTrue(ran.await(5, SECONDS), "the marker timer did not run");
    }

    @Test
    void aDeferredNotCompletedInTimeFailsItsErrbackWithATimedOutNotBeforeTheTimeout() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        CompletableFuture<Long> after = new CompletableFuture<>();
        long start = System.nanoTime();

        deferred.timeout(ms(50)).errback(f -> {
            after.complete(System.nanoTime() - start);
            failure.complete(f);
        });

        Throwable timedOut = failure.get(5, SECONDS);
        assertInstanceOf(TimedOut.class, timedOut);
        assertInstanceOf(DeferredTimeoutException.class, timedOut);
        assertTrue(after.get() >= TimeUnit.MILLISECONDS.toNanos(50), "timed out after " + after.get() + " ns");
        assertTrue(deferred.isDone());
    }

    @Test
    void aDeferredCompletedInTimeNeverTimesOut() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        AtomicInteger errbacks = new AtomicInteger();
        deferred.timeout(ms(30)).errback(f -> errbacks.incrementAndGet());

        deferred.succeed("in time");
        passTimer(ms(100));

        assertEquals("in time", deferred.await(Duration.ofSeconds(5)));
        assertEquals(0, errbacks.get());
    }

    @Test
    void aCancelledTimeoutLeavesItPending() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        deferred.timeout(ms(30));

        deferred.cancelTimeout();
        passTimer(ms(100));

        assertFalse(deferred.isDone());
        deferred.cancelTimeout(); // nothing to cancel: no effect, no exception
    }

    @Test
    void aLaterTimeoutReplacesTheEarlierOne() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        deferred.timeout(ms(30)).timeout(Duration.ofMinutes(5));

        passTimer(ms(100));

        assertFalse(deferred.isDone(), "the replaced timeout still fired");
    }

    @Test
    void aTimeoutSetOnTheLoopFiresToo() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Loops.run(loop, () -> deferred.timeout(ms(10)).errback(failure::complete));
        assertInstanceOf(TimedOut.class, failure.get(5, SECONDS));
    }

    @Test
    void aTimeoutAfterCompletionDoesNothing() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        deferred.succeed("done");

        deferred.timeout(ms(1));
        passTimer(ms(50));

        assertEquals("done", deferred.await(Duration.ofSeconds(5)));
    }

    @Test
    void aResultThatLosesTheRaceToTheTimeoutIsRefused() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        CountDownLatch failed = new CountDownLatch(1);
        deferred.timeout(ms(5)).errback(f -> failed.countDown());
        assertTrue(failed.await(5, SECONDS));

        assertFalse(deferred.trySucceed("too late"));
        assertThrows(IllegalStateException.class, () -> deferred.succeed("too late"));
    }

    @RepeatedTest(20)
    void aSucceedRacingTheTimeoutEndsInExactlyOneOutcomeSeenOnce() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        AtomicInteger callbacks = new AtomicInteger();
        AtomicInteger errbacks = new AtomicInteger();
        deferred.callback(v -> callbacks.incrementAndGet()).errback(f -> errbacks.incrementAndGet());
        deferred.timeout(ms(1));
        Loops.spin(ms(1));
        boolean won = deferred.trySucceed("racing");
        CountDownLatch last = new CountDownLatch(1);
        deferred.callback(v -> last.countDown()).errback(f -> last.countDown());

        assertTrue(last.await(5, SECONDS));
        assertEquals(won ? 1 : 0, callbacks.get());
        assertEquals(won ? 0 : 1, errbacks.get());
    }

    @Test
    void aTimeoutOnAStoppedLoopIsRejected() {
        Deferred<String> deferred = Deferred.create(loop);
        assertTrue(reactor.stop(Duration.ofSeconds(5)));

        assertThrows(RejectedExecutionException.class, () -> deferred.timeout(ms(10)));
        assertFalse(deferred.isDone());
    }
}
