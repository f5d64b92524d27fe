package dev.strand.admission;

import static dev.strand.admission.Admission.NEVER;
import static dev.strand.admission.Admission.PATIENCE;
import static dev.strand.admission.Admission.awaitQueued;
import static dev.strand.admission.Admission.cancelAll;
import static dev.strand.admission.Admission.permitOf;
import static dev.strand.admission.Admission.rejectionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class PausedLimitHoldsItsQueueTest {

    @Test
    void pausedAdmitsNothingNewAndQueuesUntilTheBound() {
        QosSwitch qos = QosSwitch.create();
        FixedLimit limit = FixedLimit.builder().permits(4).queueLength(3).queueTimeout(NEVER).qos(qos).build();
        Permit running = limit.acquire();
        qos.level(QosLevel.PAUSED);
        assertEquals(0, limit.stats().limit());
        assertTrue(limit.tryAcquire().isEmpty(), "nothing new starts, though 3 of 4 permits are free");

        List<CompletableFuture<Permit>> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                waiting.add(limit.acquireAsync(i == 0 ? QosClass.CRITICAL : QosClass.STANDARD));
            }
            waiting.forEach(w -> assertFalse(w.isDone(), "paused work waits"));
            assertEquals(3, limit.stats().queued());
            assertEquals(0, limit.stats().rejected(), "nothing is turned away until the queue is full");

            assertEquals(AdmissionException.Reason.QUEUE_FULL,
                    rejectionOf(limit.acquireAsync(QosClass.STANDARD)).reason());
            assertEquals(AdmissionException.Reason.QUEUE_FULL,
                    assertThrows(AdmissionException.class, () -> limit.acquire(QosClass.CRITICAL)).reason());

            running.close();
            assertEquals(0, limit.stats().inFlight(), "work already admitted finishes; its permit starts nothing");
            assertEquals(3, limit.stats().queued());

            qos.level(QosLevel.NORMAL);
            waiting.forEach(w -> assertTrue(w.isDone(), "back at normal the queued work starts at once"));
            assertEquals(3, limit.stats().inFlight());
            assertEquals(0, limit.stats().queued());
            waiting.forEach(w -> permitOf(w).close());
        } finally {
            cancelAll(waiting);
        }
        assertEquals(0, limit.stats().inFlight());
    }

    @Test
    void whilePausedTheQueueTimeoutDoesNotRunOut() throws Exception {
        QosSwitch qos = QosSwitch.create();
        Duration timeout = Duration.ofMillis(50);
        FixedLimit limit = FixedLimit.builder().permits(2).queueTimeout(timeout).qos(qos).build();
        qos.level(QosLevel.PAUSED);
        CompletableFuture<Permit> waiting = limit.acquireAsync(QosClass.STANDARD);
        try {
            // Eight queue timeouts go by: the wait must still be on.
            assertThrows(TimeoutException.class, () -> waiting.get(timeout.toMillis() * 8, TimeUnit.MILLISECONDS));
            assertFalse(waiting.isDone());
            assertEquals(0, limit.stats().timedOut());
            assertEquals(1, limit.stats().queued());

            qos.level(QosLevel.NORMAL);
            assertTrue(waiting.isDone(), "switching back to normal grants it at once");
            permitOf(waiting).close();
            assertEquals(0, limit.stats().timedOut());
        } finally {
            cancelAll(List.of(waiting));
        }
    }

    @Test
    void aBlockedThreadWaitsOutThePauseAndGetsItsPermit() throws Exception {
        QosSwitch qos = QosSwitch.create();
        FixedLimit limit = FixedLimit.builder().permits(1).queueTimeout(Duration.ofMillis(30)).qos(qos).build();
        qos.level(QosLevel.PAUSED);
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try (Permit p = limit.acquire()) {
                outcome.complete(p);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        try {
            awaitQueued(limit, 1);
            assertThrows(TimeoutException.class, () -> outcome.get(300, TimeUnit.MILLISECONDS),
                    "ten queue timeouts go by while paused");
            qos.level(QosLevel.NORMAL);
            Object result = outcome.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(result instanceof Permit, "got " + result);
        } finally {
            waiter.interrupt();
            waiter.join(PATIENCE);
        }
        assertEquals(0, limit.stats().timedOut());
    }

    @Test
    void whilePausedADeadlineStillEndsTheWait() {
        QosSwitch qos = QosSwitch.create();
        FixedLimit limit = FixedLimit.builder().permits(2).queueTimeout(Duration.ofMillis(20)).qos(qos).build();
        qos.level(QosLevel.PAUSED);
        try {
            CompletableFuture<Permit> waiting = Deadline.after(Duration.ofMillis(150))
                    .call(() -> limit.acquireAsync(QosClass.STANDARD));
            AdmissionException e = rejectionOf(waiting);
            assertEquals(AdmissionException.Reason.DEADLINE, e.reason());
            assertTrue(e.waited().compareTo(Duration.ofMillis(100)) > 0, "it outlived several queue timeouts: " + e.waited());
            LimitStats stats = limit.stats();
            assertEquals(1, stats.expired());
            assertEquals(0, stats.timedOut());
            assertEquals(0, stats.queued());
        } finally {
            qos.level(QosLevel.NORMAL);
        }
    }
}
