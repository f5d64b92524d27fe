package dev.strand.config;

import java.util.Objects;

/**
 * Where a setting's value came from: the kind of source and, for messages, exactly where in it
 * ({@code strand.yaml:12}, {@code STRAND_SERVER_PORT}, {@code --server.port}).
 *
 * @param kind   the kind, which also orders precedence: a later kind overrides an earlier one
 * @param detail where in that source, empty for a default
 */
public record Source(Kind kind, String detail) {

    /** The kinds of source, lowest precedence first. */
    public enum Kind {
        /** The setting's own default. */
        DEFAULT,
        /** A configuration file. */
        FILE,
        /** An environment variable. */
        ENVIRONMENT,
        /** A command-line flag. */
        COMMAND_LINE
    }

    public Source {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** The default of a setting. */
    public static Source defaults() {
        return new Source(Kind.DEFAULT, "");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DEFAULT -> "default";
            case FILE -> "file " + detail;
            case ENVIRONMENT -> "environment variable " + detail;
            case COMMAND_LINE -> "command line " + detail;
        };
    }
}
