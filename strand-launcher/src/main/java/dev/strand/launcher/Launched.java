package dev.strand.launcher;

import java.util.Optional;

/**
 * A running application, as {@link Strand#launch} started it. {@link #close()} stops it: gracefully
 * for the launcher's HTTP server (requests in flight finish within {@code server.grace-period}), and
 * by closing what a {@link Service} returned. Thread-safe; close is idempotent.
 */
public interface Launched extends AutoCloseable {

    /**
     * The port the launcher's HTTP server listens on; for a {@link Service}, the port of the
     * {@link dev.strand.http.HttpServer} or {@code Launched} its {@code start} returned, else empty.
     */
    Optional<Integer> port();

    /** What was launched, for messages: the application's class name. */
    String name();

    /** Stops it; never throws (a failure to stop is reported on standard error). */
    @Override
    void close();
}
