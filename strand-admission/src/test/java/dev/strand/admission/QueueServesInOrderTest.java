package dev.strand.admission;

import static dev.strand.admission.Admission.NEVER;
import static dev.strand.admission.Admission.PATIENCE;
import static dev.strand.admission.Admission.awaitQueued;
import static dev.strand.admission.Admission.cancelAll;
import static dev.strand.admission.Admission.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The queue's order: first come, first served; newest first with {@code lifo(true)}; critical work
 * ahead of the rest. Waiters are queued one at a time from the test thread, so their order is known.
 */
class QueueServesInOrderTest {

    /** Queues one waiter per class, in order; each, once granted, records its index and gives its permit back. */
    private static List<Integer> serve(FixedLimit limit, QosClass... classes) {
        List<Integer> served = new CopyOnWriteArrayList<>();
        Permit held = take(limit, 1).getFirst();
        List<CompletableFuture<Permit>> waiters = new ArrayList<>();
        for (int i = 0; i < classes.length; i++) {
            int index = i;
            CompletableFuture<Permit> w = limit.acquireAsync(classes[i]);
            assertFalse(w.isDone(), "waiter " + i + " must queue");
            waiters.add(w);
            w.thenAccept(permit -> {
                served.add(index);
                permit.close(); // lets the next one in, on this same thread
            });
        }
        try {
            assertEquals(classes.length, limit.stats().queued());
            held.close();
            CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new))
                    .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            cancelAll(waiters);
        }
        assertEquals(0, limit.stats().inFlight());
        assertEquals(0, limit.stats().queued());
        return served;
    }

    @Test
    void waitersAreServedFirstComeFirstServed() {
        FixedLimit limit = FixedLimit.builder().permits(1).queueTimeout(NEVER).build();
        QosClass s = QosClass.STANDARD;
        assertEquals(List.of(0, 1, 2, 3, 4, 5), serve(limit, s, s, s, s, s, s));
    }

    @Test
    void lifoServesTheNewestFirst() {
        FixedLimit limit = FixedLimit.builder().permits(1).lifo(true).queueTimeout(NEVER).build();
        QosClass s = QosClass.STANDARD;
        assertEquals(List.of(5, 4, 3, 2, 1, 0), serve(limit, s, s, s, s, s, s));
    }

    @Test
    void criticalWorkIsServedAheadOfTheRest() {
        FixedLimit limit = FixedLimit.builder().permits(1).queueTimeout(NEVER).build();
        QosClass s = QosClass.STANDARD;
        QosClass c = QosClass.CRITICAL;
        QosClass shed = QosClass.SHEDDABLE;
        // Queued: s0, shed1, c2, s3, c4. Critical first (in arrival order), then the rest in arrival order.
        assertEquals(List.of(2, 4, 0, 1, 3), serve(limit, s, shed, c, s, c));
    }

    @Test
    void criticalWorkStillGoesAheadOfTheRestWhenTheQueueIsLifo() {
        FixedLimit limit = FixedLimit.builder().permits(1).lifo(true).queueTimeout(NEVER).build();
        QosClass s = QosClass.STANDARD;
        QosClass c = QosClass.CRITICAL;
        List<Integer> served = serve(limit, s, c, s, s);
        assertEquals(1, served.getFirst(), "critical first: " + served);
        assertEquals(List.of(3, 2, 0), served.subList(1, 4), "then the others newest first");
    }

    @Test
    void blockedThreadsAreServedInTheOrderTheyQueued() throws Exception {
        FixedLimit limit = FixedLimit.builder().permits(1).queueTimeout(NEVER).build();
        Permit held = limit.acquire();
        List<Integer> served = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int index = i;
                done.add(threads.submit(() -> {
                    try (Permit _ = limit.acquire()) {
                        served.add(index);
                    }
                }));
                awaitQueued(limit, i + 1); // the next one starts only once this one waits
            }
            held.close();
            for (java.util.concurrent.Future<?> f : done) {
                f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            Admission.shutDown(threads);
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), served);
        assertEquals(0, limit.stats().inFlight());
    }
}
