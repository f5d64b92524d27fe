package dev.strand.admission;

import static dev.strand.admission.Admission.NEVER;
import static dev.strand.admission.Admission.PATIENCE;
import static dev.strand.admission.Admission.cancelAll;
import static dev.strand.admission.Admission.permitOf;
import static dev.strand.admission.Admission.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TryAcquireNeverBargesTest {

    @Test
    void aPermitGivenBackGoesToTheWaiterNotToTryAcquire() {
        FixedLimit limit = FixedLimit.builder().permits(2).queueTimeout(NEVER).build();
        List<Permit> held = take(limit, 2);
        CompletableFuture<Permit> waiter = limit.acquireAsync(QosClass.STANDARD);
        CompletableFuture<Permit> critical = limit.acquireAsync(QosClass.CRITICAL);
        try {
            assertTrue(limit.tryAcquire().isEmpty());

            held.get(0).close();
            assertTrue(critical.isDone(), "the critical waiter got the permit");
            assertTrue(limit.tryAcquire().isEmpty(), "tryAcquire must not take a permit a waiter is owed");

            held.get(1).close();
            assertTrue(waiter.isDone(), "the standard waiter got the next one");
            assertTrue(limit.tryAcquire().isEmpty());

            permitOf(critical).close();
            permitOf(waiter).close();
            assertEquals(0, limit.stats().queued());
            assertEquals(2, Admission.freePermits(limit), "with nobody waiting tryAcquire gets permits again");
        } finally {
            cancelAll(List.of(waiter, critical));
        }
    }

    @Test
    void aTryAcquireSpinningOnAnotherThreadNeverGetsAheadOfTheQueue() throws Exception {
        FixedLimit limit = FixedLimit.builder().permits(1).queueTimeout(NEVER).build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger barged = new AtomicInteger();
        AtomicInteger attempts = new AtomicInteger();
        for (int round = 0; round < 200; round++) {
            Permit held = take(limit, 1).getFirst();
            CompletableFuture<Permit> waiter = limit.acquireAsync(QosClass.STANDARD);
            stop.set(false);
            Thread spinner = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    attempts.incrementAndGet();
                    limit.tryAcquire().ifPresent(p -> {
                        barged.incrementAndGet();
                        p.ignore();
                    });
                }
            });
            try {
                Admission.await(() -> attempts.get() > 0, () -> "the spinner to start");
                held.close();
                Permit granted = permitOf(waiter);
                stop.set(true);
                spinner.join(PATIENCE);
                assertFalse(spinner.isAlive());
                granted.close();
            } finally {
                stop.set(true);
                spinner.join(PATIENCE);
                cancelAll(List.of(waiter));
            }
            assertEquals(0, barged.get(), "round " + round + ": tryAcquire got a permit while work was queued");
        }
        assertEquals(0, limit.stats().inFlight());
    }
}
