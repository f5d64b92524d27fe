package dev.strand.http;

/**
 * Answers a request whose handler or filter threw an exception of type {@code T}; declared with
 * {@link Routing#error}. It gets a fresh response (status 200, no header fields) and completes it;
 * when it returns without sending, an empty response with the status it set is sent.
 *
 * <p>It runs on the thread that saw the failure — the request's fiber, or the loop for a
 * non-blocking or async route (and for a future that failed) — so it must not block. What it
 * throws is logged and answered with a 500.
 *
 * @param <T> the exception type it handles
 */
@FunctionalInterface
public interface ErrorHandler<T extends Throwable> {

    /**
     * Answers the failed request.
     *
     * @param req   the request
     * @param res   a fresh response to complete
     * @param error what was thrown
     * @throws Exception anything: logged, and the client gets a 500
     */
    void handle(Request req, Response res, T error) throws Exception;
}
