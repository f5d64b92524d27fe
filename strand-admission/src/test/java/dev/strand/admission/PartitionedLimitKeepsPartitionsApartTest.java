package dev.strand.admission;

import static dev.strand.admission.Admission.PATIENCE;
import static dev.strand.admission.Admission.closeAll;
import static dev.strand.admission.Admission.freePermits;
import static dev.strand.admission.Admission.rejectionOf;
import static dev.strand.admission.Admission.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PartitionedLimitKeepsPartitionsApartTest {

    private final Map<String, AtomicInteger> made = new ConcurrentHashMap<>();

    private Function<String, Limit> factory(int permits, int queue) {
        return key -> {
            made.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return FixedLimit.builder().name("tenant " + key).permits(permits).queueLength(queue).build();
        };
    }

    @Test
    void fillingOnePartitionLeavesTheOthersAlone() {
        PartitionedLimit limit = PartitionedLimit.builder(factory(2, 1)).name("tenants").build();
        Limit a = limit.forPartition("a");
        Limit b = limit.forPartition("b");
        assertNotSame(a, b);
        assertEquals("tenant a", a.name());
        assertEquals("tenants", limit.name());

        List<Permit> inA = take(a, 2);
        var queuedInA = a.acquireAsync(QosClass.STANDARD);
        assertEquals(AdmissionException.Reason.QUEUE_FULL, rejectionOf(a.acquireAsync(QosClass.STANDARD)).reason());
        assertTrue(a.tryAcquire().isEmpty());

        assertEquals(2, freePermits(b), "b is untouched by a's flood");
        Permit inB = b.acquire();
        assertEquals(1, b.stats().inFlight());
        assertEquals(0, b.stats().queued());
        assertEquals(0, b.stats().rejected());

        inB.close();
        queuedInA.cancel(false);
        closeAll(inA);
    }

    @Test
    void theFactoryIsCalledOncePerKey() {
        PartitionedLimit limit = PartitionedLimit.builder(factory(2, 1)).build();
        for (int i = 0; i < 1_000; i++) {
            Limit l = limit.forPartition("key " + (i % 10));
            assertSame(l, limit.forPartition("key " + (i % 10)));
        }
        limit.tryAcquire().orElseThrow().close();
        limit.tryAcquire().orElseThrow().close();
        assertEquals(11, made.size(), "ten keys and the default partition");
        made.forEach((key, calls) -> assertEquals(1, calls.get(), key));
    }

    /**
     * Threads asking for new keys at once all get the one limit kept for each key. (Whether the
     * factory may then be called more than once for a key is left open here: the class comment
     * allows it, {@link PartitionedLimit#builder}'s says once per key.)
     */
    @Test
    void threadsAskingForANewKeyAtOnceAllGetTheSameLimit() throws Exception {
        PartitionedLimit limit = PartitionedLimit.builder(factory(2, 1)).build();
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        Map<String, Set<Limit>> seen = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                all.add(pool.submit(() -> {
                    start.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    for (int i = 0; i < 1_000; i++) {
                        String key = "key " + (i % 50);
                        seen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(limit.forPartition(key));
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        assertEquals(50, limit.partitions().size());
        seen.forEach((key, limits) -> {
            assertEquals(1, limits.size(), key + ": every caller got the same limit");
            assertSame(limit.forPartition(key), limits.iterator().next(), key);
        });
    }

    @Test
    void pastMaxPartitionsNewKeysShareTheOverflowPartition() {
        PartitionedLimit limit = PartitionedLimit.builder(factory(1, 0)).maxPartitions(2).build();
        Limit a = limit.forPartition("a");
        Limit b = limit.forPartition("b");
        Limit c = limit.forPartition("c");
        Limit d = limit.forPartition("d");
        assertNotSame(a, b);
        assertSame(c, d, "keys past the bound share one partition");
        assertNotSame(a, c);
        assertSame(a, limit.forPartition("a"), "a kept partition stays its key's");
        assertEquals(Set.of("a", "b", PartitionedLimit.OVERFLOW_PARTITION), limit.partitions().keySet());
        assertEquals(1, made.get(PartitionedLimit.OVERFLOW_PARTITION).get(), "the overflow partition is made once");
        assertTrue(made.get("c") == null && made.get("d") == null, "no limit is made for an overflowing key");

        Permit inC = c.acquire();
        assertEquals(AdmissionException.Reason.QUEUE_FULL,
                assertThrows(AdmissionException.class, d::acquire).reason(), "c and d share the overflow's permit");
        assertEquals(1, freePermits(a));
        inC.close();
    }

    /**
     * "Keys often come from clients, so their number is bounded": new keys arriving together must not
     * slip past the bound between its check and the partition's creation. The factory takes a moment
     * (as one that registers metrics might), which is when the others check the bound.
     */
    @Test
    void keysArrivingTogetherDoNotSlipPastMaxPartitions() throws Exception {
        int threads = 8;
        Function<String, Limit> slowFactory = key -> {
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            return FixedLimit.builder().name(key).permits(1).build();
        };
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int round = 0; round < 20; round++) {
                PartitionedLimit limit = PartitionedLimit.builder(slowFactory).maxPartitions(2).build();
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<?>> all = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String key = "client " + t;
                    all.add(pool.submit(() -> {
                        start.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                        return limit.forPartition(key);
                    }));
                }
                for (Future<?> f : all) {
                    f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                }
                Set<String> kept = new java.util.TreeSet<>(limit.partitions().keySet());
                kept.remove(PartitionedLimit.OVERFLOW_PARTITION);
                assertTrue(kept.size() <= 2, "round " + round + ": " + kept.size() + " partitions kept apart, max 2: " + kept);
            }
        }
    }

    @Test
    void usedWithoutAKeyItIsTheDefaultPartition() {
        PartitionedLimit limit = PartitionedLimit.builder(factory(2, 0)).build();
        Permit p = limit.acquire();
        assertEquals(Set.of(PartitionedLimit.DEFAULT_PARTITION), limit.partitions().keySet());
        assertSame(limit.forPartition(PartitionedLimit.DEFAULT_PARTITION).tryAcquire().orElseThrow().getClass(), p.getClass());
        assertEquals(2, limit.forPartition(PartitionedLimit.DEFAULT_PARTITION).stats().inFlight());
        assertTrue(limit.tryAcquire().isEmpty());
        assertEquals(AdmissionException.Reason.QUEUE_FULL, rejectionOf(limit.acquireAsync(QosClass.STANDARD)).reason());
    }

    @Test
    void itsStatsAreTheSumOfItsPartitions() {
        PartitionedLimit limit = PartitionedLimit.builder(factory(3, 0)).name("sum").build();
        assertEquals(new LimitStats("sum", QosLevel.NORMAL, 0, 0, 0, 0, 0, 0, 0, 0), limit.stats(), "no partition yet");

        List<Permit> inA = take(limit.forPartition("a"), 3);
        List<Permit> inB = take(limit.forPartition("b"), 1);
        rejectionOf(limit.forPartition("a").acquireAsync(QosClass.STANDARD));
        inB.getFirst().dropped();

        LimitStats stats = limit.stats();
        assertEquals("sum", stats.name());
        assertEquals(6, stats.limit());
        assertEquals(3, stats.inFlight());
        assertEquals(0, stats.queued());
        assertEquals(4, stats.admitted());
        assertEquals(1, stats.rejected());
        assertEquals(1, stats.dropped());
        assertEquals(3, limit.partitions().get("a").inFlight());
        assertEquals(0, limit.partitions().get("b").inFlight());
        closeAll(inA);
    }

    @Test
    void aPartitionsQosSwitchGovernsEveryPartition() {
        QosSwitch qos = QosSwitch.create();
        PartitionedLimit limit = PartitionedLimit.builder(
                key -> FixedLimit.builder().name(key).permits(4).qos(qos).build()).build();
        Limit a = limit.forPartition("a");
        qos.level(QosLevel.CRAWL);
        Limit b = limit.forPartition("b"); // made after the level was set
        assertEquals(1, freePermits(a));
        assertEquals(1, freePermits(b));
        assertEquals(QosLevel.CRAWL, limit.stats().level());
        assertEquals(2, limit.stats().limit());
    }

    @Test
    void aFactoryThatReturnsAPartitionedLimitIsRefused() {
        PartitionedLimit inner = PartitionedLimit.builder(factory(1, 0)).build();
        PartitionedLimit nested = PartitionedLimit.builder(key -> inner).build();
        assertThrows(IllegalArgumentException.class, () -> nested.forPartition("a"));
        assertThrows(IllegalArgumentException.class, nested::tryAcquire, "the default partition too");
        assertTrue(nested.partitions().isEmpty(), "nothing was kept");

        PartitionedLimit returnsNull = PartitionedLimit.builder(key -> null).build();
        assertThrows(NullPointerException.class, () -> returnsNull.forPartition("a"));
    }
}
