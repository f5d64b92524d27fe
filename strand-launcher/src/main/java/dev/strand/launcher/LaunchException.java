package dev.strand.launcher;

/**
 * The launch did not happen: bad flags, a bad configuration, an application that cannot be loaded
 * or that failed to start. The message says what and where; {@link #exitCode()} is what the
 * {@code strand} command exits with (2 for usage and configuration, 1 for a failed start).
 */
public final class LaunchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    LaunchException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The process's exit status for this failure. */
    public int exitCode() {
        return exitCode;
    }
}
