package dev.strand.reactor;

/**
 * Receives the events of a file watch; see {@link Reactor#watch}. EventMachine's
 * {@code FileWatch} callbacks ({@code file_modified}, {@code file_moved}, {@code file_deleted}) in
 * one method.
 */
@FunctionalInterface
public interface FileWatchHandler {

    /**
     * Handles one event. On the watch's loop, one event at a time and in the order the operating
     * system reported them; it must not block. What it throws is contained like any task's
     * ({@link Failure#TASK}: counted and logged), and the watch goes on.
     */
    void handle(FileEvent event);
}
