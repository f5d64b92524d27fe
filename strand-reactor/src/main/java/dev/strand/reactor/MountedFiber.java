package dev.strand.reactor;

import java.lang.reflect.Field;
import java.util.Optional;

/**
 * Finds which fiber is mounted on a carrier thread. The one place that reads a virtual thread's
 * carrier by reflection ({@code java.lang.VirtualThread.carrierThread}, reachable when
 * {@code java.lang} is opened to this module, as it is wherever loops carry fibers); when that
 * field cannot be read, it falls back on the fiber's description, which names its carrier while
 * it is mounted ({@code VirtualThread[#42]/runnable@loop-name}).
 */
final class MountedFiber {

    /** Null when the field cannot be read in this JVM. */
    private static final Field CARRIER = carrierField();

    private MountedFiber() {
    }

    /** The fiber among {@code fibers} mounted on {@code carrier}, if any. Never throws. Any thread. */
    static Optional<Thread> on(Thread carrier, Thread[] fibers) {
        String suffix = "@".concat(carrier.getName());
        for (Thread fiber : fibers) {
            try {
                if (CARRIER != null ? CARRIER.get(fiber) == carrier : fiber.toString().endsWith(suffix)) {
                    return Optional.of(fiber);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Not readable after all: this fiber's description decides.
                if (fiber.toString().endsWith(suffix)) {
                    return Optional.of(fiber);
                }
            }
        }
        return Optional.empty();
    }

    private static Field carrierField() {
        try {
            Field field = Class.forName("java.lang.VirtualThread").getDeclaredField("carrierThread");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // java.lang not opened (then no loop carries fibers), or a JDK without the field.
            System.getLogger(MountedFiber.class.getName()).log(System.Logger.Level.DEBUG,
                    "Strand stall watchdog: fibers are found by their description, not their carrier field", e);
            return null;
        }
    }
}
