package dev.strand.config;

import java.util.List;
import java.util.Optional;

/**
 * A configuration that cannot be used: an unknown key, a value that does not parse or is out of
 * range, a required setting with no value, an unreadable file. The message names each problem with
 * its key, its value and where it came from (secrets' values masked); {@link #problems()} lists them.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * One problem.
     *
     * @param key    the key as written in its source (a flag, a variable name, a file's key)
     * @param value  the value as written, masked for a secret; empty when there was none
     * @param source where it came from
     * @param reason what is wrong
     */
    public record Problem(String key, Optional<String> value, Source source, String reason) {
        @Override
        public String toString() {
            return key + value.map(v -> " = '" + v + "'").orElse("") + " (" + source + "): " + reason;
        }
    }

    private final transient List<Problem> problems;

    ConfigException(List<Problem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems found, in the order of the sources read. */
    public List<Problem> problems() {
        return problems;
    }

    private static String message(List<Problem> problems) {
        StringBuilder out = new StringBuilder("invalid configuration");
        if (problems.size() == 1) {
            return out.append(": ").append(problems.getFirst()).toString();
        }
        out.append(", ").append(problems.size()).append(" problems:");
        for (Problem problem : problems) {
            out.append("\n  ").append(problem);
        }
        return out.toString();
    }
}
