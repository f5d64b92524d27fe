package dev.strand.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The clock seam: a reactor's loops time their timers and deadlines by its clock, not the system's. */
class TimersAndDeadlinesFollowTheReactorsClockTest {

    @Test
    void aTimerWaitsWhileTheClockStandsStillAndFiresWhenItMoves() throws Exception {
        FreezableClock clock = new FreezableClock();
        try (Reactor reactor = Reactor.builder().loops(1).clock(clock).build()) {
            EventLoop loop = reactor.loops().getFirst();
            assertSame(clock, reactor.clock());
            assertSame(clock, loop.clock());
            CountDownLatch fired = new CountDownLatch(1);
            Loops.run(loop, () -> {
                clock.freeze();
                loop.addTimer(Duration.ofMillis(10), fired::countDown);
            });
            // Fifteen times the timer's delay in real time: the reactor's time has not moved.
            assertFalse(fired.await(150, TimeUnit.MILLISECONDS), "a timer fired while its clock stood still");
            clock.thaw();
            assertTrue(fired.await(5, TimeUnit.SECONDS), "the timer never fired once the clock moved");
        }
    }

    @Test
    void aDeadlineMadeOnALoopIsInItsClocksTerms() {
        FreezableClock clock = new FreezableClock();
        try (Reactor reactor = Reactor.builder().loops(1).clock(clock).build()) {
            EventLoop loop = reactor.loops().getFirst();
            clock.freeze();
            try {
                boolean[] expired = Loops.call(loop, () -> {
                    assertSame(clock, Clock.current());
                    Deadline deadline = Deadline.after(Duration.ofMillis(5));
                    Loops.spin(Duration.ofMillis(30)); // real time passes; the reactor's does not
                    return new boolean[] {deadline.isExpired(), deadline.remaining().equals(Duration.ofMillis(5))};
                });
                assertFalse(expired[0], "the deadline expired by the system clock");
                assertTrue(expired[1], "time left changed while the clock stood still");
            } finally {
                clock.thaw();
            }
        }
    }

    @Test
    void offEveryLoopTheClockIsTheSystems() {
        assertSame(Clock.system(), Clock.current());
        Deadline deadline = Deadline.after(Duration.ofMillis(-1));
        assertTrue(deadline.isExpired());
        assertEquals(Duration.ZERO, deadline.remaining());
    }
}
