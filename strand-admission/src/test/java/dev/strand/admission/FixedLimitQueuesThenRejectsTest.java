package dev.strand.admission;

import static dev.strand.admission.Admission.NEVER;
import static dev.strand.admission.Admission.cancelAll;
import static dev.strand.admission.Admission.closeAll;
import static dev.strand.admission.Admission.permitOf;
import static dev.strand.admission.Admission.rejectionOf;
import static dev.strand.admission.Admission.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FixedLimitQueuesThenRejectsTest {

    @Test
    void grantsItsPermitsThenQueuesThenRejectsWhenTheQueueIsFull() {
        FixedLimit limit = FixedLimit.builder().name("reports").permits(3).queueLength(2)
                .queueTimeout(NEVER).retryAfter(Duration.ofSeconds(7)).build();
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(limit.acquire());
        }
        assertEquals(new LimitStats("reports", QosLevel.NORMAL, 3, 3, 0, 3, 0, 0, 0, 0), limit.stats());

        CompletableFuture<Permit> fourth = limit.acquireAsync(QosClass.STANDARD);
        CompletableFuture<Permit> fifth = limit.acquireAsync(QosClass.STANDARD);
        try {
            assertFalse(fourth.isDone(), "the 4th waits");
            assertFalse(fifth.isDone(), "the 5th waits");
            assertEquals(2, limit.stats().queued());

            AdmissionException full = assertThrows(AdmissionException.class, limit::acquire);
            assertEquals(AdmissionException.Reason.QUEUE_FULL, full.reason());
            assertEquals("reports", full.limit());
            assertEquals(Duration.ofSeconds(7), full.retryAfter());
            assertEquals(Duration.ZERO, full.waited());
            assertTrue(full.getMessage().contains("reports"), full.getMessage());
            assertEquals(AdmissionException.Reason.QUEUE_FULL,
                    rejectionOf(limit.acquireAsync(QosClass.STANDARD)).reason(), "acquireAsync too");
            assertEquals(AdmissionException.Reason.QUEUE_FULL,
                    rejectionOf(limit.acquireAsync(QosClass.CRITICAL)).reason(), "critical work too: the bound is one");
            LimitStats stats = limit.stats();
            assertEquals(3, stats.rejected());
            assertEquals(3, stats.inFlight());
            assertEquals(2, stats.queued());

            held.removeFirst().close();
            assertTrue(fourth.isDone(), "a permit given back goes to the waiter at once");
            held.add(permitOf(fourth));
            assertEquals(3, limit.stats().inFlight());
            assertEquals(1, limit.stats().queued());
        } finally {
            cancelAll(List.of(fourth, fifth));
            closeAll(held);
        }
        assertEquals(0, limit.stats().inFlight());
        assertEquals(0, limit.stats().queued());
    }

    @Test
    void rejectingWhenTheQueueIsFullTakesWellUnderAMillisecond() {
        FixedLimit limit = FixedLimit.builder().permits(1).queueLength(2).queueTimeout(NEVER).build();
        List<Permit> held = take(limit, 1);
        List<CompletableFuture<Permit>> waiting = List.of(limit.acquireAsync(QosClass.STANDARD),
                limit.acquireAsync(QosClass.STANDARD));
        try {
            int n = 2_000;
            long[] nanos = new long[n];
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                AdmissionException e = assertThrows(AdmissionException.class, limit::acquire);
                nanos[i] = System.nanoTime() - start;
                assertEquals(AdmissionException.Reason.QUEUE_FULL, e.reason());
            }
            Arrays.sort(nanos);
            long median = nanos[n / 2];
            long worst = nanos[n - 1];
            // The median is what "at once" means; the worst only has to be nowhere near a wait
            // (a loaded machine may pause any one call for a GC or a descheduling).
            assertTrue(median < 250_000, "median rejection took " + median + " ns");
            assertTrue(worst < Duration.ofSeconds(2).toNanos(), "worst rejection took " + worst + " ns");
            assertEquals(n, limit.stats().rejected());
        } finally {
            cancelAll(waiting);
            closeAll(held);
        }
    }

    @Test
    void aQueueLengthOfZeroRejectsAtOnceWhenThePermitsAreTaken() {
        FixedLimit limit = FixedLimit.builder().name("noqueue").permits(2).queueLength(0).queueTimeout(NEVER).build();
        List<Permit> held = take(limit, 2);

        long start = System.nanoTime();
        AdmissionException e = assertThrows(AdmissionException.class, limit::acquire);
        long took = System.nanoTime() - start;
        assertEquals(AdmissionException.Reason.QUEUE_FULL, e.reason());
        assertEquals(Duration.ZERO, e.waited());
        assertTrue(took < Duration.ofSeconds(2).toNanos(), "no wait: " + took + " ns");

        CompletableFuture<Permit> async = limit.acquireAsync(QosClass.STANDARD);
        assertTrue(async.isCompletedExceptionally(), "acquireAsync is turned away before it returns");
        assertEquals(AdmissionException.Reason.QUEUE_FULL, rejectionOf(async).reason());
        assertEquals(AdmissionException.Reason.QUEUE_FULL,
                rejectionOf(limit.acquireAsync(QosClass.CRITICAL)).reason());
        assertEquals(0, limit.stats().queued());

        held.removeFirst().close();
        Permit now = limit.acquire();
        now.close();
        closeAll(held);
        assertEquals(0, limit.stats().inFlight());
    }

    @Test
    void aBlockingAcquireBeyondThePermitsWaitsForOneToComeBack() throws Exception {
        FixedLimit limit = FixedLimit.builder().permits(2).queueLength(5).queueTimeout(NEVER).build();
        List<Permit> held = take(limit, 2);
        CompletableFuture<Permit> third = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                third.complete(limit.acquire());
            } catch (Throwable t) {
                third.completeExceptionally(t);
            }
        });
        try {
            Admission.awaitQueued(limit, 1);
            assertFalse(third.isDone());
            held.removeFirst().close();
            held.add(permitOf(third));
            assertEquals(2, limit.stats().inFlight());
            assertEquals(0, limit.stats().queued());
            assertEquals(3, limit.stats().admitted());
        } finally {
            waiter.interrupt();
            waiter.join(Admission.PATIENCE);
            cancelAll(List.of(third));
            closeAll(held);
        }
        assertFalse(waiter.isAlive());
    }
}
