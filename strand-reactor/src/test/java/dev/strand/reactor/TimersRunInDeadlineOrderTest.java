package dev.strand.reactor;

import static dev.strand.reactor.Loops.ms;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class TimersRunInDeadlineOrderTest {

    /** Stopped while a test adds its timers: their order must not depend on how long adding took. */
    private final FreezableClock clock = new FreezableClock();
    private Reactor reactor;
    private EventLoop loop;

    @BeforeEach
    void startReactor() {
        reactor = Reactor.builder().loops(1).name("timers").clock(clock).build();
        loop = reactor.loops().getFirst();
    }

    @AfterEach
    void stopReactor() {
        reactor.close();
    }

    @Test
    void timersAddedOutOfOrderFireInDeadlineOrder() throws InterruptedException {
        List<Integer> fired = new CopyOnWriteArrayList<>();
        int[] delays = {200, 50, 150, 0, 100};
        CountDownLatch all = new CountDownLatch(delays.length);
        // Added in one loop task with the clock stopped: the deadlines are exactly the delays apart.
        Loops.run(loop, () -> {
            clock.freeze();
            for (int delay : delays) {
                loop.addTimer(ms(delay), () -> {
                    fired.add(delay);
                    all.countDown();
                });
            }
            clock.thaw();
        });

        assertTrue(all.await(5, SECONDS), "timers fired: " + fired);
        assertEquals(List.of(0, 50, 100, 150, 200), fired);
    }

    @RepeatedTest(3)
    void overdueTimersDueInTheSameTurnRunInDeadlineOrder() throws InterruptedException {
        List<Integer> fired = new CopyOnWriteArrayList<>();
        int[] delays = {50, 10, 40, 20, 30};
        CountDownLatch all = new CountDownLatch(delays.length);
        Loops.run(loop, () -> {
            clock.freeze(); // one instant for every deadline, however long adding them takes
            for (int delay : delays) {
                loop.addTimer(ms(delay), () -> {
                    fired.add(delay);
                    all.countDown();
                });
            }
            clock.thaw();
            // Hold the loop until every deadline has passed: they all come due in one timer phase,
            // so the order comes from the timer queue alone, not from when each one woke the loop.
            Loops.spin(ms(80));
        });

        assertTrue(all.await(5, SECONDS), "timers fired: " + fired);
        assertEquals(List.of(10, 20, 30, 40, 50), fired);
    }

    @Test
    void oneShotTimersWithTheSameDelayFireInInsertionOrder() throws InterruptedException {
        int count = 50;
        List<Integer> fired = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            int id = i;
            loop.addTimer(ms(20), () -> {
                fired.add(id);
                all.countDown();
            });
        }

        assertTrue(all.await(5, SECONDS), "timers fired: " + fired);
        assertEquals(IntStream.range(0, count).boxed().toList(), fired);
    }

    @RepeatedTest(3)
    void equalDeadlinesFireInInsertionOrder() throws InterruptedException {
        // Periodic timers that run late are rescheduled at (the turn's cached clock + period): when
        // several run in one turn, their next deadlines are exactly equal. Only the insertion
        // sequence can then order them; a heap ordered by deadline alone would not give FIFO.
        int count = 20;
        List<Integer> firstRound = new CopyOnWriteArrayList<>();
        List<Integer> secondRound = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(count);
        Loops.run(loop, () -> {
            for (int i = 0; i < count; i++) {
                int id = i;
                Timer[] self = new Timer[1];
                self[0] = loop.addPeriodicTimer(ms(10), () -> {
                    if (!firstRound.contains(id)) {
                        firstRound.add(id);
                    } else {
                        secondRound.add(id);
                        self[0].cancel();
                        done.countDown();
                    }
                });
            }
            Loops.spin(ms(50)); // all first runs come due in the same turn, late
        });

        assertTrue(done.await(5, SECONDS), "second round: " + secondRound);
        List<Integer> inOrder = IntStream.range(0, count).boxed().toList();
        assertEquals(inOrder, firstRound);
        assertEquals(inOrder, secondRound);
    }

    @Test
    void timerRunsOnTheLoopThread() throws Exception {
        Thread loopThread = Loops.thread(loop);
        CompletableFuture<Boolean> inLoop = new CompletableFuture<>();
        CompletableFuture<Thread> runner = new CompletableFuture<>();
        loop.addTimer(ms(10), () -> {
            inLoop.complete(loop.inLoop());
            runner.complete(Thread.currentThread());
        });

        assertTrue(inLoop.get(5, SECONDS), "loop.inLoop() inside a timer");
        assertSame(loopThread, runner.get(5, SECONDS));
    }

    // That a timer never fires before its delay is pinned to the nanosecond on virtual time:
    // TimersFireAtTheirDeadlinesOnVirtualTimeTest.

    @Test
    void aTimerThatThrowsDoesNotStopLaterTimers() throws InterruptedException {
        CountDownLatch later = new CountDownLatch(1);
        loop.addTimer(ms(5), () -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        loop.addTimer(ms(30), later::countDown);

        assertTrue(later.await(5, SECONDS));
    }

    /**
     * Runs of equal and rising delays (which queue in order) mixed with falling ones (which go to the
     * heap), some cancelled: every live timer fires once, in deadline order.
     */
    @RepeatedTest(3)
    void mixedInOrderAndOutOfOrderTimersFireInDeadlineOrder() throws InterruptedException {
        java.util.Random random = new java.util.Random(42);
        int count = 400;
        long[] delays = new long[count];
        for (int i = 0; i < count; i++) {
            // Steps of 5 ms; the clock stands still while they are added, so their deadlines keep that order.
            delays[i] = i % 3 == 0 ? 5L * (i / 40) : 5L * random.nextInt(12);
        }
        List<Integer> fired = new CopyOnWriteArrayList<>();
        List<Integer> expected = IntStream.range(0, count).filter(i -> i % 7 != 3).boxed()
                .sorted(java.util.Comparator.<Integer>comparingLong(i -> delays[i]).thenComparingInt(i -> i))
                .toList();
        CountDownLatch all = new CountDownLatch(expected.size());
        Loops.run(loop, () -> {
            clock.freeze();
            for (int i = 0; i < count; i++) {
                int id = i;
                Timer timer = loop.addTimer(ms(delays[i]), () -> {
                    fired.add(id);
                    all.countDown();
                });
                if (i % 7 == 3) {
                    timer.cancel();
                }
            }
            clock.thaw();
        });
        assertTrue(all.await(5, SECONDS), "only " + fired.size() + " of " + expected.size() + " timers fired");
        // Past every deadline, cancelled ones included: a cancelled timer that fired shows up here.
        CountDownLatch pastAll = new CountDownLatch(1);
        loop.addTimer(ms(100), pastAll::countDown);
        assertTrue(pastAll.await(5, SECONDS));
        assertEquals(expected, List.copyOf(fired));
    }
}
