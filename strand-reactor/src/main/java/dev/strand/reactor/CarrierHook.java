package dev.strand.reactor;

import java.lang.reflect.Constructor;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one place that knows how to make a loop the carrier of its virtual threads.
 *
 * <p>JDK 25 has no public API for a virtual-thread scheduler; its package-private
 * {@code ThreadBuilders.VirtualThreadBuilder(Executor)} constructor is the known route (Netty's
 * experiments use the same). It needs {@code java.lang} opened to this module. The hook is probed
 * once per JVM; when it does not work, callers fall back to the JDK's scheduler.
 */
final class CarrierHook {

    private static final System.Logger LOG = System.getLogger("dev.strand.reactor.CarrierHook");
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    /** Probed on first use, outside CarrierHook's own initialisation: the probe thread runs our lambdas. */
    private static final class Holder {
        static final Probe PROBE = probe();
    }

    private record Probe(Optional<Constructor<?>> constructor, String failure) {
    }

    private CarrierHook() {
    }

    /** Whether virtual threads can be given a scheduler of ours in this JVM. */
    static boolean available() {
        return Holder.PROBE.constructor.isPresent();
    }

    /** Why the hook is unavailable, or an empty string. */
    static String failure() {
        return Holder.PROBE.failure;
    }

    /**
     * A thread factory for virtual threads whose continuations run on {@code scheduler}.
     *
     * @throws IllegalStateException when the hook is unavailable
     */
    static ThreadFactory factory(Executor scheduler, Thread.UncaughtExceptionHandler handler) {
        Constructor<?> ctor = Holder.PROBE.constructor.orElseThrow(
                () -> new IllegalStateException("loop-carrier hook unavailable: " + Holder.PROBE.failure));
        try {
            var builder = (Thread.Builder.OfVirtual) ctor.newInstance(scheduler);
            return builder.uncaughtExceptionHandler(handler).factory();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("loop-carrier hook failed", e);
        }
    }

    /** Logs, once per JVM, that fibers run on the JDK's scheduler and why. */
    static void logFallbackOnce(String why) {
        if (FALLBACK_LOGGED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING,
                    "Strand reactor: loops cannot carry fibers (" + why + "); fibers run on the JDK's "
                            + "default scheduler. Add --add-opens java.base/java.lang=ALL-UNNAMED "
                            + "(or =dev.strand.reactor on the module path) to enable loop carriers.");
        }
    }

    private static Probe probe() {
        try {
            Class<?> type = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> ctor = type.getDeclaredConstructor(Executor.class);
            ctor.setAccessible(true);
            // Prove it: a virtual thread given a direct executor must run on the caller's thread.
            boolean[] ran = new boolean[1];
            var builder = (Thread.Builder.OfVirtual) ctor.newInstance((Executor) Runnable::run);
            Thread[] probe = new Thread[1];
            Thread platform = Thread.ofPlatform().name("strand-carrier-probe").start(() -> {
                probe[0] = builder.unstarted(() -> ran[0] = Thread.currentThread().isVirtual());
                probe[0].start();
            });
            // Bounded: a probe that hangs means the hook does not work here.
            if (!platform.join(java.time.Duration.ofSeconds(5)) || !ran[0] || probe[0].isAlive()) {
                return new Probe(Optional.empty(), "a probe fiber did not run on its given scheduler");
            }
            return new Probe(Optional.of(ctor), "");
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Probe(Optional.empty(), e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(Optional.empty(), "interrupted while probing");
        }
    }
}
