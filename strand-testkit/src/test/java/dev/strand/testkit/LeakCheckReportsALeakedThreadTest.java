package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A test that leaves a non-daemon thread running fails its leak check, and the failure names the
 * thread and where it waits; a daemon thread that is not Strand's is not a leak.
 */
class LeakCheckReportsALeakedThreadTest {

    /** Holds the samples' threads until the test ends; fresh for each test. */
    static volatile CountDownLatch release = new CountDownLatch(1);

    @CheckLeaks(timeoutMillis = 200)
    @Sample
    static class LeavesAThread {
        @Test
        void test() {
            Thread.ofPlatform().name("left-behind").start(LeakCheckReportsALeakedThreadTest::awaitRelease);
        }
    }

    @CheckLeaks(timeoutMillis = 200)
    @Sample
    static class LeavesADaemonThread {
        @Test
        void test() {
            Thread.ofPlatform().name("daemon-left-behind").daemon().start(LeakCheckReportsALeakedThreadTest::awaitRelease);
        }
    }

    static void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @BeforeEach
    void hold() {
        release = new CountDownLatch(1);
    }

    @AfterEach
    void release() {
        release.countDown();
    }

    @Test
    void aLeftNonDaemonThreadFailsTheTestNamingIt() {
        Throwable failure = Samples.failure(LeavesAThread.class);
        assertInstanceOf(AssertionError.class, failure);
        String message = failure.getMessage();
        assertTrue(message.contains("thread \"left-behind\" (non-daemon, WAITING)"), message);
        assertTrue(message.contains("awaitRelease"), message);
    }

    @Test
    void aDaemonThreadOfTheTestsOwnIsNotALeak() {
        Samples.assertAllPassed(LeavesADaemonThread.class);
    }
}
