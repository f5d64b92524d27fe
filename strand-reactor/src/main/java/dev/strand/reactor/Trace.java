package dev.strand.reactor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The ordered events of a {@link Simulation}: each timer, task and fiber resumption its loop ran,
 * and each step of its virtual clock, with a hash over all of them. The same seed and the same code
 * give the same trace, in this JVM and the next; two traces that differ name their first divergent
 * event ({@link #firstDivergence}).
 *
 * <p>An event names what ran by something stable across runs and JVMs: a fiber by the order in which
 * the simulation started it ({@code fiber-3}), a task by its class (a lambda's without the address
 * the JVM gives it), a step of the clock by its size. The hash covers every event; the list keeps
 * the first {@value #KEPT_EVENTS}.
 *
 * <p>Immutable once returned by {@link Simulation#trace()}; thread-safe.
 */
public final class Trace {

    /** Events kept for {@link #events()} and {@link #firstDivergence}; the hash covers all. */
    public static final int KEPT_EVENTS = 100_000;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final long hash;
    private final long size;
    private final List<String> events;
    /** Per kept event, its correlation or null. */
    private final List<String> correlations;

    private Trace(long hash, long size, List<String> events, List<String> correlations) {
        this.hash = hash;
        this.size = size;
        this.events = events;
        this.correlations = correlations;
    }

    /** A 64-bit hash (FNV-1a) over every event, in order. */
    public long hash() {
        return hash;
    }

    /** How many events there were. */
    public long size() {
        return size;
    }

    /** The first {@value #KEPT_EVENTS} events, in order; unmodifiable. */
    public List<String> events() {
        return events;
    }

    /**
     * The events (of those kept) tagged with correlation {@code name}, in order: what the code run
     * under {@link Simulation#correlate} caused, directly or through what it scheduled, with the
     * data noted meanwhile ({@code note …} events, such as a memory pipe's writes).
     */
    public List<String> correlated(String name) {
        List<String> tagged = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (name.equals(correlations.get(i))) {
                tagged.add(events.get(i));
            }
        }
        return Collections.unmodifiableList(tagged);
    }

    /**
     * Where this trace and {@code other} first differ: the event's position and both versions of it
     * (or the end of the shorter one); empty when they are the same.
     */
    public Optional<String> firstDivergence(Trace other) {
        if (hash == other.hash && size == other.size) {
            return Optional.empty();
        }
        int common = Math.min(events.size(), other.events.size());
        for (int i = 0; i < common; i++) {
            if (!events.get(i).equals(other.events.get(i))) {
                return Optional.of("event #" + i + ": '" + events.get(i) + "' here, '" + other.events.get(i)
                        + "' there" + context(i));
            }
        }
        if (events.size() != other.events.size()) {
            return Optional.of("event #" + common + ": "
                    + (events.size() > common ? "'" + events.get(common) + "' here, the end there"
                            : "the end here, '" + other.events.get(common) + "' there")
                    + context(common));
        }
        return Optional.of("beyond the " + KEPT_EVENTS + " events kept: " + size + " events here, " + other.size
                + " there, hashes " + Long.toHexString(hash) + " and " + Long.toHexString(other.hash));
    }

    private String context(int at) {
        return at == 0 ? "" : " (after '" + events.get(at - 1) + "')";
    }

    @Override
    public String toString() {
        return "trace of " + size + " events, hash " + Long.toHexString(hash);
    }

    /**
     * Records events as the simulated loop runs them: one writer (the loop's thread or a fiber it
     * carries, one at a time) and no lock, which a fiber could hold while unmounted and so stall its
     * own loop; {@link #snapshot} from any thread sees the events published so far.
     */
    static final class Recorder {
        private long hash = FNV_OFFSET;
        private String[] events = new String[256];
        private String[] correlations = new String[256];
        /** Events kept so far; written after each event, so that a reader sees whole ones. */
        private volatile int kept;
        private volatile long size;
        private volatile long publishedHash = FNV_OFFSET;

        /** Records {@code event}, tagged with {@code correlation} (null for none); the hash covers only the event. On the loop. */
        void record(String event, String correlation) {
            byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
            long h = hash;
            for (byte b : bytes) {
                h = (h ^ (b & 0xff)) * FNV_PRIME;
            }
            hash = (h ^ '\n') * FNV_PRIME;
            int n = kept;
            if (n < KEPT_EVENTS) {
                if (n == events.length) {
                    events = java.util.Arrays.copyOf(events, Math.min(KEPT_EVENTS, n * 2));
                    correlations = java.util.Arrays.copyOf(correlations, events.length);
                }
                events[n] = event;
                correlations[n] = correlation;
                kept = n + 1;
            }
            publishedHash = hash;
            size = size + 1;
        }

        /** The events so far. Any thread; exact when the loop is still (between runs, or called on it). */
        Trace snapshot() {
            long count = size;
            long h = publishedHash;
            int n = kept;
            String[] e = events;
            String[] c = correlations;
            n = Math.min(n, e.length);
            return new Trace(h, count, List.of(java.util.Arrays.copyOf(e, n)),
                    Collections.unmodifiableList(java.util.Arrays.asList(java.util.Arrays.copyOf(c, n))));
        }
    }
}
