package dev.strand.admission;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the admission tests share: waiting with a bound, reading outcomes, cleaning up. */
final class Admission {

    /** How long a test waits for something that should happen at once before it fails. */
    static final Duration PATIENCE = Duration.ofSeconds(10);
    /** A queue timeout that no test reaches unless it means to. */
    static final Duration NEVER = Duration.ofMinutes(5);

    private Admission() {
    }

    /** Polls {@code condition} until it holds; fails after {@link #PATIENCE}. */
    static void await(BooleanSupplier condition, Supplier<String> what) {
        long end = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("gave up after " + PATIENCE + " waiting for " + what.get());
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** Waits until {@code limit} has {@code n} waiters queued. */
    static void awaitQueued(Limit limit, int n) {
        await(() -> limit.stats().queued() == n, () -> n + " queued, stats " + limit.stats());
    }

    /** The permit {@code future} is completed with; fails when it is not within {@link #PATIENCE}. */
    static Permit permitOf(CompletableFuture<Permit> future) {
        try {
            return future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return fail("expected a permit, got " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            return fail("no permit within " + PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** The rejection {@code future} fails with; fails when it does not within {@link #PATIENCE}. */
    static AdmissionException rejectionOf(CompletableFuture<Permit> future) {
        try {
            Permit permit = future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            permit.ignore();
            return fail("expected a rejection, got " + permit);
        } catch (ExecutionException e) {
            return assertInstanceOf(AdmissionException.class, e.getCause());
        } catch (TimeoutException e) {
            return fail("no outcome within " + PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    /** {@code n} permits taken with tryAcquire, each of which must be free. */
    static List<Permit> take(Limit limit, int n) {
        List<Permit> permits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Optional<Permit> permit = limit.tryAcquire();
            assertTrue(permit.isPresent(), "permit " + (i + 1) + " of " + n + " should be free: " + limit.stats());
            permits.add(permit.get());
        }
        return permits;
    }

    /** How many permits tryAcquire hands out before it says no; gives them all back (ignored). */
    static int freePermits(Limit limit) {
        List<Permit> taken = new ArrayList<>();
        for (Optional<Permit> p = limit.tryAcquire(); p.isPresent(); p = limit.tryAcquire()) {
            taken.add(p.get());
            if (taken.size() > 10_000) {
                fail("tryAcquire never says no: " + limit.stats());
            }
        }
        taken.forEach(Permit::ignore);
        return taken.size();
    }

    static void closeAll(List<Permit> permits) {
        permits.forEach(Permit::close);
    }

    /** Ends waits a test left behind: cancels them, and gives back any permit they got. */
    static void cancelAll(List<CompletableFuture<Permit>> futures) {
        for (CompletableFuture<Permit> f : futures) {
            if (!f.cancel(false) && f.state() == java.util.concurrent.Future.State.SUCCESS) {
                f.resultNow().ignore();
            }
        }
    }

    /** Stops {@code executor}'s threads (interrupting them) and waits for them to end. */
    static void shutDown(ExecutorService executor) {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("threads still running after " + PATIENCE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
