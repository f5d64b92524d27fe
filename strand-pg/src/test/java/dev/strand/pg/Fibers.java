package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.EventLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Runs many fibers on loops and collects what each returned or threw; for tests. */
final class Fibers {

    private Fibers() {
    }

    /** Starts {@code count} fibers on {@code loops} in turn, waits for all, and returns each one's result or Throwable. */
    static List<Object> run(List<EventLoop> loops, int count, IntFunction<Object> body) throws InterruptedException {
        Object[] outcomes = new Object[count];
        CountDownLatch done = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            int n = i;
            loops.get(i % loops.size()).startFiber(() -> {
                try {
                    outcomes[n] = body.apply(n);
                } catch (Throwable t) {
                    outcomes[n] = t;
                } finally {
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "every fiber finished within 30 s");
        return new ArrayList<>(Arrays.asList(outcomes));
    }
}
