package dev.strand.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When out-of-memory errors count as persistent, on a clock the test moves; the halt is recorded, not done. */
class OutOfMemoryGuardTest {

    private final AtomicLong clock = new AtomicLong(5_000_000_000L);
    private final List<Integer> halts = new ArrayList<>();

    private OutOfMemoryGuard guard(OutOfMemoryPolicy policy) {
        return new OutOfMemoryGuard("test", policy, clock::get, halts::add);
    }

    private void advance(Duration by) {
        clock.addAndGet(by.toNanos());
    }

    @Test
    void threeWithinTenSecondsHaltWithStatus3() {
        OutOfMemoryGuard guard = guard(OutOfMemoryPolicy.HALT_WHEN_PERSISTENT);
        guard.record();
        advance(Duration.ofSeconds(4));
        guard.record();
        assertEquals(List.of(), halts, "two are not persistent");
        advance(Duration.ofSeconds(6));
        guard.record();
        assertEquals(List.of(3), halts);
    }

    @Test
    void threeSpreadOverMoreThanTenSecondsAreSurvived() {
        OutOfMemoryGuard guard = guard(OutOfMemoryPolicy.HALT_WHEN_PERSISTENT);
        for (int i = 0; i < 10; i++) {
            guard.record();
            advance(Duration.ofMillis(5_001)); // any three span more than 10 s
        }
        assertEquals(List.of(), halts);
    }

    @Test
    void surviveNeverHalts() {
        OutOfMemoryGuard guard = guard(OutOfMemoryPolicy.SURVIVE);
        for (int i = 0; i < 100; i++) {
            guard.record();
        }
        assertEquals(List.of(), halts);
    }
}
