package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import sun.misc.SignalHandler;

/**
 * Real signals sent to this JVM ({@code kill -HUP <pid>}) run their traps' handlers on the traps'
 * loops. Only signals whose trap (or a handler of the test's own) is in place are sent: untrapped,
 * HUP, USR1 and USR2 would end the test JVM. TERM and INT are tested in a child JVM
 * ({@link TrappedTermRunsOnALoopAndExitsWithItsCodeTest}).
 */
class SignalTrapsRunOnTheirLoopsTest {

    /** Sends {@code signal} to this JVM with the kill command, and waits for the command to end. */
    static void kill(Signal signal) throws Exception {
        kill(signal, ProcessHandle.current().pid());
    }

    static void kill(Signal signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal.name(), Long.toString(pid))
                .redirectErrorStream(true).start();
        assertTrue(kill.waitFor(5, SECONDS), "kill did not end within 5 s");
        String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, kill.exitValue(), "kill -" + signal + " " + pid + ": " + out);
    }

    @Test
    void aHupRunsTheTrapOnOneOfItsReactorsLoops() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(2).name("hup").build()) {
            CompletableFuture<EventLoop> ranOn = new CompletableFuture<>();
            Registration trap = reactor.onSignal(Signal.HUP,
                    () -> ranOn.complete(EventLoop.current().filter(EventLoop::inLoop).orElse(null)));
            try {
                kill(Signal.HUP);
                EventLoop loop = ranOn.get(5, SECONDS);
                assertTrue(loop != null && reactor.loops().contains(loop), "ran on " + loop);
            } finally {
                trap.cancel();
            }
            assertTrue(trap.isCancelled());
        }
    }

    @Test
    void everyTrapForASignalRunsEachOnItsOwnReactorsLoop() throws Exception {
        try (Reactor first = Reactor.builder().loops(1).name("usr1-a").build();
             Reactor second = Reactor.builder().loops(1).name("usr1-b").build()) {
            CompletableFuture<EventLoop> onFirst = new CompletableFuture<>();
            CompletableFuture<EventLoop> onSecond = new CompletableFuture<>();
            first.onSignal(Signal.USR1, () -> onFirst.complete(EventLoop.current().orElse(null)));
            second.onSignal(Signal.USR1, () -> onSecond.complete(EventLoop.current().orElse(null)));

            kill(Signal.USR1);

            assertSame(first.loops().getFirst(), onFirst.get(5, SECONDS));
            assertSame(second.loops().getFirst(), onSecond.get(5, SECONDS));
        } // closing the reactors cancels their traps
    }

    @RepeatedTest(3)
    void cancellingTheLastTrapPutsBackTheHandlerItDisplaced() throws Exception {
        sun.misc.Signal usr2 = new sun.misc.Signal("USR2");
        CountDownLatch mineRan = new CountDownLatch(1);
        SignalHandler mine = signal -> mineRan.countDown();
        SignalHandler original = sun.misc.Signal.handle(usr2, mine);
        try (Reactor reactor = Reactor.builder().loops(1).name("usr2").build()) {
            CountDownLatch trapRan = new CountDownLatch(1);
            Registration trap = reactor.onSignal(Signal.USR2, trapRan::countDown);

            kill(Signal.USR2);
            assertTrue(trapRan.await(5, SECONDS), "the trap did not run");
            assertEquals(1, mineRan.getCount(), "the displaced handler ran while trapped");

            trap.cancel();
            kill(Signal.USR2);
            assertTrue(mineRan.await(5, SECONDS), "the displaced handler was not put back");
        } finally {
            sun.misc.Signal.handle(usr2, original);
        }
    }

    @Test
    void signalsArrivingWhileARunIsQueuedAreFoldedIntoIt() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).name("usr1-fold").stallWatchdog(false).build()) {
            EventLoop loop = reactor.loops().getFirst();
            AtomicInteger runs = new AtomicInteger();
            reactor.onSignal(Signal.USR1, runs::incrementAndGet);
            AtomicBoolean release = new AtomicBoolean();
            CompletableFuture<Void> holding = new CompletableFuture<>();
            loop.execute(() -> {
                holding.complete(null);
                long giveUp = System.nanoTime() + SECONDS.toNanos(5);
                while (!release.get() && System.nanoTime() - giveUp < 0) {
                    Thread.onSpinWait();
                }
            });
            holding.get(5, SECONDS);
            sun.misc.Signal usr1 = new sun.misc.Signal("USR1");
            try {
                // What the JVM's handler thread does for each signal, three times while the loop is busy.
                for (int i = 0; i < 3; i++) {
                    SignalTraps.dispatch(usr1);
                }
            } finally {
                release.set(true);
            }
            Loops.run(loop, () -> { }); // queued after the trap's run
            assertEquals(1, runs.get(), "three signals queued one run");

            SignalTraps.dispatch(usr1);
            Loops.run(loop, () -> { });
            assertEquals(2, runs.get(), "a signal after the run started queued another");
        }
    }

    @Test
    void aHandlerThatThrowsIsCountedAndTheTrapStays() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).name("hup-throws").build();
             LogCapture log = new LogCapture(EventLoop.class.getName())) {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch ranOnce = new CountDownLatch(1);
            CountDownLatch ranTwice = new CountDownLatch(2);
            reactor.onSignal(Signal.HUP, () -> {
                ranOnce.countDown();
                ranTwice.countDown();
                if (runs.incrementAndGet() == 1) {
                    throw new IllegalStateException("expected by the test");
                }
            });

            kill(Signal.HUP);
            assertTrue(ranOnce.await(5, SECONDS), "the handler did not run");
            // Queued after the failing run: once it has run, that failure has been counted.
            Loops.run(reactor.loops().getFirst(), () -> { });
            assertEquals(1, reactor.failures(Failure.TASK));
            assertEquals(1, log.messagesWith("a task failed").size(), log.messages().toString());

            kill(Signal.HUP);
            assertTrue(ranTwice.await(5, SECONDS), "the trap did not run again after its handler threw");
        }
    }

    @Test
    void trappingOnALoopsOwnThreadIsRefusedButAFiberMay() throws Exception {
        try (Reactor reactor = Reactor.builder().loops(1).name("trap-on-loop").build()) {
            EventLoop loop = reactor.loops().getFirst();
            IllegalStateException refused = Loops.call(loop,
                    () -> assertThrows(IllegalStateException.class, () -> reactor.onSignal(Signal.HUP, () -> { })));
            assertTrue(refused.getMessage().contains(loop.toString()), refused.getMessage());

            CompletableFuture<Registration> fromFiber = new CompletableFuture<>();
            loop.startFiber(() -> {
                try {
                    fromFiber.complete(reactor.onSignal(Signal.USR1, () -> { }));
                } catch (Throwable t) {
                    fromFiber.completeExceptionally(t);
                }
            });
            Registration trap = fromFiber.get(5, SECONDS);
            assertFalse(trap.isCancelled());
            trap.cancel();
        }
    }

    @Test
    void aStoppedReactorCancelsItsTrapsAndRefusesNewOnes() {
        Reactor reactor = Reactor.builder().loops(1).name("trap-stopped").build();
        Registration trap = reactor.onSignal(Signal.USR1, () -> { });
        reactor.close();
        assertTrue(trap.isCancelled());
        assertThrows(java.util.concurrent.RejectedExecutionException.class,
                () -> reactor.onSignal(Signal.USR1, () -> { }));
    }
}
