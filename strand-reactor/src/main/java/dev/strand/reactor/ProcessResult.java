package dev.strand.reactor;

import java.util.Objects;

/**
 * How a command run by {@link EventLoop#system} ended: its exit code and what it wrote.
 *
 * @param exitCode  the process's exit code; by convention 0 means success. A process killed by a
 *                  signal on Unix reports 128 plus the signal's number
 * @param output    standard output and standard error, merged as the process wrote them, decoded as
 *                  UTF-8 (malformed bytes become U+FFFD); at most {@link #MAX_OUTPUT_BYTES} bytes of it
 * @param truncated whether the process wrote more than {@link #MAX_OUTPUT_BYTES} bytes: the rest was
 *                  read and dropped, so that the process never blocked on a full pipe
 */
public record ProcessResult(int exitCode, String output, boolean truncated) {

    /** The most output kept: 1 MiB. */
    public static final int MAX_OUTPUT_BYTES = 1 << 20;

    /**
     * Checks the output is there. Any thread.
     *
     * @throws NullPointerException when {@code output} is null
     */
    public ProcessResult {
        Objects.requireNonNull(output, "output");
    }

    /** Whether the exit code is 0. Any thread. */
    public boolean succeeded() {
        return exitCode == 0;
    }
}
