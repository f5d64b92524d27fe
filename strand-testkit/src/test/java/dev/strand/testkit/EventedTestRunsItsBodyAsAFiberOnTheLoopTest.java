package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deferred;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.FiberMode;
import dev.strand.reactor.Reactor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * An evented test's body runs as a fiber carried by the loop it is given, waits for events by
 * parking, and fails with its own assertion when that fails; a body that outlives its timeout fails
 * with its fiber's stack; the reactor is closed after the test.
 */
class EventedTestRunsItsBodyAsAFiberOnTheLoopTest {

    static final List<Reactor> REACTORS = new CopyOnWriteArrayList<>();

    @EventedTest
    void theBodyIsAFiberOnTheInjectedLoopAndAwaitsATimer(EventLoop loop, Reactor reactor) {
        assertTrue(Thread.currentThread().isVirtual());
        assertSame(reactor, loop.reactor());
        assertEquals(1, reactor.loops().size());
        if (reactor.fiberMode() == FiberMode.LOOP_CARRIER) {
            assertTrue(loop.inLoop(), "the body is carried by its loop");
        }
        Deferred<String> tick = Deferred.create(loop);
        loop.addTimer(Duration.ofMillis(5), () -> tick.succeed("tick"));
        assertEquals("tick", tick.await(Duration.ofSeconds(10)));
    }

    @Sample
    static class FailsItsOwnAssertion {
        @EventedTest
        void test(Reactor reactor) {
            REACTORS.add(reactor);
            assertEquals(1, 2, "the body's own assertion");
        }
    }

    @Sample
    static class NeverEnds {
        @EventedTest(timeoutMillis = 200)
        void test(EventLoop loop) {
            Deferred.<String>create(loop).await(Duration.ofMinutes(10));
        }
    }

    @Test
    void theBodysOwnFailureFailsTheTestAsItIsAndTheReactorIsClosed() {
        REACTORS.clear();
        Throwable failure = Samples.failure(FailsItsOwnAssertion.class);
        assertInstanceOf(AssertionFailedError.class, failure);
        assertTrue(failure.getMessage().startsWith("the body's own assertion"), failure.getMessage());
        assertEquals(1, REACTORS.size());
        assertTrue(REACTORS.getFirst().loops().getFirst().isStopping(), "the test's reactor was stopped");
    }

    @Test
    void aBodyThatOutlivesItsTimeoutFailsWithItsFibersStack() {
        Throwable failure = Samples.failure(NeverEnds.class);
        assertInstanceOf(AssertionError.class, failure);
        assertTrue(failure.getMessage().contains("did not end within 200 ms"), failure.getMessage());
        assertTrue(java.util.Arrays.stream(failure.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(NeverEnds.class.getName())), "the fiber's stack");
    }

    @Test
    void eventedRunRethrowsWhatTheBodyThrows() {
        IllegalArgumentException thrown = new IllegalArgumentException("body");
        assertSame(thrown, assertThrows(IllegalArgumentException.class, () -> Evented.run(loop -> {
            throw thrown;
        })));
    }
}
