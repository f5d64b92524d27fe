package dev.strand.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A reactor's {@link FailureListener} is told of each failure its loops contain, with the loop,
 * the origin and the throwable, by the time the failure is counted; a listener that throws changes
 * nothing for the loop.
 */
class FailureListenerHearsEachFailureAsItIsCountedTest {

    record Heard(EventLoop loop, Failure origin, Throwable failure, long countWhenHeard) {
    }

    @Test
    void aTaskATimerAndACallbackThatThrowAreEachHeardWithTheirOrigin() throws Exception {
        LinkedBlockingQueue<Heard> heard = new LinkedBlockingQueue<>();
        try (Reactor reactor = Reactor.builder().loops(1)
                .failureListener((loop, origin, failure) ->
                        heard.add(new Heard(loop, origin, failure, loop.failures(origin))))
                .build()) {
            EventLoop loop = reactor.loops().getFirst();
            RuntimeException inTask = new IllegalStateException("task");
            loop.execute(() -> {
                throw inTask;
            });
            assertHeard(heard.poll(10, TimeUnit.SECONDS), loop, Failure.TASK, inTask);

            RuntimeException inTimer = new IllegalStateException("timer");
            loop.addTimer(Duration.ofMillis(1), () -> {
                throw inTimer;
            });
            assertHeard(heard.poll(10, TimeUnit.SECONDS), loop, Failure.TIMER, inTimer);

            RuntimeException inCallback = new IllegalStateException("callback");
            Deferred<String> deferred = Deferred.create(loop);
            deferred.callback(value -> {
                throw inCallback;
            });
            deferred.succeed("x");
            assertHeard(heard.poll(10, TimeUnit.SECONDS), loop, Failure.CALLBACK, inCallback);
        }
    }

    @Test
    void aListenerThatThrowsLeavesTheLoopRunning() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1)
                .failureListener((loop, origin, failure) -> {
                    throw new IllegalStateException("listener");
                })
                .build()) {
            EventLoop loop = reactor.loops().getFirst();
            loop.execute(() -> {
                throw new IllegalStateException("task");
            });
            Deferred<String> after = Deferred.create(loop);
            loop.execute(() -> after.succeed("still running"));
            assertEquals("still running", after.await(Duration.ofSeconds(10)));
            assertEquals(1, loop.failures(Failure.TASK));
        }
    }

    private static void assertHeard(Heard heard, EventLoop loop, Failure origin, Throwable failure) {
        assertNotNull(heard, "no failure heard within 10 s");
        assertSame(loop, heard.loop());
        assertEquals(origin, heard.origin());
        assertSame(failure, heard.failure());
        assertEquals(1, heard.countWhenHeard(), "the failure is counted before the listener hears of it");
    }
}
