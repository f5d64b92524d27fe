package dev.strand.reactor;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The fibers a loop carries, so that the stall watchdog can tell which one holds a stalled loop
 * (a carrier's stack trace does not show its fiber's frames).
 *
 * <p>Written only on the loop's thread, by each fiber as it starts and ends (a carried fiber runs
 * on its loop's thread): no lock, a slot per live fiber reused through a free list. Read from the
 * watchdog's thread, racily but safely: it may miss a fiber that has just started, which cannot
 * be the one that has held the loop for a whole stall threshold.
 */
final class CarriedFibers {

    private volatile AtomicReferenceArray<Thread> slots = new AtomicReferenceArray<>(16);
    private int[] free = new int[16];
    private int freeCount;
    /** Slots handed out so far; the rest of the array has never been used. */
    private int used;

    /** Lists {@code fiber}; returns its slot. On the loop's thread. */
    int enter(Thread fiber) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            AtomicReferenceArray<Thread> current = slots;
            if (used == current.length()) {
                AtomicReferenceArray<Thread> grown = new AtomicReferenceArray<>(current.length() * 2);
                for (int i = 0; i < used; i++) {
                    grown.setPlain(i, current.getPlain(i));
                }
                slots = grown;
            }
            slot = used++;
        }
        slots.setRelease(slot, fiber);
        return slot;
    }

    /** Unlists the fiber in {@code slot}. On the loop's thread. */
    void exit(int slot) {
        slots.setRelease(slot, null);
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
    }

    /** The fibers listed now, give or take those starting or ending meanwhile. Any thread. */
    Thread[] snapshot() {
        AtomicReferenceArray<Thread> current = slots;
        int n = current.length();
        Thread[] fibers = new Thread[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            Thread fiber = current.getAcquire(i);
            if (fiber != null) {
                fibers[count++] = fiber;
            }
        }
        return Arrays.copyOf(fibers, count);
    }
}
