package dev.strand.reactor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Test helper: records what one logger (java.util.logging backs System.Logger here) writes, and keeps it out of the test output. */
final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogCapture(String loggerName) {
        this.logger = Logger.getLogger(loggerName);
        logger.addHandler(this);
        logger.setUseParentHandlers(false);
    }

    /** The messages recorded so far. */
    List<String> messages() {
        return records.stream().map(LogRecord::getMessage).toList();
    }

    /** The messages recorded so far that contain {@code text}. */
    List<String> messagesWith(String text) {
        return messages().stream().filter(m -> m.contains(text)).toList();
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
        logger.setUseParentHandlers(true);
    }
}
