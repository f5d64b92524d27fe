package dev.strand.admission;

import static dev.strand.admission.Admission.NEVER;
import static dev.strand.admission.Admission.PATIENCE;
import static dev.strand.admission.Admission.awaitQueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BlockingAcquireParksVirtualThreadsTest {

    @Test
    void aThousandVirtualThreadsShareEightPermitsAndAllFinish() throws Exception {
        int permits = 8;
        int threads = 1_000;
        FixedLimit limit = FixedLimit.builder().permits(permits).queueLength(threads).queueTimeout(NEVER).build();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger highWater = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                all.add(executor.submit(() -> {
                    try (Permit _ = limit.acquire()) {
                        int now = inside.incrementAndGet();
                        highWater.accumulateAndGet(now, Math::max);
                        LockSupport.parkNanos(1_000_000); // the work: parks, as I/O would
                        inside.decrementAndGet();
                    }
                    finished.incrementAndGet();
                }));
            }
            for (Future<?> f : all) {
                f.get(PATIENCE.toMillis() * 3, TimeUnit.MILLISECONDS);
            }
        } finally {
            Admission.shutDown(executor);
        }
        assertEquals(threads, finished.get());
        assertTrue(highWater.get() <= permits, "at most " + permits + " at once, saw " + highWater.get());
        assertTrue(highWater.get() >= 2, "the permits were shared, not taken one at a time: " + highWater.get());
        LimitStats stats = limit.stats();
        assertEquals(0, stats.inFlight());
        assertEquals(0, stats.queued());
        assertEquals(threads, stats.admitted());
        assertEquals(0, stats.rejected() + stats.timedOut() + stats.expired());
    }

    private record Outcome(Object result, boolean interruptedAfter) {
    }

    private static void interruptingAWaitEndsItWithCancelled(Thread.Builder builder) throws Exception {
        FixedLimit limit = FixedLimit.builder().permits(1).queueTimeout(NEVER).build();
        Permit held = limit.acquire();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread waiter = builder.start(() -> {
            try {
                Permit p = limit.acquire();
                outcome.complete(new Outcome(p, Thread.currentThread().isInterrupted()));
            } catch (Throwable t) {
                outcome.complete(new Outcome(t, Thread.currentThread().isInterrupted()));
            }
        });
        try {
            awaitQueued(limit, 1);
            waiter.interrupt();
            Outcome o = outcome.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            AdmissionException e = assertInstanceOf(AdmissionException.class, o.result());
            assertEquals(AdmissionException.Reason.CANCELLED, e.reason());
            assertTrue(o.interruptedAfter(), "the interrupt status is set again");
            assertEquals(0, limit.stats().queued(), "the interrupted waiter left the queue");
            assertEquals(1, limit.stats().inFlight());

            held.close();
            assertEquals(0, limit.stats().inFlight(), "the permit went to nobody: the waiter had left");
            assertEquals(1, limit.stats().admitted());
            assertTrue(limit.tryAcquire().isPresent());
        } finally {
            waiter.interrupt();
            waiter.join(PATIENCE);
            held.close();
        }
        assertFalse(waiter.isAlive());
    }

    @Test
    void interruptingAWaitingVirtualThreadEndsItsWaitWithCancelled() throws Exception {
        interruptingAWaitEndsItWithCancelled(Thread.ofVirtual());
    }

    @Test
    void interruptingAWaitingPlatformThreadEndsItsWaitWithCancelled() throws Exception {
        interruptingAWaitEndsItWithCancelled(Thread.ofPlatform());
    }

    /**
     * {@link AdmissionException#waited()} is "how long the work waited in the queue; zero when it was
     * turned away at once". A waiter interrupted after it queued did wait.
     */
    @Test
    void anInterruptedWaitReportsTheTimeItWaited() throws Exception {
        FixedLimit limit = FixedLimit.builder().permits(1).queueTimeout(NEVER).build();
        Permit held = limit.acquire();
        CompletableFuture<AdmissionException> rejection = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                limit.acquire().close();
                rejection.completeExceptionally(new AssertionError("got a permit"));
            } catch (AdmissionException e) {
                rejection.complete(e);
            }
        });
        try {
            awaitQueued(limit, 1);
            long queuedAt = System.nanoTime();
            Admission.await(() -> System.nanoTime() - queuedAt > Duration.ofMillis(20).toNanos(), () -> "20 ms to pass");
            waiter.interrupt();
            AdmissionException e = rejection.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(AdmissionException.Reason.CANCELLED, e.reason());
            assertTrue(e.waited().compareTo(Duration.ofMillis(20)) >= 0,
                    "it waited at least 20 ms in the queue, but waited() says " + e.waited());
        } finally {
            waiter.interrupt();
            waiter.join(PATIENCE);
            held.close();
        }
    }
}
