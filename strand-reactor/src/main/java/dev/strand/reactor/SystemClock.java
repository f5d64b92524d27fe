package dev.strand.reactor;

/** The JDK's clocks; an enum for a lambda-free singleton on the way to a server's first response. */
enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public String toString() {
        return "the system clock";
    }
}
