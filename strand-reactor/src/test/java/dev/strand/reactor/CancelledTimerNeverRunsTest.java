package dev.strand.reactor;

import static dev.strand.reactor.Loops.ms;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class CancelledTimerNeverRunsTest {

    @RepeatedTest(3)
    void timerCancelledFromAnotherThreadBeforeItsDeadlineNeverRuns() throws InterruptedException {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            AtomicBoolean ran = new AtomicBoolean();
            Timer timer = loop.addTimer(ms(20), () -> ran.set(true));
            timer.cancel();
            assertTrue(timer.isDone(), "isDone right after cancel");

            CountDownLatch later = new CountDownLatch(1);
            loop.addTimer(ms(60), later::countDown);
            assertTrue(later.await(5, SECONDS));
            assertFalse(ran.get(), "a cancelled timer ran");
        }
    }

    @Test
    void timerCancelledOnTheLoopNeverRuns() throws InterruptedException {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            AtomicBoolean ran = new AtomicBoolean();
            CountDownLatch later = new CountDownLatch(1);
            Loops.run(loop, () -> {
                // Due first, but cancelled by an earlier-due timer in the same timer phase.
                Timer victim = loop.addTimer(ms(20), () -> ran.set(true));
                loop.addTimer(ms(10), victim::cancel);
                loop.addTimer(ms(40), later::countDown);
                Loops.spin(ms(50)); // all three are due in one turn
            });

            assertTrue(later.await(5, SECONDS));
            assertFalse(ran.get(), "a timer cancelled on its loop ran");
        }
    }

    @Test
    void periodicTimerRunsRepeatedlyAndStopsAfterCancelFromItsOwnTask() throws InterruptedException {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            AtomicInteger runs = new AtomicInteger();
            AtomicBoolean doneWhileRunning = new AtomicBoolean();
            AtomicReference<Timer> periodic = new AtomicReference<>();
            CountDownLatch third = new CountDownLatch(1);
            // Added on the loop, so the reference is set before the first run can happen.
            Loops.run(loop, () -> periodic.set(loop.addPeriodicTimer(ms(10), () -> {
                int n = runs.incrementAndGet();
                if (n < 3) {
                    doneWhileRunning.compareAndSet(false, periodic.get().isDone());
                } else if (n == 3) {
                    periodic.get().cancel();
                    third.countDown();
                }
            })));

            assertTrue(third.await(5, SECONDS));
            CountDownLatch later = new CountDownLatch(1);
            loop.addTimer(ms(60), later::countDown); // six more periods
            assertTrue(later.await(5, SECONDS));
            assertEquals(3, runs.get(), "runs of a periodic timer cancelled in its 3rd run");
            assertFalse(doneWhileRunning.get(), "a live periodic timer reported isDone()");
            assertTrue(periodic.get().isDone());
        }
    }

    @Test
    void periodicTimerCancelledFromAnotherThreadStops() throws InterruptedException {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch twice = new CountDownLatch(2);
            Timer periodic = loop.addPeriodicTimer(ms(5), () -> {
                runs.incrementAndGet();
                twice.countDown();
            });
            assertTrue(twice.await(5, SECONDS));
            periodic.cancel();
            // Cancelled off the loop it may run at most once more (documented), then never.
            int atCancel = runs.get();
            CountDownLatch later = new CountDownLatch(1);
            loop.addTimer(ms(50), later::countDown);
            assertTrue(later.await(5, SECONDS));
            int settled = runs.get();
            assertTrue(settled <= atCancel + 1, "ran " + (settled - atCancel) + " times after cancel");

            CountDownLatch evenLater = new CountDownLatch(1);
            loop.addTimer(ms(30), evenLater::countDown);
            assertTrue(evenLater.await(5, SECONDS));
            assertEquals(settled, runs.get(), "kept running after cancel");
        }
    }

    @Test
    void isDoneIsFalseUntilAOneShotTimerRunsOrIsCancelled() throws InterruptedException {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            CountDownLatch ran = new CountDownLatch(1);
            Timer oneShot = loop.addTimer(ms(20), ran::countDown);
            Timer far = loop.addTimer(Duration.ofMinutes(10), () -> { });
            assertFalse(oneShot.isDone());
            assertFalse(far.isDone());

            assertTrue(ran.await(5, SECONDS));
            // The timer marks itself done before running its task, so this holds once it has run.
            assertTrue(oneShot.isDone(), "a one-shot timer that ran");
            assertFalse(far.isDone(), "a pending timer");

            far.cancel();
            far.cancel(); // idempotent, never throws
            oneShot.cancel();
            assertTrue(far.isDone());
            assertTrue(oneShot.isDone());
        }
    }

    @Test
    void periodicTimerRejectsAPeriodThatIsNotPositive() {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            assertThrows(IllegalArgumentException.class, () -> loop.addPeriodicTimer(Duration.ZERO, () -> { }));
            assertThrows(IllegalArgumentException.class, () -> loop.addPeriodicTimer(ms(-1), () -> { }));
            assertThrows(NullPointerException.class, () -> loop.addTimer(ms(1), null));
        }
    }

    @Test
    void timersBeyondMaxPendingAreRejectedAndNeverRun() throws InterruptedException {
        try (Reactor reactor = Reactor.builder().loops(1).maxPendingTimers(2).build()) {
            EventLoop loop = reactor.loops().getFirst();
            AtomicBoolean rejectedRan = new AtomicBoolean();
            CountDownLatch accepted = new CountDownLatch(2);
            Timer[] timers = new Timer[3];
            Loops.run(loop, () -> {
                timers[0] = loop.addTimer(ms(500), accepted::countDown); // long enough to be pending when checked, even on a loaded machine
                timers[1] = loop.addTimer(ms(600), accepted::countDown);
                timers[2] = loop.addTimer(ms(10), () -> rejectedRan.set(true)); // the third: over the bound
            });
            // Rejection does not throw (the builder documents "rejected and logged"): the timer is
            // returned already done.
            assertTrue(timers[2].isDone(), "the timer over the bound is done at once");
            assertFalse(timers[0].isDone());
            assertFalse(timers[1].isDone());

            assertTrue(accepted.await(5, SECONDS));
            assertFalse(rejectedRan.get(), "a rejected timer ran");

            // The two fired, so there is room again.
            CountDownLatch again = new CountDownLatch(1);
            loop.addTimer(ms(5), again::countDown);
            assertTrue(again.await(5, SECONDS), "a timer added once the queue had drained");
        }
    }

    @Test
    void timersAddedFromAnotherThreadBeyondMaxPendingAreRejected() throws InterruptedException {
        try (Reactor reactor = Reactor.builder().loops(1).maxPendingTimers(2).build()) {
            EventLoop loop = reactor.loops().getFirst();
            AtomicBoolean rejectedRan = new AtomicBoolean();
            CountDownLatch accepted = new CountDownLatch(2);
            Timer first = loop.addTimer(ms(30), accepted::countDown);
            Timer second = loop.addTimer(ms(40), accepted::countDown);
            Timer third = loop.addTimer(ms(10), () -> rejectedRan.set(true));
            Loops.run(loop, () -> { }); // hand-ins run in order: the three adds have been handled

            assertTrue(third.isDone(), "the timer over the bound");
            assertFalse(first.isDone());
            assertFalse(second.isDone());
            assertTrue(accepted.await(5, SECONDS));
            assertFalse(rejectedRan.get(), "a rejected timer ran");
        }
    }

    @Test
    void cancelledTimersDoNotCountAgainstMaxPending() throws InterruptedException {
        try (Reactor reactor = Reactor.builder().loops(1).maxPendingTimers(2).build()) {
            EventLoop loop = reactor.loops().getFirst();
            CountDownLatch ran = new CountDownLatch(1);
            Timer[] added = new Timer[1];
            Loops.run(loop, () -> loop.addTimer(Duration.ofMinutes(10), () -> { }));
            Loops.run(loop, () -> loop.addTimer(Duration.ofHours(1), () -> { }).cancel());
            // One timer is pending; the cancelled one sits behind it in the queue.
            Loops.run(loop, () -> added[0] = loop.addTimer(ms(10), ran::countDown));

            assertFalse(added[0].isDone(), "rejected although only one timer is pending");
            assertTrue(ran.await(5, SECONDS));
        }
    }
}
