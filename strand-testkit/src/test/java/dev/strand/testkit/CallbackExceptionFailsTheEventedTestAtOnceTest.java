package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deferred;
import dev.strand.reactor.EventLoop;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An exception thrown by a timer, a deferred's callback or another fiber on the evented test's loop
 * fails the test as the loop catches it — while the body still waits for an event that will never
 * come — with that exception as the cause; not by the body's wait or the test timing out.
 *
 * <p>Each sample's body waits up to a minute and the test allows five; the outer tests allow far
 * less than the body's wait, so a kit that only noticed the failure when the wait ran out would fail
 * them, on the cause and on the time, however loaded the machine.
 */
class CallbackExceptionFailsTheEventedTestAtOnceTest {

    static final IllegalStateException THROWN = new IllegalStateException("thrown on the loop");
    static final Duration BODY_WAIT = Duration.ofSeconds(60);

    @Sample
    static class TimerThrows {
        @EventedTest(timeoutMillis = 300_000)
        void test(EventLoop loop) {
            loop.addTimer(Duration.ofMillis(1), () -> {
                throw THROWN;
            });
            Deferred.<String>create(loop).await(BODY_WAIT);
        }
    }

    @Sample
    static class CallbackThrows {
        @EventedTest(timeoutMillis = 300_000)
        void test(EventLoop loop) {
            Deferred<String> first = Deferred.create(loop);
            first.callback(value -> {
                throw THROWN;
            });
            loop.addTimer(Duration.ofMillis(1), () -> first.succeed("go"));
            Deferred.<String>create(loop).await(BODY_WAIT);
        }
    }

    @Sample
    static class OtherFiberThrows {
        @EventedTest(timeoutMillis = 300_000)
        void test(EventLoop loop) {
            loop.startFiber(() -> {
                throw THROWN;
            });
            Deferred.<String>create(loop).await(BODY_WAIT);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aTimerThatThrowsFailsTheTestWithItsException() {
        assertFailedAtOnceBy(TimerThrows.class);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aCallbackThatThrowsFailsTheTestWithItsException() {
        assertFailedAtOnceBy(CallbackThrows.class);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anotherFiberThatThrowsFailsTheTestWithItsException() {
        assertFailedAtOnceBy(OtherFiberThrows.class);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void eventedRunFailsTheSameWay() {
        AssertionError failure = assertThrows(AssertionError.class, () -> Evented.run(Duration.ofMinutes(5), loop -> {
            loop.addTimer(Duration.ofMillis(1), () -> {
                throw THROWN;
            });
            Deferred.<String>create(loop).await(BODY_WAIT);
        }));
        assertSame(THROWN, failure.getCause());
    }

    @Test
    void aBodyThatEndsWhileACallbackFailsStillFails() {
        AssertionError failure = assertThrows(AssertionError.class, () -> Evented.run(loop -> {
            Deferred<String> done = Deferred.create(loop);
            loop.execute(() -> {
                done.succeed("x");
                throw THROWN;
            });
            assertEquals("x", done.await(Duration.ofSeconds(10)));
        }));
        assertSame(THROWN, failure.getCause());
    }

    private static void assertFailedAtOnceBy(Class<?> sample) {
        long started = System.nanoTime();
        Throwable failure = Samples.failure(sample);
        long took = System.nanoTime() - started;
        assertInstanceOf(AssertionError.class, failure);
        assertSame(THROWN, failure.getCause(), () -> "failed by something else: " + failure);
        assertTrue(failure.getMessage().contains("work on the evented test's loop failed"), failure.getMessage());
        assertTrue(took < BODY_WAIT.toNanos() / 4, "took " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
    }
}
