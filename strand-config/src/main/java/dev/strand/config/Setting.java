package dev.strand.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One typed setting: its key ({@code server.port}), how a value is parsed and checked, its default,
 * a description, and whether it is a secret (masked wherever it is shown). Immutable: each method
 * that changes something returns a new setting. Thread-safe.
 *
 * <p>Keys are lower-case words of letters, digits and dashes joined by dots. The same key is
 * {@code server.port} in a properties file, {@code server: {port: …}} in YAML,
 * {@code STRAND_SERVER_PORT} in the environment and {@code --server.port} on the command line.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)");
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB|k|m|g)?");

    private final String key;
    private final String type;
    private final Function<String, T> parser;
    private final Optional<T> defaultValue;
    private final String description;
    private final boolean secret;
    private final Predicate<? super T> valid;
    private final String requirement;

    private Setting(String key, String type, Function<String, T> parser, Optional<T> defaultValue, String description,
                    boolean secret, Predicate<? super T> valid, String requirement) {
        this.key = key;
        this.type = type;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.description = description;
        this.secret = secret;
        this.valid = valid;
        this.requirement = requirement;
    }

    private static <T> Setting<T> of(String key, String type, Function<String, T> parser) {
        Objects.requireNonNull(key, "key");
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a key is lower-case words of letters, digits and dashes joined by dots: '" + key + "'");
        }
        return new Setting<>(key, type, parser, Optional.empty(), "", false, v -> true, "");
    }

    /** Text, as written (trimmed). */
    public static Setting<String> string(String key) {
        return of(key, "text", raw -> raw);
    }

    /** A whole number that fits in an {@code int}. */
    public static Setting<Integer> integer(String key) {
        return of(key, "a whole number", raw -> {
            try {
                return Integer.valueOf(raw.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number (or out of range)");
            }
        });
    }

    /** {@code true} or {@code false} (also {@code yes}/{@code no}, {@code on}/{@code off}), any case. */
    public static Setting<Boolean> bool(String key) {
        return of(key, "true or false", raw -> switch (raw.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> Boolean.TRUE;
            case "false", "no", "off" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not true or false");
        });
    }

    /**
     * A duration: a number and a unit ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 7d};
     * also {@code ns}, {@code us}), or ISO-8601 ({@code PT30S}). Never negative.
     */
    public static Setting<Duration> duration(String key) {
        return of(key, "a duration such as 500ms, 30s or 2m", Setting::parseDuration);
    }

    /**
     * A size in bytes: a number, optionally with a unit ({@code 512}, {@code 64KiB}, {@code 1MiB},
     * {@code 2GiB}; {@code KB}/{@code MB}/{@code GB} and {@code k}/{@code m}/{@code g} are taken as the
     * binary units too).
     */
    public static Setting<Long> bytes(String key) {
        return of(key, "a size such as 512, 64KiB or 1MiB", Setting::parseBytes);
    }

    /** One of {@code type}'s constants, by name in any case, dashes for underscores. */
    public static <E extends Enum<E>> Setting<E> oneOf(String key, Class<E> type) {
        String names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
        return of(key, "one of " + names, raw -> {
            String wanted = raw.trim().replace('-', '_');
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(wanted)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("not one of " + names);
        });
    }

    /** A file-system path (not checked for existence). */
    public static Setting<Path> path(String key) {
        return of(key, "a path", raw -> {
            try {
                return Path.of(raw);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("not a path: " + e.getReason());
            }
        });
    }

    /** This setting with {@code value} when no source gives one. */
    public Setting<T> defaultValue(T value) {
        return new Setting<>(key, type, parser, Optional.of(value), description, secret, valid, requirement);
    }

    /** This setting described, for {@link Config#describe()} and help texts. */
    public Setting<T> description(String text) {
        return new Setting<>(key, type, parser, defaultValue, Objects.requireNonNull(text, "text"), secret, valid, requirement);
    }

    /** This setting as a secret: its value is masked in descriptions and error messages. */
    public Setting<T> secret() {
        return new Setting<>(key, type, parser, defaultValue, description, true, valid, requirement);
    }

    /**
     * This setting, whose values must also pass {@code check}; {@code requirement} says what it
     * wants, for messages ({@code "between 1 and 65535"}).
     */
    public Setting<T> require(Predicate<? super T> check, String requirement) {
        Predicate<? super T> before = valid;
        Predicate<T> both = v -> before.test(v) && check.test(v);
        String said = this.requirement.isEmpty() ? requirement : this.requirement + " and " + requirement;
        return new Setting<>(key, type, parser, defaultValue, description, secret, both, said);
    }

    /** The key. */
    public String key() {
        return key;
    }

    /** What a value looks like, for messages. */
    public String type() {
        return type;
    }

    /** The default, if any. */
    public Optional<T> defaultValue() {
        return defaultValue;
    }

    /** The description, maybe empty. */
    public String description() {
        return description;
    }

    /** Whether the value is masked when shown. */
    public boolean isSecret() {
        return secret;
    }

    /** The environment variable for this key under {@code prefix}: {@code STRAND_SERVER_IDLE_TIMEOUT}. */
    public String environmentName(String prefix) {
        return prefix + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Parses and checks {@code raw}.
     *
     * @throws IllegalArgumentException saying why it is not a value of this setting
     */
    T parse(String raw) {
        String trimmed = raw.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty; expected " + type);
        }
        T value;
        try {
            value = parser.apply(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; expected " + type);
        }
        if (!valid.test(value)) {
            throw new IllegalArgumentException("must be " + requirement);
        }
        return value;
    }

    /** How {@code value} is shown: masked for a secret. */
    String show(Object value) {
        if (secret) {
            return "******";
        }
        return value instanceof Duration d ? format(d) : String.valueOf(value);
    }

    private static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toNanos() % 1_000_000_000L == 0) {
            long s = d.toSeconds();
            return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
        }
        return d.toNanos() % 1_000_000 == 0 ? d.toMillis() + "ms" : d.toNanos() + "ns";
    }

    private static Duration parseDuration(String raw) {
        Matcher m = DURATION.matcher(raw);
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("too large");
            }
            try {
                return switch (m.group(2)) {
                    case "ns" -> Duration.ofNanos(n);
                    case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("too large");
            }
        }
        try {
            Duration d = Duration.parse(raw);
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration");
        }
    }

    private static Long parseBytes(String raw) {
        Matcher m = BYTES.matcher(raw);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size");
        }
        long shift = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB", "KB", "k" -> 10;
            case "MiB", "MB", "m" -> 20;
            case "GiB", "GB", "g" -> 30;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new IllegalArgumentException("too large");
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("too large");
        }
    }

    @Override
    public String toString() {
        return key + " (" + type + ")";
    }
}
