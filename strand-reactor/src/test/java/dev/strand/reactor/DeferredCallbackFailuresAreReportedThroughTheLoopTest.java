package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a callback or errback throws is never lost: it is counted under {@link Failure#CALLBACK} on
 * the deferred's loop and logged, and the next callbacks still run. So are callbacks that a stopped
 * loop can no longer run.
 */
class DeferredCallbackFailuresAreReportedThroughTheLoopTest {

    private static final Logger LOOP_LOG = Logger.getLogger(EventLoop.class.getName());

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Reactor reactor;
    private EventLoop loop;

    @BeforeEach
    void start() {
        LOOP_LOG.addHandler(recorder);
        LOOP_LOG.setUseParentHandlers(false); // expected failures: keep them out of the test output
        reactor = Reactor.builder().loops(1).name("reported").build();
        loop = reactor.loops().getFirst();
    }

    @AfterEach
    void stop() {
        reactor.close();
        LOOP_LOG.removeHandler(recorder);
        LOOP_LOG.setUseParentHandlers(true);
    }

    @Test
    void aCallbackThatThrowsIsCountedAndLoggedAndTheNextCallbacksStillRun() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        IllegalStateException boom = new IllegalStateException("expected by the test");
        CountDownLatch next = new CountDownLatch(1);
        deferred.callback(v -> {
            throw boom;
        }).callback(v -> next.countDown());

        deferred.succeed("x");

        assertTrue(next.await(5, SECONDS), "the callback after a failed one did not run");
        assertEquals(1, loop.failures(Failure.CALLBACK));
        assertEquals(1, reactor.failures(Failure.CALLBACK));
        assertEquals(0, loop.failures(Failure.TASK), "counted as the callback's, not as a loop task's");
        assertEquals(1, records.size(), "one report: " + records);
        assertSame(boom, records.getFirst().getThrown());
        assertTrue(records.getFirst().getMessage().contains("a deferred's callback failed"), records.getFirst().getMessage());
    }

    @Test
    void anErrbackThatThrowsAnErrorIsCountedAndTheDeferredKeepsItsFailure() throws Exception {
        Deferred<String> deferred = Deferred.create(loop);
        RuntimeException failure = new RuntimeException("the deferred's failure (expected by the test)");
        AssertionError inErrback = new AssertionError("thrown by the errback (expected by the test)");
        CountDownLatch next = new CountDownLatch(1);
        deferred.fail(failure);
        deferred.errback(f -> {
            throw inErrback;
        }).errback(f -> next.countDown());

        assertTrue(next.await(5, SECONDS));
        assertEquals(1, loop.failures(Failure.CALLBACK));
        assertSame(inErrback, records.getFirst().getThrown());
        assertSame(failure, deferred.toCompletableFuture().exceptionNow());
    }

    @Test
    void callbacksThatAStoppedLoopCannotRunAreReportedNotRunElsewhere() {
        Deferred<String> deferred = Deferred.create(loop);
        AtomicInteger ran = new AtomicInteger();
        deferred.callback(v -> ran.incrementAndGet()).callback(v -> ran.incrementAndGet());
        assertTrue(reactor.stop(Duration.ofSeconds(5)));

        deferred.succeed("too late for the loop");

        assertEquals(0, ran.get());
        assertEquals(1, loop.failures(Failure.CALLBACK), "one report for the callbacks dropped together");
        RejectedExecutionException reported = assertInstanceOf(RejectedExecutionException.class,
                records.getFirst().getThrown());
        assertTrue(reported.getMessage().contains("2 callbacks"), reported.getMessage());

        deferred.callback(v -> ran.incrementAndGet()); // added after: reported the same way
        assertEquals(2, loop.failures(Failure.CALLBACK));
        assertEquals(0, ran.get());
    }
}
