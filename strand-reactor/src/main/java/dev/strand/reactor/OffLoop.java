package dev.strand.reactor;

import java.util.Optional;

/**
 * Keeps work that may wait (the JVM's signal table, the JDK's file-watch thread) off a loop's own
 * thread, which must never block. Fibers, even those a loop carries, may wait: they park and free
 * their carrier.
 */
final class OffLoop {

    private static final System.Logger LOG = System.getLogger(OffLoop.class.getName());

    private OffLoop() {
    }

    /** The loop whose own thread the caller is, if it is one. Any thread. */
    static Optional<EventLoop> loopThread() {
        return Thread.currentThread().isVirtual() ? Optional.empty() : EventLoop.current();
    }

    /**
     * Throws when the caller is a loop's own thread.
     *
     * @throws IllegalStateException naming {@code what} and the loop
     */
    static void require(String what) {
        Optional<EventLoop> loop = loopThread();
        if (loop.isPresent()) {
            throw new IllegalStateException(what + " may wait, which would block " + loop.get()
                    + "; call it from a fiber or another thread");
        }
    }

    /**
     * Runs {@code release} now off a loop, or on a new virtual thread (of the JDK's scheduler) when
     * called on a loop's own thread. A failure is logged at WARNING as from {@code component}. Never
     * throws. Any thread.
     */
    static void release(String component, Runnable release) {
        Runnable logged = () -> {
            try {
                release.run();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, component + ": releasing a registration failed", t);
            }
        };
        if (loopThread().isEmpty()) {
            logged.run();
            return;
        }
        try {
            Thread.ofVirtual().name("strand-release").start(logged);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, component + ": could not start the thread to release a registration", t);
        }
    }
}
