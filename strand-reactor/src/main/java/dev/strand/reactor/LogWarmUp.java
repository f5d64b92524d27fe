package dev.strand.reactor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.TimeZone;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Loads what the process's first log record will need before it is needed, off the startup path.
 *
 * <p>The first record java.util.logging formats reads the time-zone rules from
 * {@code lib/tzdb.dat}. A server that has run out of file descriptors when it first logs (an
 * accept failing at the limit) cannot open that file, and the class that failed to load it stays
 * broken: every later record throws {@link NoClassDefFoundError}. So the reactor's background
 * setup thread, once per JVM and {@link TimerWakeup#SETUP_DELAY} after the first loop starts (off
 * the way to the first response; see {@link TimerWakeup#offer}), loads the zone rules and, when
 * java.util.logging is the backend, formats a throwaway record with a stack trace. When
 * descriptors are short at that moment it waits and tries again rather than break the zone data
 * itself.
 */
final class LogWarmUp {

    /** Tries while descriptors are short, a second apart. */
    private static final int ATTEMPTS = 30;
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final CountDownLatch DONE = new CountDownLatch(1);

    private LogWarmUp() {
    }

    /** Warms up now, or as soon as descriptors allow; on the background setup thread. Never throws. */
    static void runWhenDescriptorsAllow() {
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                if (descriptorsAvailable()) {
                    warmUp();
                    return;
                }
                Thread.sleep(RETRY); // a deliberate pause before trying again, on a background thread
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            // best effort: the loops' reporting copes with a logger that fails
        } finally {
            DONE.countDown();
        }
    }

    /** Whether the zone data can be opened now; false only when the process seems out of descriptors. */
    private static boolean descriptorsAvailable() {
        try {
            FileChannel.open(Path.of(System.getProperty("java.home"), "lib", "tzdb.dat")).close();
            return true;
        } catch (NoSuchFileException e) {
            return true; // not where we looked: nothing to wait for
        } catch (IOException e) {
            return false;
        }
    }

    /** Loads the zone rules and, with java.util.logging as the backend, its formatting. Never throws. */
    static void warmUp() {
        try {
            TimeZone.getDefault();
            ZoneId.systemDefault().getRules();
        } catch (Throwable t) {
            // best effort
        }
        try {
            if (System.LoggerFinder.getLoggerFinder().getClass().getName().startsWith("sun.util.logging.")) {
                formatAThrowawayRecord();
            }
        } catch (Throwable t) {
            // best effort
        }
    }

    /**
     * Initialises the root handlers and formats a record with a stack trace through
     * java.util.logging's default formatter, by reflection: this module does not require
     * java.logging.
     */
    private static void formatAThrowawayRecord() throws ReflectiveOperationException {
        Class<?> logger = Class.forName("java.util.logging.Logger");
        logger.getMethod("getHandlers").invoke(logger.getMethod("getLogger", String.class).invoke(null, ""));
        Class<?> level = Class.forName("java.util.logging.Level");
        Class<?> record = Class.forName("java.util.logging.LogRecord");
        Object warmUp = record.getConstructor(level, String.class).newInstance(level.getField("SEVERE").get(null), "warm-up");
        record.getMethod("setThrown", Throwable.class).invoke(warmUp, new Throwable("warm-up"));
        Class<?> formatter = Class.forName("java.util.logging.SimpleFormatter");
        formatter.getMethod("format", record).invoke(formatter.getConstructor().newInstance(), warmUp);
    }

    /** For tests: waits up to {@code timeout} for the warm-up to end; whether it did. */
    static boolean awaitDone(Duration timeout) throws InterruptedException {
        return DONE.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
