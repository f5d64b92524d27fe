package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link EventLoop#system}: EventMachine's {@code system}, with real child processes. */
class SystemRunsACommandOffTheLoopTest {

    private Reactor reactor;
    private EventLoop loop;
    private Thread loopThread;

    @BeforeEach
    void start() {
        assumeTrue(new File("/bin/sh").canExecute(), "needs a Unix shell");
        // One offload thread: a test that leaves a process holding it would show in the next step.
        reactor = Reactor.builder().loops(1).name("system").offloadThreads(1).build();
        loop = reactor.loops().getFirst();
        loopThread = Loops.thread(loop);
    }

    @AfterEach
    void stop() {
        if (reactor != null) {
            reactor.close();
        }
    }

    private static ProcessResult await(Deferred<ProcessResult> deferred) {
        return deferred.await(Duration.ofSeconds(5));
    }

    @Test
    void aShellCommandGivesItsExitCodeAndOutputToACallbackOnTheLoop() throws Exception {
        CompletableFuture<ProcessResult> result = new CompletableFuture<>();
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();

        loop.system("sh", "-c", "echo hi; exit 3").callback(r -> {
            ranOn.complete(Thread.currentThread());
            result.complete(r);
        });

        ProcessResult r = result.get(5, SECONDS);
        assertEquals(3, r.exitCode());
        assertEquals("hi\n", r.output());
        assertFalse(r.truncated());
        assertFalse(r.succeeded());
        assertSame(loopThread, ranOn.get(5, SECONDS));
    }

    @Test
    void trueSucceedsAndFalseExitsWithOne() {
        ProcessResult yes = await(loop.system("true"));
        ProcessResult no = await(loop.system("false"));
        assertEquals(0, yes.exitCode());
        assertTrue(yes.succeeded());
        assertEquals("", yes.output());
        assertEquals(1, no.exitCode());
    }

    @Test
    void standardErrorIsMergedIntoTheOutput() {
        ProcessResult r = await(loop.system("sh", "-c", "echo out; echo err 1>&2"));
        assertEquals("out\nerr\n", r.output());
    }

    @Test
    void aCommandThatDoesNotExistFailsTheErrbackWithTheIOException() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        loop.system("strand-no-such-command-7f3e").errback(failure::complete);

        IOException thrown = assertInstanceOf(IOException.class, failure.get(5, SECONDS));
        assertTrue(thrown.getMessage().contains("strand-no-such-command-7f3e"), thrown.getMessage());
    }

    @Test
    void outputBeyondOneMebibyteIsTruncatedAndFlaggedAndTheProcessStillEnds() {
        ProcessResult r = await(loop.system("head", "-c", "3000000", "/dev/zero"));
        assertEquals(0, r.exitCode(), "the process blocked on a full pipe, or failed");
        assertTrue(r.truncated());
        assertEquals(ProcessResult.MAX_OUTPUT_BYTES, r.output().length());
    }

    @Test
    void standardInputIsClosedSoACommandReadingItEnds() {
        ProcessResult r = await(loop.system("cat"));
        assertEquals(0, r.exitCode());
        assertEquals("", r.output());
    }

    @Test
    void aCommandThatTimesOutIsKilledAndFreesItsOffloadThread() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        loop.system("sleep", "30").timeout(Duration.ofMillis(100)).errback(failure::complete);

        assertInstanceOf(TimedOut.class, failure.get(5, SECONDS));
        // The only offload thread was reading the killed process's output: it must be free again.
        assertEquals(0, await(loop.system("true")).exitCode());
    }

    @Test
    void anEmptyCommandIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> loop.system());
        assertThrows(NullPointerException.class, () -> loop.system("echo", null));
    }
}
