package dev.strand.reactor;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * What a fiber can do that is cheaper on its loop than through the JDK.
 */
public final class Fiber {

    private Fiber() {
    }

    /**
     * Parks the calling fiber for {@code duration}. On a fiber carried by a loop the wake-up is one
     * of the loop's own timers, so waking costs no hand-off between threads; anywhere else this is
     * {@link Thread#sleep(Duration)}. Any thread; never call it on a loop's own thread, which it
     * would block.
     *
     * @throws InterruptedException when the fiber is interrupted while it sleeps
     * @throws IllegalStateException when called on a loop's own thread
     */
    public static void sleep(Duration duration) throws InterruptedException {
        Thread self = Thread.currentThread();
        EventLoop loop = EventLoop.current().orElse(null);
        if (loop == null || !self.isVirtual()) {
            if (loop != null) {
                throw new IllegalStateException("sleeping would block " + loop);
            }
            Thread.sleep(duration);
            return;
        }
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        Wake wake = new Wake(self);
        Timer timer = loop.addTimer(duration, wake);
        try {
            while (!wake.done) {
                LockSupport.park(wake);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while sleeping");
                }
            }
        } finally {
            timer.cancel();
        }
    }

    /** Unparks the sleeper from the loop's timer phase, on the same thread: no wake-up needed. */
    private static final class Wake implements Runnable {
        final Thread sleeper;
        volatile boolean done;

        Wake(Thread sleeper) {
            this.sleeper = sleeper;
        }

        @Override
        public void run() {
            done = true;
            LockSupport.unpark(sleeper);
        }
    }
}
