package dev.strand.admission;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

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
 * queued work starts at once, on the thread that set it (its callbacks run there).
 */
public final class QosSwitch {

    private volatile QosLevel level = QosLevel.NORMAL;
    private final ReentrantLock lock = new ReentrantLock();
    /** Weak, so that limits made per partition or per test do not live as long as the switch. */
    private final List<WeakReference<QueuedLimit>> limits = new ArrayList<>();

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
        List<QueuedLimit> toWake = new ArrayList<>();
        QosLevel old;
        lock.lock();
        try {
            old = level;
            level = newLevel;
            limits.removeIf(ref -> {
                QueuedLimit limit = ref.get();
                if (limit != null) {
                    toWake.add(limit);
                }
                return limit == null;
            });
        } finally {
            lock.unlock();
        }
        for (QueuedLimit limit : toWake) {
            limit.levelChanged();
        }
        return old;
    }

    void register(QueuedLimit limit) {
        lock.lock();
        try {
            limits.add(new WeakReference<>(limit));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "QosSwitch[" + level + "]";
    }
}
