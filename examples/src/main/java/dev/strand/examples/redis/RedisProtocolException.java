package dev.strand.examples.redis;

/**
 * The server sent bytes that are not a RESP reply, or a reply beyond the client's limits (a bulk
 * string over {@link RedisClient.Builder#maxBulkBytes}, an array over
 * {@link RedisClient.Builder#maxArrayLength}, a line over {@link RedisClient.Builder#maxLineBytes},
 * aggregates nested deeper than {@link RedisClient.Builder#maxDepth}). The client closes the
 * connection at once, without allocating what the reply announced, and every command waiting for a
 * reply fails with this (the stream can no longer be matched to commands). Any thread.
 */
public final class RedisProtocolException extends RedisConnectionException {

    private static final long serialVersionUID = 1L;

    RedisProtocolException(String message) {
        super(message, (Throwable) null);
    }
}
