package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link EventLoop#watchProcess}: EventMachine's {@code watch_process}, completed on the loop. */
class WatchProcessCompletesOnTheLoopWhenItExitsTest {

    private Reactor reactor;
    private EventLoop loop;
    private Thread loopThread;

    @BeforeEach
    void start() {
        assumeTrue(new File("/bin/sh").canExecute(), "needs a Unix shell");
        reactor = Reactor.builder().loops(1).name("watch").build();
        loop = reactor.loops().getFirst();
        loopThread = Loops.thread(loop);
    }

    @AfterEach
    void stop() {
        if (reactor != null) {
            reactor.close();
        }
    }

    @Test
    void aWatchedChildGivesItsExitCodeToACallbackOnTheLoop() throws Exception {
        Process child = new ProcessBuilder("sh", "-c", "exit 7").start();
        CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();

        loop.watchProcess(child).callback(code -> {
            ranOn.complete(Thread.currentThread());
            exitCode.complete(code);
        });

        assertEquals(7, exitCode.get(5, SECONDS));
        assertSame(loopThread, ranOn.get(5, SECONDS));
    }

    @Test
    void aWatchedHandleCompletesOnlyWhenTheProcessExits() throws Exception {
        // Reads its input until it ends: alive until the test closes that input.
        Process child = new ProcessBuilder("sh", "-c", "cat > /dev/null").start();
        try {
            Deferred<ProcessHandle> exited = loop.watchProcess(child.toHandle());
            CompletableFuture<ProcessHandle> handle = new CompletableFuture<>();
            CompletableFuture<Thread> ranOn = new CompletableFuture<>();
            exited.callback(h -> {
                ranOn.complete(Thread.currentThread());
                handle.complete(h);
            });
            assertFalse(exited.isDone());

            child.getOutputStream().close();

            assertEquals(child.pid(), handle.get(5, SECONDS).pid());
            assertFalse(handle.get().isAlive());
            assertSame(loopThread, ranOn.get(5, SECONDS));
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void watchingTheCurrentProcessIsRefused() {
        assertThrows(IllegalStateException.class, () -> loop.watchProcess(ProcessHandle.current()));
    }
}
