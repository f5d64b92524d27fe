package dev.strand.admission;

import static dev.strand.admission.Admission.NEVER;
import static dev.strand.admission.Admission.PATIENCE;
import static dev.strand.admission.Admission.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class CancelledAsyncAcquireLeavesTheQueueTest {

    private static ExecutorService threads;

    @BeforeAll
    static void startThreads() {
        threads = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stopThreads() {
        Admission.shutDown(threads);
    }

    @Test
    void cancellingAWaitTakesItOutOfTheQueue() {
        FixedLimit limit = FixedLimit.builder().permits(1).queueTimeout(NEVER).build();
        Permit held = take(limit, 1).getFirst();
        CompletableFuture<Permit> first = limit.acquireAsync(QosClass.STANDARD);
        CompletableFuture<Permit> second = limit.acquireAsync(QosClass.CRITICAL);
        CompletableFuture<Permit> third = limit.acquireAsync(QosClass.STANDARD);
        assertEquals(3, limit.stats().queued());

        assertTrue(first.cancel(false));
        assertEquals(2, limit.stats().queued());
        assertTrue(second.cancel(true));
        assertEquals(1, limit.stats().queued());

        held.close();
        assertTrue(third.isDone(), "the permit skips the cancelled waiters");
        assertEquals(1, limit.stats().inFlight());
        third.join().close();
        assertEquals(0, limit.stats().inFlight());
        assertEquals(0, limit.stats().queued());
        assertEquals(2, limit.stats().admitted(), "the cancelled waiters were never granted");
    }

    @Test
    void cancellingAFutureThatAlreadyHasItsPermitChangesNothing() {
        FixedLimit limit = FixedLimit.builder().permits(1).build();
        CompletableFuture<Permit> granted = limit.acquireAsync(QosClass.STANDARD);
        assertTrue(granted.isDone());
        assertFalse(granted.cancel(false));
        assertEquals(1, limit.stats().inFlight());
        granted.join().close();
        assertEquals(0, limit.stats().inFlight());
    }

    /**
     * A permit given back and the waiter's cancel race: whichever wins, the permit is not lost
     * (it is the waiter's, or free again), and the queue is empty.
     */
    @RepeatedTest(200)
    void aPermitGrantedAsTheWaitIsCancelledIsNotLost() throws Exception {
        FixedLimit limit = FixedLimit.builder().permits(2).queueTimeout(NEVER).build();
        List<Permit> held = take(limit, 2);
        List<CompletableFuture<Permit>> waiters = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            waiters.add(limit.acquireAsync(QosClass.STANDARD));
        }
        CyclicBarrier start = new CyclicBarrier(4);
        List<Future<?>> racers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Permit release = held.get(i);
            CompletableFuture<Permit> cancel = waiters.get(i);
            racers.add(threads.submit(() -> {
                start.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                release.close();
                return null;
            }));
            racers.add(threads.submit(() -> {
                start.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                return cancel.cancel(false);
            }));
        }
        for (Future<?> f : racers) {
            f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }

        int granted = 0;
        for (CompletableFuture<Permit> w : waiters) {
            assertTrue(w.isDone());
            if (!w.isCancelled()) {
                w.join().close();
                granted++;
            }
        }
        LimitStats stats = limit.stats();
        assertEquals(0, stats.inFlight(), "every permit came back: " + stats);
        assertEquals(0, stats.queued(), stats.toString());
        assertTrue(stats.admitted() >= 2 + granted && stats.admitted() <= 4, stats.toString());
        List<Permit> all = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Optional<Permit> p = limit.tryAcquire();
            assertTrue(p.isPresent(), "permit " + (i + 1) + " of 2 is free again: " + stats);
            all.add(p.get());
        }
        assertTrue(limit.tryAcquire().isEmpty());
        Admission.closeAll(all);
    }
}
