package dev.strand.pool;

import dev.strand.reactor.EventLoop;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A pool's idle resources, without locks: one stack per loop they were last returned on (and one
 * for none), so that a caller on a loop finds one of its loop's in O(1). Within a stack the most
 * recently returned comes first: busy resources stay warm and surplus ones sink to the bottom,
 * where idle eviction finds them. An entry is taken by popping it and then claiming it
 * ({@link Entry#claim()}), so it goes to one taker only, even against the upkeep fiber retiring it.
 */
final class IdleResources<R> {

    private final ConcurrentLinkedDeque<Entry<R>> unbound = new ConcurrentLinkedDeque<>();
    /** Few keys: the loops of the reactors that use the pool. */
    private final Map<EventLoop, ConcurrentLinkedDeque<Entry<R>>> byLoop = new ConcurrentHashMap<>();
    /** Every stack, {@code unbound} first: what a caller looks through when its own loop has none. */
    private final AtomicReference<List<ConcurrentLinkedDeque<Entry<R>>>> stacks = new AtomicReference<>(List.of(unbound));
    private final AtomicInteger size = new AtomicInteger();

    int size() {
        return size.get();
    }

    /** Makes {@code entry}, owned by the caller, idle as its loop's. */
    void push(Entry<R> entry) {
        entry.markIdle();
        size.incrementAndGet();
        EventLoop loop = entry.loop;
        if (loop == null) {
            unbound.addFirst(entry);
            return;
        }
        ConcurrentLinkedDeque<Entry<R>> stack = byLoop.computeIfAbsent(loop, this::newStack);
        stack.addFirst(entry);
        // The upkeep fiber may have dropped this loop's stack meanwhile (see forgetStoppedLoops): then
        // either it moved the entry already, or this sees the loop stopping and moves it.
        if (loop.isStopping() && stack.removeFirstOccurrence(entry)) {
            unbound.addFirst(entry);
        }
    }

    /** Claims one of {@code loop}'s, else one of none, else any; null when there is none. */
    Entry<R> poll(EventLoop loop) {
        if (size.get() <= 0) {
            return null;
        }
        Entry<R> entry = null;
        if (loop != null) {
            ConcurrentLinkedDeque<Entry<R>> own = byLoop.get(loop);
            if (own != null) {
                entry = claimFrom(own);
            }
        }
        if (entry == null) {
            for (ConcurrentLinkedDeque<Entry<R>> stack : stacks.get()) {
                if ((entry = claimFrom(stack)) != null) {
                    break;
                }
            }
        }
        return entry;
    }

    private Entry<R> claimFrom(ConcurrentLinkedDeque<Entry<R>> stack) {
        Entry<R> entry;
        while ((entry = stack.pollFirst()) != null) {
            if (entry.claim()) {
                size.decrementAndGet();
                return entry;
            }
        }
        return null;
    }

    /**
     * Retires the idle entries {@code retire} accepts, visiting each stack from its least recently
     * returned end, and passes them to {@code retired}; {@link #size()} counts down as it goes, so
     * {@code retire} may consult it.
     */
    void retireIf(Predicate<Entry<R>> retire, Consumer<Entry<R>> retired) {
        for (ConcurrentLinkedDeque<Entry<R>> stack : stacks.get()) {
            for (Iterator<Entry<R>> it = stack.descendingIterator(); it.hasNext(); ) {
                Entry<R> entry = it.next();
                if (entry.isIdle() && retire.test(entry) && entry.claimToRetire()) {
                    it.remove();
                    size.decrementAndGet();
                    retired.accept(entry);
                }
            }
        }
    }

    /** Drops the stacks of loops that have stopped; their entries count as returned off any loop. */
    void forgetStoppedLoops() {
        for (Map.Entry<EventLoop, ConcurrentLinkedDeque<Entry<R>>> stack : byLoop.entrySet()) {
            if (stack.getKey().isStopping() && byLoop.remove(stack.getKey(), stack.getValue())) {
                stacks.updateAndGet(all -> all.stream().filter(s -> s != stack.getValue()).toList());
                Entry<R> entry;
                while ((entry = stack.getValue().pollLast()) != null) {
                    entry.loop = null;
                    unbound.addLast(entry);
                }
            }
        }
    }

    /** Claims them all. */
    List<Entry<R>> drain() {
        List<Entry<R>> all = new ArrayList<>();
        Entry<R> entry;
        while ((entry = poll(null)) != null) {
            all.add(entry);
        }
        return all;
    }

    private ConcurrentLinkedDeque<Entry<R>> newStack(EventLoop loop) {
        ConcurrentLinkedDeque<Entry<R>> stack = new ConcurrentLinkedDeque<>();
        stacks.updateAndGet(all -> {
            List<ConcurrentLinkedDeque<Entry<R>>> more = new ArrayList<>(all);
            more.add(stack);
            return List.copyOf(more);
        });
        return stack;
    }
}
