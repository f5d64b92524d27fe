package dev.strand.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Strand's {@link Pool} against HikariCP 7, both over the same {@link StubDataSource}: {@code threads}
 * virtual threads (on the JDK's scheduler) released at once share {@link #ACQUIRES} turns: each
 * takes a connection, holds it ({@code hold}: CPU work, or a park like a query's round trip) and
 * returns it, contending for {@code connections}.
 * Both pools are filled before measuring and are given the same size as min idle and max.
 *
 * <p>The score is the time per acquire-and-return, all threads together (thread starts included,
 * the same for both). The secondary results are the spread of the individual waits (the time an
 * acquire took) over each iteration: {@code waitP50Micros}, {@code waitP99Micros},
 * {@code waitMaxMicros} — a fair pool keeps p99 and max close to the median.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PoolBenchmark {

    /** Per invocation, shared among the threads: 100 each for 1,000 threads, 10 each for 10,000. */
    static final int ACQUIRES = 100_000;
    /** CPU work while a connection is held: a few hundred nanoseconds. */
    static final int HOLD_TOKENS = 100;
    static final long HOLD_PARK_NANOS = 100_000;

    @Param({"strand", "hikari"})
    public String pool;

    @Param({"1000", "10000"})
    public int threads;

    @Param({"8", "50"})
    public int connections;

    /**
     * How a connection is held: {@code cpu}, a moment of CPU work (the pools' own cost dominates;
     * with two carriers, few connections are ever out at once); {@code park}, a 100 µs park, like a
     * query's round trip (the connections are the bottleneck, and the waits show how fairly they
     * are shared).
     */
    @Param({"cpu", "park"})
    public String hold;

    private Pool<Connection> strand;
    private HikariDataSource hikari;
    /** Each thread's waits, in its own slice: no sharing while measuring. */
    private long[] waits;
    private WaitHistogram iterationWaits;

    /** Who takes and returns a connection, once. */
    private interface Borrower {
        void borrowAndReturn() throws Exception;
    }

    private Borrower borrower;
    private boolean parkWhileHolding;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        StubDataSource dataSource = new StubDataSource();
        parkWhileHolding = switch (hold) {
            case "cpu" -> false;
            case "park" -> true;
            default -> throw new IllegalArgumentException("unknown hold " + hold);
        };
        Duration timeout = Duration.ofSeconds(30);
        switch (pool) {
            case "strand" -> {
                strand = Pool.builder("strand-bench", dataSource::getConnection)
                        .maxSize(connections).minIdle(connections).acquireTimeout(timeout).build();
                awaitFilled(() -> strand.metrics().idle());
                borrower = () -> {
                    try (var lease = strand.acquire()) {
                        use(lease.get());
                    }
                };
            }
            case "hikari" -> {
                HikariConfig config = new HikariConfig();
                config.setPoolName("hikari-bench");
                config.setDataSource(dataSource);
                config.setMaximumPoolSize(connections);
                config.setMinimumIdle(connections);
                config.setConnectionTimeout(timeout.toMillis());
                hikari = new HikariDataSource(config);
                awaitFilled(() -> hikari.getHikariPoolMXBean().getIdleConnections());
                borrower = () -> {
                    try (Connection connection = hikari.getConnection()) {
                        use(connection);
                    }
                };
            }
            default -> throw new IllegalArgumentException("unknown pool " + pool);
        }
        waits = new long[ACQUIRES];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (strand != null) {
            strand.close();
        }
        if (hikari != null) {
            hikari.close();
        }
    }

    @Setup(Level.Iteration)
    public void newIteration() {
        iterationWaits = new WaitHistogram();
    }

    /** The spread of the waits over the iteration, which JMH reads at its end. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class WaitSpread {
        public double waitP50Micros;
        public double waitP99Micros;
        public double waitMaxMicros;
    }

    /**
     * Per acquire-and-return: {@link #ACQUIRES} of them, by {@code threads} virtual threads released
     * together, each doing its share in a row.
     */
    @Benchmark
    @OperationsPerInvocation(ACQUIRES)
    public void contended(WaitSpread spread) throws Exception {
        int cycles = ACQUIRES / threads;
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] started = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int slice = t * cycles;
            started[t] = Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    for (int i = 0; i < cycles; i++) {
                        long start = System.nanoTime();
                        borrower.borrowAndReturn();
                        waits[slice + i] = System.nanoTime() - start;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        go.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(pool + " failed an acquire", failure.get());
        }
        iterationWaits.addAll(waits);
        spread.waitP50Micros = iterationWaits.quantileMicros(0.5);
        spread.waitP99Micros = iterationWaits.quantileMicros(0.99);
        spread.waitMaxMicros = iterationWaits.quantileMicros(1);
    }

    private void use(Connection connection) {
        if (parkWhileHolding) {
            LockSupport.parkNanos(connection, HOLD_PARK_NANOS);
        } else {
            Blackhole.consumeCPU(HOLD_TOKENS);
        }
    }

    private void awaitFilled(IntSupplier idle) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (idle.getAsInt() < connections) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(pool + " did not fill " + connections + " connections in 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
