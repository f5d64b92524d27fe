package dev.strand.json;

import dev.strand.http.spi.JsonMapper;
import dev.strand.http.spi.MalformedJsonException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidDefinitionException;

/**
 * Strand's {@link JsonMapper} on Jackson 3. A server finds one with Jackson's defaults by itself
 * (through {@link java.util.ServiceLoader}); to configure Jackson, install your own:
 *
 * <pre>{@code
 * HttpServer.builder()
 *     .jsonMapper(JacksonJsonMapper.create(tools.jackson.databind.json.JsonMapper.builder()
 *             .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()))
 * }</pre>
 *
 * <p>Reading tells the sender's mistakes from the server's: JSON that is not well-formed, too big
 * or deep for Jackson's limits, or not the shape of the type (a string for a number, an unknown
 * property, a value the type's constructor refused) is a {@link MalformedJsonException} whose
 * message says briefly what and where, e.g.
 * {@code Unexpected end-of-input in field name at $.customer (line 1, column 15)}; a type
 * Jackson cannot read at all is the server's bug and fails as Jackson's own exception.
 *
 * <p>Thread-safe, like the Jackson mapper it wraps.
 */
public final class JacksonJsonMapper implements JsonMapper {

    /** Longest message a 400 carries: enough to find the mistake, not a dump of the input. */
    private static final int MAX_MESSAGE = 240;
    /** A backquoted Java class name, as Jackson quotes types: only its simple name is shown. */
    private static final Pattern QUALIFIED = Pattern.compile("`(?:[a-z_$][\\w$]*\\.)+([\\w$]+)`");

    private final tools.jackson.databind.json.JsonMapper jackson;

    private JacksonJsonMapper(tools.jackson.databind.json.JsonMapper jackson) {
        this.jackson = jackson;
    }

    /** A mapper with Jackson's defaults. */
    public static JacksonJsonMapper create() {
        return new JacksonJsonMapper(tools.jackson.databind.json.JsonMapper.builder().build());
    }

    /** A mapper over {@code jackson}, configured as you like. */
    public static JacksonJsonMapper create(tools.jackson.databind.json.JsonMapper jackson) {
        return new JacksonJsonMapper(Objects.requireNonNull(jackson, "jackson"));
    }

    /**
     * {@inheritDoc}
     *
     * @throws JacksonException when Jackson cannot write {@code value}
     */
    @Override
    public byte[] write(Object value) {
        return jackson.writeValueAsBytes(value);
    }

    /**
     * {@inheritDoc}
     *
     * @throws MalformedJsonException when {@code json} is not well-formed, or not a {@code type}
     * @throws InvalidDefinitionException when Jackson cannot read a {@code type} at all
     */
    @Override
    public <T> T read(byte[] json, Class<T> type) {
        Objects.requireNonNull(type, "type");
        try {
            return jackson.readValue(json, type);
        } catch (InvalidDefinitionException e) {
            throw e; // the type's fault, not the sender's
        } catch (StreamReadException | StreamConstraintsException | DatabindException e) {
            throw new MalformedJsonException(describe(e), e);
        }
    }

    /** What went wrong, where in the document and where in the text, on one short line. */
    static String describe(JacksonException e) {
        String what = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        int newline = what.indexOf('\n');
        if (newline >= 0) {
            what = what.substring(0, newline);
        }
        what = QUALIFIED.matcher(what.strip()).replaceAll("`$1`");
        if (what.length() > MAX_MESSAGE) {
            what = what.substring(0, MAX_MESSAGE) + "...";
        }
        StringBuilder text = new StringBuilder(what);
        String path = path(e.getPath());
        if (!path.equals("$")) {
            text.append(" at ").append(path);
        }
        TokenStreamLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            text.append(" (line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr()).append(')');
        }
        return text.toString();
    }

    /** The JSON path of the failure, like {@code $.items[2].price}. */
    private static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder("$");
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                path.append('.').append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
