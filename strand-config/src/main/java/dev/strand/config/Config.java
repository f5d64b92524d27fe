package dev.strand.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An effective configuration: each known {@link Setting}'s value and where it came from, read from
 * a file, environment variables and command-line flags — a later source overriding an earlier one
 * (flags over environment over file over defaults). Immutable and thread-safe once loaded.
 *
 * <pre>{@code
 * Setting<Integer> PORT = Setting.integer("server.port").defaultValue(8080)
 *         .require(p -> p > 0 && p < 65_536, "between 1 and 65535");
 * Config config = Config.builder(List.of(PORT))
 *         .file(Path.of("strand.yaml"))          // server: {port: 9000}
 *         .environment(System.getenv())          // STRAND_SERVER_PORT=9001
 *         .arguments(List.of(args))              // --server.port=9002
 *         .load();
 * int port = config.get(PORT);                   // 9002
 * }</pre>
 *
 * <p>Failures: {@link Builder#load()} reads every source and checks every value it finds (also
 * those a later source overrides), then throws one {@link ConfigException} listing every problem —
 * unknown keys, values that do not parse or break a setting's requirement, flags without a value,
 * an unreadable or malformed file — each with its key, its value (masked for a secret) and its
 * source. Only environment variables under the prefix ({@code STRAND_} by default) are read.
 */
public final class Config {

    /** The environment variables' prefix unless told otherwise. */
    public static final String DEFAULT_ENVIRONMENT_PREFIX = "STRAND_";

    private record Entry(Object value, Source source) {
    }

    private final Map<String, Setting<?>> settings;
    private final Map<String, Entry> values;

    private Config(Map<String, Setting<?>> settings, Map<String, Entry> values) {
        this.settings = settings;
        this.values = values;
    }

    /** A builder for a configuration of {@code settings} (keys must be distinct). */
    public static Builder builder(Collection<? extends Setting<?>> settings) {
        return new Builder(settings);
    }

    /**
     * The value of {@code setting}: from the source that won, else its default.
     *
     * @throws IllegalArgumentException when {@code setting} is not one of this configuration's
     * @throws java.util.NoSuchElementException when it has no value and no default (see {@link #find})
     */
    public <T> T get(Setting<T> setting) {
        return find(setting).orElseThrow(() -> new java.util.NoSuchElementException(
                setting.key() + " has no value and no default"));
    }

    /** The value of {@code setting}, if any source or its default gives one. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> find(Setting<T> setting) {
        known(setting);
        Entry entry = values.get(setting.key());
        return entry != null ? Optional.of((T) entry.value()) : setting.defaultValue();
    }

    /** Where {@code setting}'s value came from ({@link Source#defaults()} when no source set it). */
    public Source source(Setting<?> setting) {
        known(setting);
        Entry entry = values.get(setting.key());
        return entry != null ? entry.source() : Source.defaults();
    }

    /**
     * The effective configuration, one line per setting in key order: {@code key = value  # source},
     * secrets masked, settings without a value shown as {@code (unset)}.
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (Setting<?> setting : new TreeMap<>(settings).values()) {
            Entry entry = values.get(setting.key());
            Optional<?> value = entry != null ? Optional.of(entry.value()) : setting.defaultValue();
            out.append(setting.key()).append(" = ").append(value.map(setting::show).orElse("(unset)"))
                    .append("  # ").append(entry != null ? entry.source() : Source.defaults()).append('\n');
        }
        return out.toString();
    }

    private void known(Setting<?> setting) {
        if (settings.get(setting.key()) != setting) {
            throw new IllegalArgumentException("not a setting of this configuration: " + setting.key());
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Collects the sources of a {@link Config}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Setting<?>> settings = new LinkedHashMap<>();
        private final List<Path> files = new ArrayList<>();
        private Map<String, String> environment = Map.of();
        private String prefix = DEFAULT_ENVIRONMENT_PREFIX;
        private List<String> arguments = List.of();

        private Builder(Collection<? extends Setting<?>> settings) {
            for (Setting<?> setting : settings) {
                if (this.settings.put(setting.key(), setting) != null) {
                    throw new IllegalArgumentException("two settings with the key " + setting.key());
                }
            }
        }

        /**
         * Reads {@code file} too: {@code .properties} ({@code key = value} lines, {@code #} or
         * {@code !} comments) or {@code .yaml} / {@code .yml} (nested maps; {@code server: {port: 80}}
         * is {@code server.port}). Several files: a later one overrides an earlier one.
         */
        public Builder file(Path file) {
            files.add(Objects.requireNonNull(file, "file"));
            return this;
        }

        /** Reads the variables of {@code environment} under the prefix (usually {@code System.getenv()}). */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /** The environment variables' prefix; default {@value #DEFAULT_ENVIRONMENT_PREFIX}. */
        public Builder environmentPrefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Reads flags {@code --key=value} or {@code --key value}; a bare {@code --key} is
         * {@code true} for a {@link Setting#bool} setting. Anything else is a problem.
         */
        public Builder arguments(List<String> arguments) {
            this.arguments = List.copyOf(arguments);
            return this;
        }

        /**
         * Reads every source, in precedence order, and checks every value found.
         *
         * @throws ConfigException listing every problem found
         */
        public Config load() {
            Map<String, Entry> values = new LinkedHashMap<>();
            List<ConfigException.Problem> problems = new ArrayList<>();
            for (Path file : files) {
                for (ConfigFiles.Value raw : readFile(file, problems)) {
                    take(raw.key(), raw.key(), raw.value(), new Source(Source.Kind.FILE, file + ":" + raw.line()), values, problems);
                }
            }
            readEnvironment(values, problems);
            readArguments(values, problems);
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return new Config(Map.copyOf(settings), Map.copyOf(values));
        }

        private List<ConfigFiles.Value> readFile(Path file, List<ConfigException.Problem> problems) {
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            Source source = new Source(Source.Kind.FILE, file.toString());
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                problems.add(new ConfigException.Problem(file.toString(), Optional.empty(), source, "no such file"));
                return List.of();
            } catch (IOException e) {
                problems.add(new ConfigException.Problem(file.toString(), Optional.empty(), source, "cannot read it: " + e));
                return List.of();
            }
            try {
                if (name.endsWith(".properties")) {
                    return ConfigFiles.properties(text);
                }
                if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    return ConfigFiles.yaml(text, file.toString());
                }
                problems.add(new ConfigException.Problem(file.toString(), Optional.empty(), source,
                        "not a .properties, .yaml or .yml file"));
            } catch (ConfigFiles.Malformed e) {
                problems.add(new ConfigException.Problem(file.toString(), Optional.empty(),
                        new Source(Source.Kind.FILE, file + ":" + e.line), e.getMessage()));
            }
            return List.of();
        }

        private void readEnvironment(Map<String, Entry> values, List<ConfigException.Problem> problems) {
            Map<String, Setting<?>> byVariable = new LinkedHashMap<>();
            for (Setting<?> setting : settings.values()) {
                byVariable.put(setting.environmentName(prefix), setting);
            }
            for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
                if (!variable.getKey().startsWith(prefix)) {
                    continue;
                }
                Source source = new Source(Source.Kind.ENVIRONMENT, variable.getKey());
                Setting<?> setting = byVariable.get(variable.getKey());
                if (setting == null) {
                    problems.add(new ConfigException.Problem(variable.getKey(), Optional.of(variable.getValue()), source,
                            "unknown setting" + hint(variable.getKey().substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'))));
                    continue;
                }
                take(setting.key(), variable.getKey(), variable.getValue(), source, values, problems);
            }
        }

        private void readArguments(Map<String, Entry> values, List<ConfigException.Problem> problems) {
            for (int i = 0; i < arguments.size(); i++) {
                String argument = arguments.get(i);
                Source source = new Source(Source.Kind.COMMAND_LINE, argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument);
                if (!argument.startsWith("--") || argument.length() == 2) {
                    problems.add(new ConfigException.Problem(argument, Optional.empty(), source, "not a flag (--key=value)"));
                    continue;
                }
                int equals = argument.indexOf('=');
                String key = equals < 0 ? argument.substring(2) : argument.substring(2, equals);
                Setting<?> setting = settings.get(key);
                if (setting == null) {
                    problems.add(new ConfigException.Problem("--" + key, equals < 0 ? Optional.empty() : Optional.of(argument.substring(equals + 1)),
                            source, "unknown setting" + hint(key)));
                    continue;
                }
                String value;
                if (equals >= 0) {
                    value = argument.substring(equals + 1);
                } else if (i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--")) {
                    value = arguments.get(++i);
                } else if (setting.type().equals("true or false")) {
                    value = "true";
                } else {
                    problems.add(new ConfigException.Problem("--" + key, Optional.empty(), source, "no value; expected " + setting.type()));
                    continue;
                }
                take(key, "--" + key, value, source, values, problems);
            }
        }

        /** Parses one value for {@code key} and lets it override what an earlier source gave. */
        private void take(String key, String asWritten, String raw, Source source, Map<String, Entry> values,
                          List<ConfigException.Problem> problems) {
            Setting<?> setting = settings.get(key);
            if (setting == null) {
                problems.add(new ConfigException.Problem(asWritten, Optional.of(raw), source, "unknown setting" + hint(key)));
                return;
            }
            try {
                values.put(key, new Entry(setting.parse(raw), source));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigException.Problem(asWritten, Optional.of(setting.isSecret() ? "******" : raw), source, e.getMessage()));
            }
        }

        /** "; did you mean server.port?" for a key one edit from a known one, or a known one's last words. */
        private String hint(String key) {
            for (String known : settings.keySet()) {
                if (known.endsWith("." + key) || close(known, key)) {
                    return "; did you mean " + known + "?";
                }
            }
            return "";
        }

        /** Whether {@code a} and {@code b} are at most one edit apart (an insertion, a deletion, a change or a swap of neighbours). */
        private static boolean close(String a, String b) {
            if (Math.abs(a.length() - b.length()) > 1) {
                return false;
            }
            int[][] d = new int[a.length() + 1][b.length() + 1];
            for (int i = 0; i <= a.length(); i++) {
                d[i][0] = i;
            }
            for (int j = 0; j <= b.length(); j++) {
                d[0][j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                    if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                    }
                }
            }
            return d[a.length()][b.length()] <= 1;
        }
    }
}
