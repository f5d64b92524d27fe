package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A loop with nothing else to do sleeps until its next timer. {@link java.nio.channels.Selector}
 * sleeps in whole milliseconds; the timerfd wake-up makes the loop wake at the deadline itself.
 */
class SleepingLoopWakesAtTheTimersDeadlineTest {

    /** Not a whole number of milliseconds: a millisecond sleep would be at least 0.7 ms late. */
    private static final Duration DELAY = Duration.ofNanos(1_300_000);
    private static final int TIMERS = 200;

    @Test
    void exactWakeupsAreAvailableOnLinux() {
        assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "exact wake-ups are Linux-only");
        assertTrue(Reactor.exactTimerWakeupsAvailable(),
                "this JVM opens sun.nio.ch and enables native access, so the timerfd wake-up must work");
    }

    @Test
    void timersOnAnIdleLoopRunAtTheirDeadlineNotAtTheNextMillisecond() throws Exception {
        assumeTrue(Reactor.exactTimerWakeupsAvailable(), "needs exact wake-ups");
        long[] lateness = measureLateness();
        Arrays.sort(lateness);
        long median = lateness[TIMERS / 2];
        // A millisecond sleep puts every one of these at least 0.7 ms late; an exact wake-up puts
        // the median within tens of microseconds. 0.4 ms leaves room for a busy CI machine.
        assertTrue(median < 400_000, String.format(Locale.ROOT,
                "median lateness %.3f ms; the loop did not wake at the deadline", median / 1e6));
    }

    @Test
    void timersAreNeverEarly() throws Exception {
        long[] lateness = measureLateness();
        assertTrue(Arrays.stream(lateness).allMatch(l -> l >= 0), "a timer ran before its deadline");
    }

    /** One timer at a time, so the loop is asleep when each comes due; nanoseconds late, each. */
    static long[] measureLateness() throws Exception {
        long[] lateness = new long[TIMERS];
        try (Reactor reactor = Reactor.builder().loops(1).name("exact-timers").build()) {
            EventLoop loop = reactor.loops().getFirst();
            // Waits for the background setup, which queues this loop's wake-up before our tasks.
            Reactor.exactTimerWakeupsAvailable();
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.execute(() -> next(loop, 0, lateness, done));
            done.get(30, SECONDS);
        }
        return lateness;
    }

    private static void next(EventLoop loop, int i, long[] lateness, CompletableFuture<Void> done) {
        if (i == lateness.length) {
            done.complete(null);
            return;
        }
        long earliest = System.nanoTime() + DELAY.toNanos();
        loop.addTimer(DELAY, () -> {
            lateness[i] = System.nanoTime() - earliest;
            next(loop, i + 1, lateness, done);
        });
    }
}
