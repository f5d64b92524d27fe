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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SheddableWorkIsShedFirstTest {

    @Test
    void sheddableWorkIsQueuedOnlyWhileTheQueueIsLessThanHalfFull() {
        FixedLimit limit = FixedLimit.builder().permits(1).queueLength(4).queueTimeout(NEVER).build();
        List<Permit> held = take(limit, 1);
        List<CompletableFuture<Permit>> waiting = new ArrayList<>();
        try {
            waiting.add(limit.acquireAsync(QosClass.STANDARD));   // 1 of 4 queued
            waiting.add(limit.acquireAsync(QosClass.SHEDDABLE));  // under half full: queued
            assertFalse(waiting.getLast().isDone(), "sheddable work queues while the queue is under half full");
            assertEquals(2, limit.stats().queued());

            AdmissionException shed = rejectionOf(limit.acquireAsync(QosClass.SHEDDABLE)); // half full now
            assertEquals(AdmissionException.Reason.SHED, shed.reason());
            assertEquals(1, limit.stats().rejected(), "a shed counts as turned away");
            AdmissionException shedBlocking = assertThrows(AdmissionException.class,
                    () -> limit.acquire(QosClass.SHEDDABLE));
            assertEquals(AdmissionException.Reason.SHED, shedBlocking.reason());

            waiting.add(limit.acquireAsync(QosClass.STANDARD));
            waiting.add(limit.acquireAsync(QosClass.CRITICAL));
            waiting.forEach(w -> assertFalse(w.isDone(), "standard and critical work queue to the bound"));
            assertEquals(4, limit.stats().queued());
            assertEquals(AdmissionException.Reason.QUEUE_FULL, rejectionOf(limit.acquireAsync(QosClass.STANDARD)).reason());
        } finally {
            cancelAll(waiting);
            closeAll(held);
        }
    }

    @Test
    void sheddableWorkIsNotQueuedBelowTheNormalLevel() {
        for (QosLevel level : List.of(QosLevel.SLOW, QosLevel.CRAWL, QosLevel.PAUSED)) {
            QosSwitch qos = QosSwitch.create();
            FixedLimit limit = FixedLimit.builder().permits(2).queueLength(100).queueTimeout(NEVER).qos(qos).build();
            qos.level(level);
            List<Permit> held = new ArrayList<>();
            while (true) {
                var p = limit.tryAcquire();
                if (p.isEmpty()) {
                    break;
                }
                held.add(p.get());
            }
            CompletableFuture<Permit> standard = limit.acquireAsync(QosClass.STANDARD);
            try {
                AdmissionException shed = rejectionOf(limit.acquireAsync(QosClass.SHEDDABLE));
                assertEquals(AdmissionException.Reason.SHED, shed.reason(), level.toString());
                assertFalse(standard.isDone(), "standard work still queues at " + level);
                assertEquals(1, limit.stats().queued(), level.toString());
            } finally {
                cancelAll(List.of(standard));
                closeAll(held);
            }
        }
    }

    @Test
    void sheddableWorkRunsWhenAPermitIsFreeEvenBelowTheNormalLevel() {
        QosSwitch qos = QosSwitch.create();
        FixedLimit limit = FixedLimit.builder().permits(4).qos(qos).build();
        qos.level(QosLevel.SLOW); // 2 of 4
        Permit a = permitOf(limit.acquireAsync(QosClass.SHEDDABLE));
        Permit b = limit.acquire(QosClass.SHEDDABLE);
        assertEquals(2, limit.stats().inFlight());
        assertEquals(AdmissionException.Reason.SHED, rejectionOf(limit.acquireAsync(QosClass.SHEDDABLE)).reason());
        a.close();
        b.close();
    }

    @Test
    void withNoQueueSheddableWorkIsShedRatherThanQueued() {
        FixedLimit limit = FixedLimit.builder().permits(1).queueLength(0).build();
        List<Permit> held = take(limit, 1);
        AdmissionException e = rejectionOf(limit.acquireAsync(QosClass.SHEDDABLE));
        // Turned away at once either way; with no queue the queue is "half full" from the start.
        assertEquals(AdmissionException.Reason.SHED, e.reason());
        closeAll(held);
    }
}
