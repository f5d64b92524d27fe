package dev.strand.admission;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link QosLevel} an operator sets for a group of limits, at run time: by API, and in the demo
 * by an admin route and a signal. Give the switch to each limit it governs
 * ({@link LimitBuilder#qos}); a partitioned limit's factory gives it to every partition.
 *
 * <pre>{@code
 * QosSwitch qos = QosSwitch.create();
 * Limit db = FixedLimit.builder().permits(16).qos(qos).build();
 * ...
 * qos.level(QosLevel.SLOW);   // every limit on the switch admits half as much, from now on
 * }</pre>
 *
 * <p>Thread-safe. Setting a level takes effect at once for new work; when the new level admits more,
 * queued work starts at once, on the thread that set it (its callbacks run there). Two threads that
 * set levels at the same moment leave one of the two in force.
 */
public final class QosSwitch {

    private volatile QosLevel level = QosLevel.NORMAL;
    /**
     * Weak, so that limits made per partition or per test do not live as long as the switch. Copied
     * on write without a lock: limits register from event loops too, which must never wait on a lock.
     */
    private final AtomicReference<List<WeakReference<QueuedLimit>>> limits = new AtomicReference<>(List.of());

    private QosSwitch() {
    }

    /** A switch at {@link QosLevel#NORMAL}. */
    public static QosSwitch create() {
        return new QosSwitch();
    }

    /** The level in force. Any thread. */
    public QosLevel level() {
        return level;
    }

    /**
     * Sets the level for every limit on this switch and lets queued work start where the new level
     * allows it. Any thread.
     *
     * @return the level that was in force before
     */
    public QosLevel level(QosLevel newLevel) {
        Objects.requireNonNull(newLevel, "newLevel");
        QosLevel old = level;
        level = newLevel;
        List<WeakReference<QueuedLimit>> registered = limits.get();
        boolean gone = false;
        for (WeakReference<QueuedLimit> ref : registered) {
            QueuedLimit limit = ref.get();
            if (limit == null) {
                gone = true;
            } else {
                limit.levelChanged();
            }
        }
        if (gone) {
            limits.updateAndGet(list -> list.stream().filter(ref -> ref.get() != null).toList());
        }
        return old;
    }

    void register(QueuedLimit limit) {
        WeakReference<QueuedLimit> ref = new WeakReference<>(limit);
        limits.updateAndGet(list -> {
            List<WeakReference<QueuedLimit>> more = new ArrayList<>(list.size() + 1);
            for (WeakReference<QueuedLimit> r : list) {
                if (r.get() != null) {
                    more.add(r);
                }
            }
            more.add(ref);
            return List.copyOf(more);
        });
    }

    @Override
    public String toString() {
        return "QosSwitch[" + level + "]";
    }
}
