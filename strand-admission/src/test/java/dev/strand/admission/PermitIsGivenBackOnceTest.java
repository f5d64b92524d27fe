package dev.strand.admission;

import static dev.strand.admission.Admission.NEVER;
import static dev.strand.admission.Admission.PATIENCE;
import static dev.strand.admission.Admission.freePermits;
import static dev.strand.admission.Admission.permitOf;
import static dev.strand.admission.Admission.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PermitIsGivenBackOnceTest {

    @Test
    void closeDroppedAndIgnoreEachGiveOneSlotBack() {
        FixedLimit limit = FixedLimit.builder().permits(3).build();
        List<Permit> held = take(limit, 3);
        assertEquals(0, freePermits(limit));

        held.get(0).close();
        assertEquals(2, limit.stats().inFlight());
        held.get(1).dropped();
        assertEquals(1, limit.stats().inFlight());
        assertEquals(1, limit.stats().dropped(), "a dropped permit is counted");
        held.get(2).ignore();
        assertEquals(0, limit.stats().inFlight());
        assertEquals(1, limit.stats().dropped(), "closed and ignored permits are not drops");

        assertEquals(3, freePermits(limit));
    }

    @Test
    void onlyTheFirstGivingBackCounts() {
        List<Consumer<Permit>> ways = List.of(Permit::close, Permit::dropped, Permit::ignore);
        for (Consumer<Permit> first : ways) {
            for (Consumer<Permit> second : ways) {
                FixedLimit limit = FixedLimit.builder().permits(2).build();
                List<Permit> held = take(limit, 2);
                Permit p = held.getFirst();
                first.accept(p);
                long droppedAfterFirst = limit.stats().dropped();
                second.accept(p);
                second.accept(p);
                first.accept(p);
                assertEquals(1, limit.stats().inFlight(), "giving one permit back again must not free another slot");
                assertEquals(droppedAfterFirst, limit.stats().dropped(), "nor count another drop");
                assertEquals(1, freePermits(limit), "exactly one slot free");
                held.get(1).close();
                assertEquals(2, freePermits(limit));
            }
        }
    }

    @Test
    void aPermitClosedByManyThreadsAtOnceFreesOneSlot() throws Exception {
        int threads = 8;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int round = 0; round < 100; round++) {
                FixedLimit limit = FixedLimit.builder().permits(2).queueLength(0).build();
                List<Permit> held = take(limit, 2);
                Permit contended = held.getFirst();
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<?>> closers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int which = t;
                    closers.add(pool.submit(() -> {
                        start.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                        switch (which % 3) {
                            case 0 -> contended.close();
                            case 1 -> contended.dropped();
                            default -> contended.ignore();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : closers) {
                    f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                }
                assertEquals(1, limit.stats().inFlight(), "round " + round);
                assertEquals(1, freePermits(limit), "round " + round);
                held.get(1).close();
            }
        }
    }

    @Test
    void aPermitGivenBackOnAnotherThreadLetsTheNextWaiterIn() throws Exception {
        FixedLimit limit = FixedLimit.builder().permits(1).queueTimeout(NEVER).build();
        Permit held = limit.acquire();
        CompletableFuture<Permit> next = limit.acquireAsync(QosClass.STANDARD);
        Thread other = Thread.ofPlatform().start(held::close);
        other.join(PATIENCE);
        Permit granted = permitOf(next);
        assertEquals(1, limit.stats().inFlight());
        assertEquals(0, limit.stats().queued());
        granted.close();
        assertEquals(0, limit.stats().inFlight());
        assertTrue(limit.tryAcquire().isPresent());
    }
}
