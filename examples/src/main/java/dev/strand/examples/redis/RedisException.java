package dev.strand.examples.redis;

/**
 * The server answered a command with an error reply ({@code -ERR ...}, {@code -WRONGTYPE ...}): the
 * command's deferred fails with this, carrying the server's message as it was sent. The connection
 * is fine and goes on serving the next commands. An immutable value; any thread.
 */
public class RedisException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An error reply; {@code message} is the server's, such as {@code "ERR unknown command 'nope'"}.
     * Any thread.
     */
    public RedisException(String message) {
        super(message);
    }

    /** For the subclasses that report a failure of the connection rather than of one command. */
    RedisException(String message, Throwable cause) {
        super(message, cause);
    }
}
