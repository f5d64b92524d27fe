package dev.strand.http;

import java.io.OutputStream;

/**
 * The response to one request: status, headers, then a body sent whole or streamed.
 *
 * <p>Used by one thread at a time (the handler's); not thread-safe. The server adds {@code Date},
 * {@code Server}, {@code Content-Length} or {@code Transfer-Encoding}, and {@code Connection}.
 */
public interface Response {

    /**
     * Sets the status; default 200.
     *
     * @throws IllegalArgumentException when not 200 to 999
     * @throws IllegalStateException when already sent
     */
    Response status(int status);

    /** The status set so far. */
    int status();

    /**
     * Adds a header field.
     *
     * @throws IllegalArgumentException when the name is not a token or the value holds CR, LF or NUL
     * @throws IllegalStateException when the headers were already sent
     */
    Response header(String name, String value);

    /** Sets {@code Content-Type}. */
    default Response contentType(String type) {
        return header("Content-Type", type);
    }

    /**
     * Sends {@code body} as UTF-8 with {@code Content-Length}; {@code Content-Type} defaults to
     * {@code text/plain; charset=utf-8}.
     *
     * @throws IllegalStateException when already sent
     */
    void send(String body);

    /**
     * Sends {@code body} with {@code Content-Length}; {@code Content-Type} defaults to
     * {@code application/octet-stream}. The array must not change afterwards.
     *
     * @throws IllegalStateException when already sent
     */
    void send(byte[] body);

    /**
     * Sends {@code value} as JSON, written by the server's {@link dev.strand.http.spi.JsonMapper}
     * (the module {@code strand-json}); {@code Content-Type} defaults to {@code application/json}.
     *
     * <pre>{@code
     * res.json(new Greeting("Hello"));
     * }</pre>
     *
     * @throws IllegalStateException when already sent, or when the server has no JSON mapper (the
     *         message says which dependency to add)
     */
    void json(Object value);

    /** Sends an empty body. */
    default void send() {
        send(new byte[0]);
    }

    /**
     * Starts a streamed body: chunked on HTTP/1.1 unless a {@code Content-Length} header was set,
     * delimited by closing the connection on HTTP/1.0. Closing the stream completes the response.
     * Writing parks the fiber while the client is slow to read (and fails with an
     * {@link java.io.IOException} when the connection closes).
     *
     * @throws IllegalStateException when already sent
     */
    OutputStream outputStream();

    /** Whether the headers have been sent (or handed to the connection). */
    boolean isCommitted();
}
