package dev.strand.pool;

import dev.strand.reactor.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A pool's idle resources, one stack per loop they were last returned on (and one for none), so
 * that a caller on a loop finds one of its loop's in O(1). Within a stack the most recently
 * returned comes first: busy resources stay warm and surplus ones sink to the bottom, where idle
 * eviction finds them. Guarded by the pool's lock.
 */
final class IdleResources<R> {

    private final ArrayDeque<Entry<R>> unbound = new ArrayDeque<>();
    /** Few keys: the loops of the reactors that use the pool. */
    private final Map<EventLoop, ArrayDeque<Entry<R>>> byLoop = new HashMap<>();
    private int size;

    int size() {
        return size;
    }

    void push(Entry<R> entry) {
        stackOf(entry.loop).addFirst(entry);
        size++;
    }

    /** One of {@code loop}'s, else one of none, else any; null when there is none. */
    Entry<R> take(EventLoop loop) {
        if (size == 0) {
            return null;
        }
        Entry<R> entry = null;
        if (loop != null) {
            ArrayDeque<Entry<R>> own = byLoop.get(loop);
            entry = own == null ? null : own.pollFirst();
        }
        if (entry == null) {
            entry = unbound.pollFirst();
        }
        if (entry == null) {
            for (ArrayDeque<Entry<R>> stack : byLoop.values()) {
                if ((entry = stack.pollFirst()) != null) {
                    break;
                }
            }
        }
        size--;
        return entry;
    }

    /**
     * Removes the entries {@code drop} accepts, visiting each stack from its least recently returned
     * end; {@link #size()} counts down as it goes, so {@code drop} may consult it.
     */
    void removeIf(Predicate<Entry<R>> drop) {
        removeIf(unbound, drop);
        for (ArrayDeque<Entry<R>> stack : byLoop.values()) {
            removeIf(stack, drop);
        }
    }

    private void removeIf(ArrayDeque<Entry<R>> stack, Predicate<Entry<R>> drop) {
        for (Iterator<Entry<R>> it = stack.descendingIterator(); it.hasNext(); ) {
            if (drop.test(it.next())) {
                it.remove();
                size--;
            }
        }
    }

    /** Forgets loops that have stopped; their idle resources count as returned off any loop. */
    void forgetStoppedLoops() {
        for (Iterator<Map.Entry<EventLoop, ArrayDeque<Entry<R>>>> it = byLoop.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<EventLoop, ArrayDeque<Entry<R>>> stack = it.next();
            if (stack.getKey().isStopping()) {
                for (Entry<R> entry : stack.getValue()) {
                    entry.loop = null;
                    unbound.addLast(entry);
                }
                it.remove();
            }
        }
    }

    /** Removes and returns them all. */
    List<Entry<R>> drain() {
        List<Entry<R>> all = new ArrayList<>(unbound);
        byLoop.values().forEach(all::addAll);
        unbound.clear();
        byLoop.clear();
        size = 0;
        return all;
    }

    private ArrayDeque<Entry<R>> stackOf(EventLoop loop) {
        return loop == null ? unbound : byLoop.computeIfAbsent(loop, l -> new ArrayDeque<>());
    }
}
