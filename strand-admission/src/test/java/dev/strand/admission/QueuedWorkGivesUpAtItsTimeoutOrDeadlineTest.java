package dev.strand.admission;

import static dev.strand.admission.Admission.NEVER;
import static dev.strand.admission.Admission.PATIENCE;
import static dev.strand.admission.Admission.cancelAll;
import static dev.strand.admission.Admission.closeAll;
import static dev.strand.admission.Admission.rejectionOf;
import static dev.strand.admission.Admission.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Queue timeouts and deadlines: timing bounds are one-sided or generous, so a loaded machine cannot fail them. */
class QueuedWorkGivesUpAtItsTimeoutOrDeadlineTest {

    private static final Duration TIMEOUT = Duration.ofMillis(100);

    @Test
    void aWaiterGivesUpAfterTheQueueTimeout() {
        FixedLimit limit = FixedLimit.builder().name("slow").permits(1).queueTimeout(TIMEOUT)
                .retryAfter(Duration.ofSeconds(3)).build();
        List<Permit> held = take(limit, 1);
        try {
            long start = System.nanoTime();
            AdmissionException e = assertThrows(AdmissionException.class, limit::acquire);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(AdmissionException.Reason.QUEUE_TIMEOUT, e.reason());
            assertEquals("slow", e.limit());
            assertEquals(Duration.ofSeconds(3), e.retryAfter());
            assertTrue(e.waited().compareTo(TIMEOUT) >= 0, "waited " + e.waited());
            assertTrue(e.waited().compareTo(TIMEOUT.plus(PATIENCE)) < 0, "waited " + e.waited());
            assertTrue(e.waited().compareTo(took) <= 0, "waited " + e.waited() + " but acquire took " + took);

            LimitStats stats = limit.stats();
            assertEquals(1, stats.timedOut());
            assertEquals(0, stats.queued());
            assertEquals(0, stats.rejected(), "timed out is not turned away at once");
            assertEquals(0, stats.expired());
        } finally {
            closeAll(held);
        }
    }

    @Test
    void anAsyncWaiterGivesUpAfterTheQueueTimeoutToo() {
        FixedLimit limit = FixedLimit.builder().permits(1).queueTimeout(TIMEOUT).build();
        List<Permit> held = take(limit, 1);
        try {
            AdmissionException e = rejectionOf(limit.acquireAsync(QosClass.CRITICAL));
            assertEquals(AdmissionException.Reason.QUEUE_TIMEOUT, e.reason());
            assertTrue(e.waited().compareTo(TIMEOUT) >= 0, "waited " + e.waited());
            assertEquals(0, limit.stats().queued());
        } finally {
            closeAll(held);
        }
        assertEquals(0, limit.stats().inFlight(), "the timed-out waiter got no permit later");
    }

    @Test
    void anEarlierDeadlineEndsTheWaitWithDeadline() {
        FixedLimit limit = FixedLimit.builder().permits(1).queueTimeout(NEVER).build();
        List<Permit> held = take(limit, 1);
        try {
            long start = System.nanoTime();
            AdmissionException e = assertThrows(AdmissionException.class,
                    () -> Deadline.after(TIMEOUT).call(() -> limit.acquire()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(AdmissionException.Reason.DEADLINE, e.reason());
            assertTrue(took.compareTo(PATIENCE) < 0, "the deadline, not the queue timeout, ended the wait: " + took);
            assertTrue(e.waited().compareTo(took) <= 0, "waited " + e.waited());
            assertTrue(e.waited().compareTo(TIMEOUT.dividedBy(2)) > 0, "it did wait for the deadline: " + e.waited());
            LimitStats stats = limit.stats();
            assertEquals(1, stats.expired());
            assertEquals(0, stats.timedOut());
            assertEquals(0, stats.queued());
        } finally {
            closeAll(held);
        }
    }

    @Test
    void aLaterDeadlineLeavesTheQueueTimeoutInForce() {
        FixedLimit limit = FixedLimit.builder().permits(1).queueTimeout(TIMEOUT).build();
        List<Permit> held = take(limit, 1);
        try {
            AdmissionException e = assertThrows(AdmissionException.class,
                    () -> Deadline.after(Duration.ofMinutes(5)).call(() -> limit.acquire()));
            assertEquals(AdmissionException.Reason.QUEUE_TIMEOUT, e.reason());
            assertEquals(1, limit.stats().timedOut());
            assertEquals(0, limit.stats().expired());
        } finally {
            closeAll(held);
        }
    }

    @Test
    void aDeadlineAlreadyPassedIsRejectedAtOnceWhenItWouldHaveToWait() {
        FixedLimit limit = FixedLimit.builder().permits(1).queueTimeout(NEVER).build();
        List<Permit> held = take(limit, 1);
        try {
            for (Duration passed : List.of(Duration.ZERO, Duration.ofMillis(-50))) {
                long start = System.nanoTime();
                AdmissionException e = assertThrows(AdmissionException.class,
                        () -> Deadline.after(passed).call(() -> limit.acquire()));
                long took = System.nanoTime() - start;
                assertEquals(AdmissionException.Reason.DEADLINE, e.reason());
                assertEquals(Duration.ZERO, e.waited());
                assertTrue(took < Duration.ofSeconds(2).toNanos(), "at once, not after a wait: " + took + " ns");

                CompletableFuture<Permit> async = Deadline.after(passed).call(() -> limit.acquireAsync(QosClass.CRITICAL));
                assertTrue(async.isCompletedExceptionally(), "acquireAsync is turned away before it returns");
                assertEquals(AdmissionException.Reason.DEADLINE, rejectionOf(async).reason());
            }
            LimitStats stats = limit.stats();
            assertEquals(4, stats.expired());
            assertEquals(0, stats.queued());
        } finally {
            closeAll(held);
        }
    }

    /**
     * A waiter whose deadline passes while it waits must not be granted a permit that frees later,
     * even when its own timer has not fired yet. The test holds the limits' timeout thread in a
     * callback (callbacks run on the thread that ends a wait), so only the permit given back can
     * end the second waiter's wait.
     */
    @Test
    void aWaiterWhoseDeadlinePassedIsNeverGrantedAPermitThatFreesLater() throws Exception {
        FixedLimit blocker = FixedLimit.builder().name("blocker").permits(1).queueTimeout(Duration.ofMillis(50)).build();
        FixedLimit limit = FixedLimit.builder().permits(1).queueTimeout(NEVER).build();
        List<Permit> heldBlocker = take(blocker, 1);
        List<Permit> held = take(limit, 1);
        CountDownLatch timerThreadHeld = new CountDownLatch(1);
        CountDownLatch letTimerThreadGo = new CountDownLatch(1);
        CompletableFuture<Permit> late = null;
        try {
            CompletableFuture<Permit> holdsTheTimerThread = blocker.acquireAsync(QosClass.STANDARD);
            Thread testThread = Thread.currentThread();
            holdsTheTimerThread.whenComplete((p, e) -> {
                if (Thread.currentThread() == testThread) {
                    return; // timed out before the callback was chained: the timer thread is not held
                }
                timerThreadHeld.countDown();
                try {
                    letTimerThreadGo.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(timerThreadHeld.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS), "the timer thread is held");

            Deadline deadline = Deadline.after(Duration.ofMillis(20));
            late = deadline.call(() -> limit.acquireAsync(QosClass.STANDARD));
            // The wait began inside that call: at least what was left of the deadline after it
            // (a loaded machine may pause this thread between making the deadline and the call).
            Duration leftAfterQueueing = deadline.remaining();
            assertFalse(late.isDone());
            Admission.await(deadline::isExpired, () -> "the deadline to pass");
            assertFalse(late.isDone(), "its timer cannot have fired: the timer thread is held");

            held.removeFirst().close(); // a permit frees after the deadline passed

            assertTrue(late.isDone(), "the permit given back ends the expired wait");
            AdmissionException e = rejectionOf(late);
            assertEquals(AdmissionException.Reason.DEADLINE, e.reason());
            assertTrue(e.waited().compareTo(leftAfterQueueing) >= 0, "waited " + e.waited() + ", less than the "
                    + leftAfterQueueing + " left of the deadline once it was queued");
            LimitStats stats = limit.stats();
            assertEquals(0, stats.inFlight(), "the expired waiter was not started");
            assertEquals(1, stats.admitted());
            assertEquals(1, stats.expired());
            assertEquals(0, stats.queued());
            assertTrue(limit.tryAcquire().isPresent(), "the permit is free");
        } finally {
            letTimerThreadGo.countDown();
            if (late != null) {
                cancelAll(List.of(late));
            }
            closeAll(heldBlocker);
            closeAll(held);
        }
    }
}
