package dev.strand.http.spi;

/**
 * JSON that cannot be read: not well-formed, or not the shape of the type asked for. Thrown by a
 * {@link JsonMapper}; the server answers a request body that fails this way with a 400 whose body
 * is the message, so it should say briefly what is wrong and where (line and column), and carry no
 * stack trace or server internals.
 */
public class MalformedJsonException extends RuntimeException {

    /**
     * An exception for JSON that cannot be read.
     *
     * @param message what is wrong and where, safe to show to the client
     * @param cause   the parser's exception, for the server's own debugging; may be null
     */
    public MalformedJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
