package dev.strand.admission;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class BuildersRejectBadArgumentsTest {

    /** What every limit's builder shares, checked on each kind. */
    private static final List<Supplier<? extends LimitBuilder<?, ?>>> BUILDERS =
            List.of(FixedLimit::builder, AimdLimit::builder, GradientLimit::builder);

    @Test
    void queueLengthMustNotBeNegative() {
        for (var b : BUILDERS) {
            assertThrows(IllegalArgumentException.class, () -> b.get().queueLength(-1));
            assertThrows(IllegalArgumentException.class, () -> b.get().queueLength(Integer.MIN_VALUE));
            assertDoesNotThrow(() -> b.get().queueLength(0).build(), "zero means no queue");
        }
    }

    @Test
    void durationsMustBePositive() {
        for (var b : BUILDERS) {
            assertThrows(IllegalArgumentException.class, () -> b.get().queueTimeout(Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> b.get().queueTimeout(Duration.ofMillis(-1)));
            assertThrows(IllegalArgumentException.class, () -> b.get().retryAfter(Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> b.get().retryAfter(Duration.ofSeconds(-1)));
            assertThrows(NullPointerException.class, () -> b.get().queueTimeout(null));
        }
        assertThrows(IllegalArgumentException.class, () -> AimdLimit.builder().timeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> GradientLimit.builder().probeInterval(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> GradientLimit.builder().probeInterval(Duration.ofNanos(-1)));
    }

    @Test
    void namesMustNotBeBlankAndTheSwitchAndClockNotNull() {
        for (var b : BUILDERS) {
            assertThrows(IllegalArgumentException.class, () -> b.get().name(" "));
            assertThrows(IllegalArgumentException.class, () -> b.get().name(""));
            assertThrows(NullPointerException.class, () -> b.get().name(null));
            assertThrows(NullPointerException.class, () -> b.get().qos(null));
            assertThrows(NullPointerException.class, () -> b.get().clock(null));
        }
        assertThrows(IllegalArgumentException.class, () -> PartitionedLimit.builder(k -> null).name(" "));
        assertThrows(NullPointerException.class, () -> PartitionedLimit.builder(null));
    }

    @Test
    void countsMustBeAtLeastOne() {
        assertThrows(IllegalArgumentException.class, () -> FixedLimit.builder().permits(0));
        assertThrows(IllegalArgumentException.class, () -> FixedLimit.builder().permits(-3));
        assertThrows(IllegalArgumentException.class, () -> AimdLimit.builder().initial(0));
        assertThrows(IllegalArgumentException.class, () -> AimdLimit.builder().min(0));
        assertThrows(IllegalArgumentException.class, () -> AimdLimit.builder().max(0));
        assertThrows(IllegalArgumentException.class, () -> GradientLimit.builder().initial(0));
        assertThrows(IllegalArgumentException.class, () -> GradientLimit.builder().min(0));
        assertThrows(IllegalArgumentException.class, () -> GradientLimit.builder().max(0));
        assertThrows(IllegalArgumentException.class, () -> PartitionedLimit.builder(k -> null).maxPartitions(0));
    }

    @Test
    void minMustNotBeAboveMax() {
        assertThrows(IllegalArgumentException.class, () -> AimdLimit.builder().min(10).max(9).build());
        assertThrows(IllegalArgumentException.class, () -> GradientLimit.builder().min(10).max(9).build());
        assertDoesNotThrow(() -> AimdLimit.builder().min(9).max(9).build());
        assertDoesNotThrow(() -> GradientLimit.builder().min(9).max(9).build());
    }

    @Test
    void backoffMustBeAFactorBelowOneAndNotBelowAHalf() {
        for (double bad : new double[] {0.49, 1.0, 1.5, 0, -0.9, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> AimdLimit.builder().backoff(bad), "aimd " + bad);
            assertThrows(IllegalArgumentException.class, () -> GradientLimit.builder().backoff(bad), "gradient " + bad);
        }
        assertDoesNotThrow(() -> AimdLimit.builder().backoff(0.99).build());
        assertDoesNotThrow(() -> GradientLimit.builder().backoff(0.5).build());
    }

    @Test
    void toleranceMustBeBetweenOneAndTen() {
        for (double bad : new double[] {0.99, 10.01, 0, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> GradientLimit.builder().tolerance(bad), "tolerance " + bad);
        }
        assertDoesNotThrow(() -> GradientLimit.builder().tolerance(1.0).tolerance(10.0).build());
    }
}
