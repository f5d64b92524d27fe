package dev.strand.reactor;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A change seen by a file watch ({@link Reactor#watch}): what happened, and to which path.
 * Immutable; any thread.
 *
 * @param kind what happened
 * @param path the file or directory it happened to: the watched path resolved against the entry's
 *             name when a directory is watched; the watched path itself when a single file is
 *             watched, and for {@link Kind#OVERFLOW}
 */
public record FileEvent(Kind kind, Path path) {

    /**
     * A file event.
     *
     * @throws NullPointerException when an argument is null
     */
    public FileEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
    }

    /** What happened. */
    public enum Kind {
        /** The entry appeared: created, or moved (renamed) in. */
        CREATED,
        /** The entry's content or attributes changed; one write may be reported as several. */
        MODIFIED,
        /**
         * The entry went away: deleted, or moved (renamed) out. A rename within a watched directory
         * is a {@code DELETED} of the old name and a {@code CREATED} of the new one: the JDK does
         * not say which two belong together.
         */
        DELETED,
        /**
         * Events were lost: the operating system's queue overflowed, or the watch's loop fell more
         * than {@value FileWatcher#MAX_UNDELIVERED} events behind. Look at the watched path again
         * rather than rely on the events.
         */
        OVERFLOW
    }
}
