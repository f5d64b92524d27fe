package dev.strand.reactor;

import java.nio.file.Path;

/**
 * A file or directory being watched; see {@link Reactor#watch}. {@link #cancel()} (or
 * {@link #close()}) stops it: EventMachine's {@code stop_watching}.
 *
 * <p>Thread-safe.
 */
public interface FileWatch extends Registration {

    /** The watched path, as given to {@link Reactor#watch}. Any thread. */
    Path path();
}
