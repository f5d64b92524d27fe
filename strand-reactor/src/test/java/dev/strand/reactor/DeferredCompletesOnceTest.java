package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The first completion wins; a second one is refused and changes nothing. */
class DeferredCompletesOnceTest {

    private Reactor reactor;
    private EventLoop loop;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(1).name("once").build();
        loop = reactor.loops().getFirst();
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    @Test
    void aSecondCompletionAfterSuccessThrowsAndTheValueStays() {
        Deferred<String> deferred = Deferred.create(loop);
        deferred.succeed("first");

        assertThrows(IllegalStateException.class, () -> deferred.succeed("second"));
        assertThrows(IllegalStateException.class, () -> deferred.fail(new RuntimeException("late")));
        assertFalse(deferred.trySucceed("third"));
        assertFalse(deferred.tryFail(new RuntimeException("late")));
        assertEquals("first", deferred.await(Duration.ofSeconds(5)));
    }

    @Test
    void aSecondCompletionAfterFailureThrowsAndTheFailureStays() {
        Deferred<String> deferred = Deferred.create(loop);
        RuntimeException first = new RuntimeException("first (expected by the test)");
        deferred.fail(first);

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> deferred.succeed("late"));
        assertTrue(refused.getMessage().contains("already failed"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> deferred.fail(new RuntimeException("second")));
        CompletionException awaited = assertThrows(CompletionException.class, () -> deferred.await(Duration.ofSeconds(5)));
        assertSame(first, awaited.getCause());
    }

    @Test
    void failingWithNullIsRefusedAndLeavesItPending() {
        Deferred<String> deferred = Deferred.create(loop);
        assertThrows(NullPointerException.class, () -> deferred.fail(null));
        assertThrows(NullPointerException.class, () -> deferred.tryFail(null));
        assertFalse(deferred.isDone());
    }

    @RepeatedTest(20)
    void racingCompletersHaveExactlyOneWinnerAndCallbacksRunOnceWithItsValue() throws Exception {
        Deferred<Integer> deferred = Deferred.create(loop);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        CountDownLatch ran = new CountDownLatch(1);
        deferred.callback(seen::add).callback(v -> ran.countDown());
        AtomicInteger winners = new AtomicInteger();
        AtomicInteger winner = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] racers = new Thread[4];
        for (int i = 0; i < racers.length; i++) {
            int value = i;
            racers[i] = Thread.ofPlatform().start(() -> {
                try {
                    go.await(5, SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (deferred.trySucceed(value)) {
                    winners.incrementAndGet();
                    winner.set(value);
                }
            });
        }
        go.countDown();
        for (Thread racer : racers) {
            assertTrue(racer.join(Duration.ofSeconds(5)));
        }

        assertTrue(ran.await(5, SECONDS));
        assertEquals(1, winners.get());
        assertEquals(List.of(winner.get()), seen);
    }
}
