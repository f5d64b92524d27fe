package dev.strand.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A deterministic discrete-event simulation, in virtual time and on one thread, of an adaptive limit
 * in front of a backend under steady overload.
 *
 * <p>The backend has {@code C = 8} parallel slots and a service time of {@code S = 10 ms}; requests
 * beyond {@code C} wait first come, first served inside it, so the latency the limit sees is the wait
 * in the backend plus {@code S}. 200 clients in a closed loop always try to get in: one whose request
 * finished tries again at once, one turned away ({@code tryAcquire} empty) tries again at the next
 * event. The limit's clock is the simulation's. Its figure must settle near the backend's capacity:
 * high enough to keep the backend busy, and never climbing without bound.
 */
class AdaptiveLimitsUnderSteadyOverloadTest {

    private static final long MS = 1_000_000;
    private static final int C = 8;
    private static final long S = 10 * MS;
    private static final int CLIENTS = 200;
    private static final int COMPLETIONS = 200_000;

    /** What the second half of a run looked like (the first half is for settling). */
    record Run(int finalLimit, int maxLimit, int minLimit, int maxLimitSecondHalf, int minLimitSecondHalf,
               double meanLimitSecondHalf, double meanInFlightSecondHalf, double throughputPerMs,
               double meanLatencyMs, double busyFraction, double belowCapacityFraction, long dropped) {

        @Override
        public String toString() {
            return String.format("final %d, range [%d, %d] overall, [%d, %d] mean %.1f in the 2nd half; "
                    + "in flight %.2f, throughput %.3f/ms (capacity %.3f), backend busy %.1f %%, latency %.1f ms, "
                    + "limit below C %.1f %% of the time",
                    finalLimit, minLimit, maxLimit, minLimitSecondHalf, maxLimitSecondHalf, meanLimitSecondHalf,
                    meanInFlightSecondHalf, throughputPerMs, (double) C * MS / S, busyFraction * 100, meanLatencyMs,
                    belowCapacityFraction * 100);
        }
    }

    private static final class Request {
        final Permit permit;
        final long admittedAt;
        final long seq;
        long finishesAt;

        Request(Permit permit, long admittedAt, long seq) {
            this.permit = permit;
            this.admittedAt = admittedAt;
            this.seq = seq;
        }
    }

    /** Runs the simulation against the limit {@code make} builds on the clock it is given. */
    static Run simulate(Function<LongSupplier, Limit> make) {
        AtomicLong clock = new AtomicLong(0);
        Limit limit = make.apply(clock::get);
        PriorityQueue<Request> finishing = new PriorityQueue<>(
                Comparator.<Request>comparingLong(r -> r.finishesAt).thenComparingLong(r -> r.seq));
        ArrayDeque<Request> backendQueue = new ArrayDeque<>();
        int[] busy = {0};
        long[] seq = {0};
        int idle = CLIENTS;

        // Starts as many clients as the limit lets in, at the current instant.
        class Admit {
            int run(int idleClients) {
                while (idleClients > 0) {
                    Optional<Permit> permit = limit.tryAcquire();
                    if (permit.isEmpty()) {
                        break;
                    }
                    idleClients--;
                    Request r = new Request(permit.get(), clock.get(), seq[0]++);
                    if (busy[0] < C) {
                        busy[0]++;
                        r.finishesAt = clock.get() + S;
                        finishing.add(r);
                    } else {
                        backendQueue.addLast(r);
                    }
                }
                return idleClients;
            }
        }
        Admit admit = new Admit();
        idle = admit.run(idle);

        int maxLimit = limit.stats().limit();
        int minLimit = maxLimit;
        int max2 = 0;
        int min2 = Integer.MAX_VALUE;
        double limitTime2 = 0;
        double inFlightTime2 = 0;
        double busyTime2 = 0;
        double belowTime2 = 0;
        double latencySum2 = 0;
        long secondHalfStart = -1;
        int completions = 0;
        while (completions < COMPLETIONS) {
            Request done = finishing.poll();
            assertTrue(done != null, "the backend went idle with " + (CLIENTS - idle) + " in flight: " + limit.stats());
            long now = done.finishesAt;
            long dt = now - clock.get();
            if (secondHalfStart >= 0) {
                LimitStats before = limit.stats();
                limitTime2 += (double) before.limit() * dt;
                inFlightTime2 += (double) (CLIENTS - idle) * dt;
                busyTime2 += (double) busy[0] * dt;
                belowTime2 += before.limit() < C ? dt : 0;
            }
            clock.set(now);
            busy[0]--;
            Request next = backendQueue.pollFirst();
            if (next != null) {
                busy[0]++;
                next.finishesAt = now + S;
                finishing.add(next);
            }
            done.permit.close();
            idle++;
            completions++;
            if (secondHalfStart >= 0) {
                latencySum2 += (now - done.admittedAt) / (double) MS;
            }
            idle = admit.run(idle);

            int figure = limit.stats().limit();
            maxLimit = Math.max(maxLimit, figure);
            minLimit = Math.min(minLimit, figure);
            if (secondHalfStart >= 0) {
                max2 = Math.max(max2, figure);
                min2 = Math.min(min2, figure);
            } else if (completions == COMPLETIONS / 2) {
                secondHalfStart = now;
            }
        }
        double span = clock.get() - secondHalfStart;
        int half = COMPLETIONS - COMPLETIONS / 2;
        LimitStats end = limit.stats();
        assertEquals(CLIENTS - idle, end.inFlight(), "the simulation and the limit agree on what is in flight");
        return new Run(end.limit(), maxLimit, minLimit, max2, min2, limitTime2 / span, inFlightTime2 / span,
                half / (span / MS), latencySum2 / half, busyTime2 / span / C, belowTime2 / span, end.dropped());
    }

    private static Run gradient(int initial) {
        return simulate(clock -> GradientLimit.builder().name("gradient").initial(initial).min(MIN).max(1_000)
                .probeInterval(Duration.ofSeconds(1)) // every 100 service times of virtual time
                .clock(clock).build());
    }

    private static final int MIN = 2;

    /**
     * The property the probe is for: under a steady overload the figure stays within a small
     * multiple of the backend's capacity, from any start, and work is in flight on average at
     * least {@code 0.8·C}.
     */
    @ParameterizedTest(name = "initial {0}")
    @ValueSource(ints = {2, 20, 200})
    void theGradientLimitNeverClimbsWithoutBound(int initial) {
        Run run = gradient(initial);
        System.out.println("gradient, initial " + initial + ": " + run);

        assertTrue(run.finalLimit() <= 4 * C && run.finalLimit() >= MIN, run.toString());
        assertTrue(run.maxLimitSecondHalf() <= 4 * C, "climbed to " + run.maxLimitSecondHalf() + ": " + run);
        assertTrue(run.minLimitSecondHalf() >= MIN, run.toString());
        assertTrue(run.meanInFlightSecondHalf() >= 0.8 * C, "too little in flight: " + run);
        assertTrue(run.meanLatencyMs() <= 4 * S / (double) MS, "latency stayed near the service time: " + run);
    }

    /**
     * Throughput ≈ C/S: the limit should not fall below the backend's capacity most of the time.
     * Probes (every second, for about two service times at half the figure) cost a few per cent.
     */
    @Test
    void theGradientLimitKeepsTheBackendBusy() {
        Run run = gradient(20);
        double capacity = (double) C * MS / S;
        assertTrue(run.throughputPerMs() >= 0.9 * capacity, "throughput well below C/S: " + run);
        assertTrue(run.belowCapacityFraction() <= 0.25, "the figure spent too long below C: " + run);
    }

    /**
     * AIMD learns only from drops, here round trips over its 50 ms timeout: it grows by one per
     * success until latency passes the timeout (about {@code 5·C} in flight), then backs off, at most
     * once per round trip. Before that rule it fell to its minimum on the many slow samples of one
     * round trip and climbed back to about {@code 11·C}, a sawtooth (observed: range [2, 88], below C
     * 43 % of the time); now it holds near where latency crosses its timeout (observed: [42, 58] in
     * the second half, never below C). Held by its timeout, never by the backend's capacity: AIMD
     * needs drops to learn.
     */
    @Test
    void aimdBacksOffOnlyThroughDropsAndStaysBetweenMinAndMax() {
        int max = 1_000;
        Run run = simulate(clock -> AimdLimit.builder().name("aimd").initial(20).min(MIN).max(max)
                .timeout(Duration.ofMillis(50)).clock(clock).build());
        System.out.println("aimd, timeout 50 ms: " + run);

        assertTrue(run.maxLimit() <= max && run.minLimit() >= MIN, run.toString());
        assertTrue(run.finalLimit() <= max && run.finalLimit() >= MIN, run.toString());
        assertTrue(run.maxLimitSecondHalf() < max, "bounded by its timeout, not only by max: " + run);
        assertTrue(run.meanLimitSecondHalf() > C, "it runs above the backend's capacity: " + run);
        assertTrue(run.minLimitSecondHalf() > run.maxLimitSecondHalf() / 2, "no sawtooth: " + run);
        assertTrue(run.belowCapacityFraction() <= 0.05, "never falls below the backend's capacity: " + run);
        assertTrue(run.busyFraction() >= 0.9, "the backend is kept busy: " + run);
        assertEquals(0, run.dropped(), "no permit was given back as dropped: the backoffs are timeouts");
    }
}
