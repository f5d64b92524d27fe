package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A fiber that parks inside a class initializer cannot unmount, even on JDK 25 (JEP 491 freed
 * {@code synchronized}, not class initialization): it pins its carrier. The pinning check, in its
 * programmatic and its annotation form, fails naming the fiber and the initializer.
 *
 * <p>A class initializes once per JVM, so each case pins through a class of its own.
 */
class PinningCheckFailsOnAPinnedFiberTest {

    /** Parks its initializing thread for a millisecond: a fiber that initializes it is pinned. */
    static final class PinsOnce {
        static {
            parkBriefly();
        }

        static void touch() {
        }
    }

    static final class PinsOnceInASample {
        static {
            parkBriefly();
        }

        static void touch() {
        }
    }

    static final class PinsOnceUnderAFailingBody {
        static {
            parkBriefly();
        }

        static void touch() {
        }
    }

    static void parkBriefly() {
        try {
            Thread.sleep(Duration.ofMillis(1)); // a park: the fiber would unmount here if it could
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void onAFiber(Runnable task) {
        try {
            Thread.ofVirtual().name("pinning-fiber").start(task).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Sample
    @CheckPinning
    static class PinsInTheTest {
        @Test
        void test() {
            onAFiber(PinsOnceInASample::touch);
        }
    }

    @Test
    void assertNoPinningFailsNamingTheFiberAndTheInitializer() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> PinningCheck.assertNoPinning(() -> onAFiber(PinsOnce::touch)));
        String message = failure.getMessage();
        assertTrue(message.contains("pinned its carrier"), message);
        assertTrue(message.contains("\"pinning-fiber\""), message);
        assertTrue(message.contains("PinsOnce.<clinit>"), message);
    }

    @Test
    void checkPinningFailsTheTestInWhichAFiberPinned() {
        Throwable failure = Samples.failure(PinsInTheTest.class);
        assertInstanceOf(AssertionError.class, failure);
        assertTrue(failure.getMessage().contains("PinsOnceInASample.<clinit>"), failure.getMessage());
    }

    @Test
    void theBodysOwnFailureComesFirstWithThePinningSuppressed() {
        IllegalStateException thrown = new IllegalStateException("body");
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> PinningCheck.assertNoPinning(() -> {
            onAFiber(PinsOnceUnderAFailingBody::touch);
            throw thrown;
        }));
        assertSame(thrown, failure);
        assertTrue(failure.getSuppressed().length == 1
                && failure.getSuppressed()[0].getMessage().contains("PinsOnceUnderAFailingBody.<clinit>"),
                () -> java.util.Arrays.toString(failure.getSuppressed()));
    }
}
