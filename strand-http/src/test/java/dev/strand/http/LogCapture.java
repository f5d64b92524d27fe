package dev.strand.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the log records of Strand's loggers (System.Logger, backed by JUL here) while open;
 * for tests that pin down what is logged at which level.
 */
// Public for the tests of dev.strand.http.internal; a test helper, so its JUL types in an exported
// package are no one's concern.
@SuppressWarnings("exports")
public final class LogCapture extends Handler implements AutoCloseable {

    /** Held strongly: JUL keeps loggers weakly, and a collected logger would lose this handler. */
    private final Logger logger = Logger.getLogger("dev.strand");
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    public LogCapture() {
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /**
     * Records at {@code level} or above, as "LEVEL logger: message" lines; without the stall
     * watchdog's reports, which say the machine was slow (a cold first request on a loaded CI
     * core can hold a loop past 100 ms), not what the code under test logged.
     */
    public List<String> atOrAbove(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue())
                .filter(r -> !"dev.strand.reactor.StallWatchdog".equals(r.getLoggerName()))
                .map(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()
                        + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")"))
                .toList();
    }

    /** Forgets the records so far. */
    public void clear() {
        records.clear();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
