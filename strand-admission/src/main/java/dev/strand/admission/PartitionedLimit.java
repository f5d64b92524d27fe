package dev.strand.admission;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A limit per partition (a tenant, a client, an API key): each partition has a limit of its own,
 * made by the factory the first time its key is seen, so a flood in one partition fills its own
 * queue and is turned away there while the others run as before. An HTTP route with a partition
 * function and this limit admits each request under its partition's limit.
 *
 * <pre>{@code
 * QosSwitch qos = QosSwitch.create();
 * PartitionedLimit perTenant = PartitionedLimit.builder(tenant -> FixedLimit.builder()
 *         .name("tenant " + tenant).permits(4).queueLength(16).qos(qos).build()).build();
 * routing.get("/reports", RouteOptions.builder()
 *         .partition(req -> req.header("X-Tenant").orElse("anonymous"))
 *         .limit(perTenant).build(), Reports::list);
 * }</pre>
 *
 * <p>Keys often come from clients, so their number is bounded ({@link Builder#maxPartitions}): past
 * it, new keys share one overflow partition, and a client that invents keys only crowds that one.
 * Partitions are kept for the life of the limit. Used directly, without a key, it acts as the
 * partition {@link #DEFAULT_PARTITION}.
 *
 * <p>Thread-safe; see {@link Limit} for the contract of each partition. The factory may be called
 * more than once for a key when threads race on its first request; one result is kept.
 */
public final class PartitionedLimit implements Limit {

    /** The partition of work that names none. */
    public static final String DEFAULT_PARTITION = "(default)";
    /** The partition every key past {@link Builder#maxPartitions} shares. */
    public static final String OVERFLOW_PARTITION = "(overflow)";

    private final String name;
    private final Function<String, Limit> factory;
    private final int maxPartitions;
    /**
     * Copied on write: a lookup is a volatile read and a hash lookup, and nothing locks, since event
     * loops look partitions up and must never wait on a lock. New keys are rare next to lookups.
     */
    private final AtomicReference<Map<String, Limit>> partitions = new AtomicReference<>(Map.of());

    private PartitionedLimit(Builder b) {
        this.name = b.name;
        this.factory = b.factory;
        this.maxPartitions = b.maxPartitions;
    }

    /**
     * A builder of partitions made by {@code factory}, which is called for each new key (and for the
     * default and overflow partitions) and must return a new limit each time; when threads race on
     * a key's first request it may be called more than once for it, and one result is kept.
     */
    public static Builder builder(Function<String, Limit> factory) {
        return new Builder(factory);
    }

    @Override
    public String name() {
        return name;
    }

    /** The limit of partition {@code key}: made now if new, the overflow partition past the bound. */
    @Override
    public Limit forPartition(String key) {
        Objects.requireNonNull(key, "key");
        Limit limit = partitions.get().get(key);
        return limit != null ? limit : add(key);
    }

    /**
     * Adds partition {@code key}, or the overflow partition past the bound. A racing thread may make
     * a limit that is then dropped unused: the factory must have no side effects beyond making it.
     */
    private Limit add(String key) {
        Limit made = null;
        String madeFor = null;
        while (true) {
            Map<String, Limit> now = partitions.get();
            int kept = now.size() - (now.containsKey(OVERFLOW_PARTITION) ? 1 : 0);
            String k = kept >= maxPartitions && !now.containsKey(key) ? OVERFLOW_PARTITION : key;
            Limit existing = now.get(k);
            if (existing != null) {
                return existing;
            }
            if (!k.equals(madeFor)) {
                made = make(k);
                madeFor = k;
            }
            Map<String, Limit> more = new HashMap<>(now);
            more.put(k, made);
            if (partitions.compareAndSet(now, Map.copyOf(more))) {
                return made;
            }
        }
    }

    private Limit make(String key) {
        Limit limit = Objects.requireNonNull(factory.apply(key), "the partition factory returned null");
        if (limit == this || limit instanceof PartitionedLimit) {
            throw new IllegalArgumentException("a partition's limit must be a limit of its own, not partitioned");
        }
        return limit;
    }

    @Override
    public Optional<Permit> tryAcquire() {
        return forPartition(DEFAULT_PARTITION).tryAcquire();
    }

    @Override
    public Permit acquire(QosClass qos) {
        return forPartition(DEFAULT_PARTITION).acquire(qos);
    }

    @Override
    public CompletableFuture<Permit> acquireAsync(QosClass qos) {
        return forPartition(DEFAULT_PARTITION).acquireAsync(qos);
    }

    /**
     * The sum over partitions: limit, in flight, queued and the counts added up; the level is the
     * first partition's (normal when there is none).
     */
    @Override
    public LimitStats stats() {
        int limit = 0, inFlight = 0, queued = 0;
        long admitted = 0, rejected = 0, timedOut = 0, expired = 0, dropped = 0;
        QosLevel level = null;
        for (Limit partition : partitions.get().values()) {
            LimitStats s = partition.stats();
            level = level == null ? s.level() : level;
            limit += s.limit();
            inFlight += s.inFlight();
            queued += s.queued();
            admitted += s.admitted();
            rejected += s.rejected();
            timedOut += s.timedOut();
            expired += s.expired();
            dropped += s.dropped();
        }
        return new LimitStats(name, level == null ? QosLevel.NORMAL : level, limit, inFlight, queued,
                admitted, rejected, timedOut, expired, dropped);
    }

    /** Each partition's stats, by key, in no particular order. */
    public Map<String, LimitStats> partitions() {
        Map<String, LimitStats> all = new LinkedHashMap<>();
        partitions.get().forEach((key, limit) -> all.put(key, limit.stats()));
        return all;
    }

    @Override
    public String toString() {
        return "PartitionedLimit[" + name + ", " + partitions.get().size() + " partitions]";
    }

    /** Builds a {@link PartitionedLimit}. Not thread-safe. */
    public static final class Builder {
        private final Function<String, Limit> factory;
        private String name = "partitioned";
        private int maxPartitions = 1_024;

        private Builder(Function<String, Limit> factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
        }

        /** The name of the whole; each partition's limit has its own. */
        public Builder name(String name) {
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("a limit's name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * How many partitions it keeps apart, the overflow partition not counted; 1,024 by default.
         *
         * @throws IllegalArgumentException when less than one
         */
        public Builder maxPartitions(int max) {
            this.maxPartitions = LimitBuilder.atLeastOne(max, "maxPartitions");
            return this;
        }

        /** The limit. */
        public PartitionedLimit build() {
            return new PartitionedLimit(this);
        }
    }
}
