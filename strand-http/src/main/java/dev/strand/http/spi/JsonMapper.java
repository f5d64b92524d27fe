package dev.strand.http.spi;

/**
 * Turns values into JSON and back, for {@link dev.strand.http.Response#json} and
 * {@link dev.strand.http.Request.Body#as}. The module {@code strand-json} provides one on Jackson 3;
 * a server finds it with {@link java.util.ServiceLoader} the first time it needs one, unless one was
 * installed with {@link dev.strand.http.HttpServer.Builder#jsonMapper}.
 *
 * <p>Implementations must be thread-safe: every loop and fiber of a server shares one instance,
 * and calls it on a loop for non-blocking routes, so it must not block beyond the CPU work of
 * mapping.
 */
public interface JsonMapper {

    /**
     * The JSON text of {@code value}, UTF-8 encoded.
     *
     * @throws RuntimeException when {@code value} cannot be written (a server-side bug: a 500)
     */
    byte[] write(Object value);

    /**
     * Reads {@code json} (UTF-8) as a {@code type}.
     *
     * @throws MalformedJsonException when {@code json} is not JSON, or not the JSON of a
     *         {@code type}: the sender's fault, answered with a 400 that shows its message
     * @throws RuntimeException when {@code type} cannot be read at all (a server-side bug: a 500)
     */
    <T> T read(byte[] json, Class<T> type);
}
