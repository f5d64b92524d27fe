package dev.strand.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadlineNarrowsButNeverExtendsTest {

    @Test
    void noDeadlineIsInForceOutsideABinding() {
        assertEquals(Optional.empty(), Deadline.current());
    }

    @Test
    void theBoundDeadlineIsInForceForTheCodeItRunsAndNoLonger() throws Exception {
        Deadline deadline = Deadline.after(Duration.ofMinutes(1));
        Optional<Deadline> inside = deadline.call(Deadline::current);

        assertSame(deadline, inside.orElseThrow());
        assertEquals(Optional.empty(), Deadline.current());
        Duration left = deadline.remaining();
        assertTrue(left.compareTo(Duration.ofMinutes(1)) <= 0 && left.compareTo(Duration.ofSeconds(30)) > 0, left.toString());
    }

    @Test
    void anInnerLaterDeadlineLeavesTheOuterOneInForce() {
        Deadline outer = Deadline.after(Duration.ofSeconds(1));
        Deadline later = Deadline.after(Duration.ofHours(1));
        Deadline earlier = Deadline.after(Duration.ofMillis(500));
        outer.run(() -> {
            later.run(() -> assertSame(outer, Deadline.current().orElseThrow()));
            earlier.run(() -> assertSame(earlier, Deadline.current().orElseThrow()));
            assertSame(outer, Deadline.current().orElseThrow());
        });
    }

    @Test
    void aPassedDeadlineHasNothingLeft() {
        Deadline passed = Deadline.after(Duration.ofMillis(-5));
        assertTrue(passed.isExpired());
        assertEquals(Duration.ZERO, passed.remaining());
        assertFalse(Deadline.after(Duration.ofDays(365 * 1000)).isExpired(), "a huge timeout must not overflow");
    }

    @Test
    void whatTheCodeThrowsPropagatesAndEndsTheBinding() {
        Deadline deadline = Deadline.after(Duration.ofSeconds(1));
        assertThrows(IllegalStateException.class, () -> deadline.run(() -> {
            throw new IllegalStateException("expected by the test");
        }));
        assertEquals(Optional.empty(), Deadline.current());
    }

    @Test
    void aFiberStartedUnderADeadlineDoesNotInheritIt() throws Exception {
        CompletableFuture<Optional<Deadline>> seen = new CompletableFuture<>();
        Deadline.after(Duration.ofSeconds(5)).run(() ->
                Thread.ofVirtual().start(() -> seen.complete(Deadline.current())));
        assertEquals(Optional.empty(), seen.get(5, TimeUnit.SECONDS));
    }
}
