package dev.strand.reactor;

import static dev.strand.reactor.Loops.ms;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class StoppedReactorRejectsWorkTest {

    @Test
    void stopReturnsTrueAndEveryLoopThreadEnds() throws InterruptedException {
        Reactor reactor = Reactor.builder().loops(2).build();
        try {
            List<Thread> threads = reactor.loops().stream().map(Loops::thread).toList();
            assertTrue(reactor.loops().stream().noneMatch(EventLoop::isStopping));

            assertTrue(reactor.stop(Duration.ofSeconds(5)));

            assertTrue(reactor.loops().stream().allMatch(EventLoop::isStopping));
            for (Thread thread : threads) {
                assertTrue(thread.join(Duration.ofSeconds(5)), thread + " still runs");
            }
            assertTrue(reactor.stop(Duration.ofSeconds(1)), "a second stop");
        } finally {
            reactor.close(); // idempotent
        }
    }

    @Test
    void workHandedInBeforeStopStillRunsOnTheLoop() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).build()) {
            EventLoop loop = reactor.loops().getFirst();
            Thread loopThread = Loops.thread(loop);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch gate = new CountDownLatch(1);
            loop.execute(() -> {
                held.countDown();
                try {
                    gate.await(5, SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(held.await(5, SECONDS));
            List<Thread> ranOn = new CopyOnWriteArrayList<>();
            loop.execute(() -> ranOn.add(Thread.currentThread()));
            loop.execute(() -> ranOn.add(Thread.currentThread()));
            loop.stop(); // what Reactor.stop does first; the loop is still held by the gate task
            gate.countDown();

            assertTrue(reactor.stop(Duration.ofSeconds(5)));
            // The loop left its run loop with these two still queued; it runs them as it shuts down.
            assertEquals(List.of(loopThread, loopThread), ranOn);
        }
    }

    @Test
    void workHandedInAfterTheLoopThreadEndedIsRejected() throws InterruptedException {
        Reactor reactor = Reactor.builder().loops(1).build();
        EventLoop loop = reactor.loops().getFirst();
        Thread loopThread = Loops.thread(loop);
        assertTrue(reactor.stop(Duration.ofSeconds(5)));
        assertTrue(loopThread.join(Duration.ofSeconds(5)));

        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
        assertThrows(RejectedExecutionException.class, () -> loop.nextTick(() -> { }));
        assertThrows(RejectedExecutionException.class, () -> loop.schedule(() -> { }));
        assertThrows(RejectedExecutionException.class, () -> loop.addTimer(ms(1), () -> { }));
        assertThrows(RejectedExecutionException.class, () -> loop.addPeriodicTimer(ms(1), () -> { }));
    }

    @Test
    void aFiberParkedWhenItsLoopStopsStillFinishes() throws Exception {
        Reactor reactor = Reactor.builder().loops(1).build();
        EventLoop loop = reactor.loops().getFirst();
        Thread loopThread = Loops.thread(loop);
        CompletableFuture<String> value = new CompletableFuture<>();
        CountDownLatch parked = new CountDownLatch(1);
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread fiber = loop.startFiber(() -> {
            parked.countDown();
            try {
                result.complete(value.get(5, SECONDS));
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        assertTrue(parked.await(5, SECONDS));
        assertTrue(reactor.stop(Duration.ofSeconds(5)));
        assertTrue(loopThread.join(Duration.ofSeconds(5)));

        value.complete("after the loop ended");

        assertEquals("after the loop ended", result.get(5, SECONDS));
        assertTrue(fiber.join(Duration.ofSeconds(5)));
    }

    @Test
    void executeRightAfterStopReturnsIsRejected() {
        for (int i = 0; i < 200; i++) {
            Reactor reactor = Reactor.builder().loops(1).build();
            EventLoop loop = reactor.loops().getFirst();
            Loops.run(loop, () -> { }); // the loop is up and turning
            assertTrue(reactor.stop(Duration.ofSeconds(5)));
            int attempt = i;
            assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }),
                    "attempt " + attempt + ": execute after stop() returned true was accepted");
        }
    }
}
