package dev.strand.http;

import java.util.concurrent.CompletionStage;

/**
 * A handler that completes through a future; see {@link Handler#async}.
 */
@FunctionalInterface
public interface AsyncHandler {

    /**
     * Starts handling one request. Runs on the loop and must not block; the response may be sent
     * from any thread, once.
     *
     * @return a stage that completes when the handler is done with the response
     * @throws Exception anything: the client gets a 500 (or the {@link HttpException}'s status)
     */
    CompletionStage<?> handle(Request req, Response res) throws Exception;
}
