package dev.strand.http;

/**
 * Thrown by a handler to answer with a given status; the message is sent as a plain-text body.
 * Also what the server uses internally for protocol errors.
 */
public class HttpException extends RuntimeException {

    private final int status;

    /**
     * @param status an HTTP status code, 400 to 599
     * @param message a short message safe to show to the client
     */
    public HttpException(int status, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status is 400 to 599: " + status);
        }
        this.status = status;
    }

    /** The status the client gets. */
    public int status() {
        return status;
    }
}
