package dev.strand.reactor;

/**
 * The system clock, except that a test may stop it for a while: frozen, it reads the same instant,
 * and thawed it goes on from that instant (the time it stood still is never seen). For tests whose
 * outcome must not depend on how long a stretch of code took on a loaded machine.
 */
final class FreezableClock implements Clock {

    private long offset;
    private long frozenAt;
    private boolean frozen;

    @Override
    public synchronized long nanoTime() {
        return frozen ? frozenAt : System.nanoTime() - offset;
    }

    @Override
    public synchronized long currentTimeMillis() {
        return System.currentTimeMillis() - offset / 1_000_000;
    }

    /** Stops the clock at the current instant. */
    synchronized void freeze() {
        if (!frozen) {
            frozenAt = System.nanoTime() - offset;
            frozen = true;
        }
    }

    /** Lets the clock run again from where it stopped. */
    synchronized void thaw() {
        if (frozen) {
            offset = System.nanoTime() - frozenAt;
            frozen = false;
        }
    }
}
