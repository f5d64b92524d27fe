package dev.strand.reactor;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The loop's task hand-off: {@link EventLoop#execute} from another thread (one task and wait for it,
 * which includes waking a loop asleep in {@code select}; and a batch of tasks), and
 * {@link EventLoop#schedule} / {@link EventLoop#execute} called on the loop itself.
 *
 * <p>One benchmark thread against one loop thread: on a two-core machine each has a core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class TaskHandOffBenchmark {

    static final int BATCH = 1000;

    private Reactor reactor;
    private EventLoop loop;

    private volatile long done;
    private long sequence;
    /** Touched only on the loop. */
    private long onLoopCount;
    private final Runnable increment = () -> onLoopCount++;

    @Setup
    public void setUp() {
        reactor = Reactor.builder().loops(1).name("jmh-handoff").build();
        loop = reactor.loops().getFirst();
    }

    @TearDown
    public void tearDown() {
        reactor.close();
    }

    /** One task handed in from this thread, and the wait until the loop has run it. */
    @Benchmark
    public long executeRoundTrip() {
        long target = ++sequence;
        loop.execute(() -> done = target);
        return await(target);
    }

    /** Per task: a batch handed in back to back from this thread, then the wait for the last. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long executeBatch() {
        for (int i = 0; i < BATCH - 1; i++) {
            loop.execute(increment);
        }
        long target = ++sequence;
        loop.execute(() -> done = target);
        return await(target);
    }

    /** Per call: {@code schedule} on the loop, which runs the task at once. One hand-off per batch. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long scheduleOnLoop() {
        long target = ++sequence;
        loop.execute(() -> {
            for (int i = 0; i < BATCH; i++) {
                loop.schedule(increment);
            }
            done = target;
        });
        return await(target);
    }

    /** Per call: {@code execute} on the loop, which queues the task for this turn. One hand-off per batch. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long executeOnLoop() {
        long target = ++sequence;
        loop.execute(() -> {
            for (int i = 0; i < BATCH - 1; i++) {
                loop.execute(increment);
            }
            loop.execute(() -> done = target); // queued last: runs after the others
        });
        return await(target);
    }

    private long await(long target) {
        while (done != target) {
            Thread.onSpinWait();
        }
        return target;
    }
}
