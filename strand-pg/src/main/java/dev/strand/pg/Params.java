package dev.strand.pg;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Parameters in PostgreSQL's text format; the server infers each one's type from the statement,
 * as it does for a literal. Encoding happens on the caller's thread, before the statement is
 * handed to its connection's loop.
 */
final class Params {

    private static final byte[][] NONE = new byte[0][];
    /** The most parameters a Bind message can carry. */
    static final int MAX_PARAMETERS = 65_535;
    private static final byte[] TRUE = {'t'};
    private static final byte[] FALSE = {'f'};

    private Params() {
    }

    /**
     * The parameters as the wire carries them: null for SQL NULL.
     *
     * @throws IllegalArgumentException when a parameter's type has no text form here
     */
    static byte[][] encode(Object[] params) {
        if (params == null || params.length == 0) {
            return NONE;
        }
        if (params.length > MAX_PARAMETERS) {
            // Bind counts them in 16 bits: more would reach the server as a wrong count.
            throw new IllegalArgumentException(params.length + " parameters; PostgreSQL takes at most " + MAX_PARAMETERS + " in a statement");
        }
        byte[][] encoded = new byte[params.length][];
        for (int i = 0; i < params.length; i++) {
            encoded[i] = encode(params[i], i + 1);
        }
        return encoded;
    }

    private static byte[] encode(Object value, int position) {
        if (value instanceof Optional<?> optional) {
            value = optional.orElse(null);
        }
        return switch (value) {
            case null -> null;
            case Integer i -> ascii(Integer.toString(i));
            case Long l -> ascii(Long.toString(l));
            case Short s -> ascii(Short.toString(s));
            case Byte b -> ascii(Byte.toString(b));
            case String s -> s.getBytes(StandardCharsets.UTF_8);
            case Boolean b -> b ? TRUE : FALSE;
            case Double d -> ascii(floating(d));
            case Float f -> ascii(Float.isFinite(f) ? Float.toString(f) : floating(f));
            case BigDecimal d -> ascii(d.toPlainString());
            case BigInteger b -> ascii(b.toString());
            case UUID u -> ascii(u.toString());
            case byte[] bytes -> ascii("\\x" + HexFormat.of().formatHex(bytes));
            case Character c -> String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            case Enum<?> e -> e.name().getBytes(StandardCharsets.UTF_8);
            case ZonedDateTime z -> ascii(z.toOffsetDateTime().toString()); // not its zone's name, which PostgreSQL refuses
            // LocalDate, LocalTime, LocalDateTime, OffsetDateTime, Instant: ISO 8601, which PostgreSQL reads.
            case TemporalAccessor t -> ascii(t.toString());
            default -> throw new IllegalArgumentException("parameter " + position + " is a " + value.getClass().getName()
                    + ", which Strand's PostgreSQL client cannot send; pass a number, string, boolean, BigDecimal, UUID, byte[],"
                    + " java.time value or enum");
        };
    }

    private static String floating(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return Double.toString(d);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
