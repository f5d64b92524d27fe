package dev.strand.http;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request: its head, parameters and body.
 *
 * <p>Used by the thread that runs the handler (its fiber, or the loop); not thread-safe.
 */
public interface Request {

    /** The method. */
    Method method();

    /** The request target exactly as sent (origin-form or absolute-form). */
    String target();

    /** The path of the target, still percent-encoded, e.g. {@code /users/42}. */
    String path();

    /** The raw query string after {@code ?}, if any. */
    Optional<String> rawQuery();

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    String version();

    /** The header fields as received. */
    Headers headers();

    /** The first value of a header field (case-insensitive name). */
    default Optional<String> header(String name) {
        return headers().first(name);
    }

    /**
     * A path parameter declared in the route, such as {@code id} in {@code /users/{id}},
     * percent-decoded.
     *
     * @throws IllegalArgumentException when the route declares no such parameter
     */
    String pathParam(String name);

    /**
     * The first value of a query parameter, percent-decoded ({@code +} is a space).
     *
     * @throws HttpException 400 when the query is malformed
     */
    Optional<String> query(String name);

    /**
     * All query parameters in order, percent-decoded.
     *
     * @throws HttpException 400 when the query is malformed
     */
    Map<String, List<String>> queryParams();

    /** The client's address. */
    InetSocketAddress remoteAddress();

    /** Whether the request came over TLS (HTTPS). */
    default boolean isSecure() {
        return tlsSession().isPresent();
    }

    /**
     * The TLS session the request came over (the protocol, the cipher suite, the client's
     * certificates when the server asked for them); empty over plain HTTP.
     */
    Optional<javax.net.ssl.SSLSession> tlsSession();

    /**
     * The body. On a fiber it streams: reading parks the fiber until bytes arrive (and sends
     * {@code 100 Continue} first when the client asked for it). In a handler run on the loop the
     * whole body is already here.
     */
    Body body();

    /** A request body; read it one way, once. */
    interface Body {

        /** The declared length: Content-Length, or empty when chunked or absent. */
        Optional<Long> declaredLength();

        /**
         * The whole body as bytes.
         *
         * @throws java.io.UncheckedIOException when the connection fails while reading
         */
        byte[] bytes();

        /** The whole body decoded as UTF-8 (or the charset of Content-Type). */
        String asString();

        /** The body as a stream; reading blocks the fiber (never the loop) until data arrives. */
        InputStream stream();

        /**
         * The whole body read as JSON into a {@code type}, by the server's
         * {@link dev.strand.http.spi.JsonMapper} (the module {@code strand-json}). Reads like
         * {@link #bytes()}: on a fiber it parks until the body has arrived.
         *
         * <pre>{@code
         * Order order = req.body().as(Order.class);
         * }</pre>
         *
         * @throws HttpException 400 saying what is wrong and where, when the body is not JSON or not
         *         the JSON of a {@code type}
         * @throws IllegalStateException when the server has no JSON mapper (the message says which
         *         dependency to add)
         * @throws java.io.UncheckedIOException when the connection fails while reading
         */
        <T> T as(Class<T> type);
    }
}
