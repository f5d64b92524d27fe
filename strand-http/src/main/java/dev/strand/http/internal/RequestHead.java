package dev.strand.http.internal;

import dev.strand.http.Headers;
import dev.strand.http.Method;
import java.util.Optional;

/**
 * A parsed, validated request head and the framing of its body.
 *
 * @param method         the method
 * @param target         the request target as sent
 * @param path           the path of the target (origin-form, or taken out of absolute-form)
 * @param rawQuery       the query after {@code ?}, still encoded
 * @param http11         HTTP/1.1 (or a later 1.x minor version) rather than HTTP/1.0
 * @param headers        the fields
 * @param contentLength  the declared length, or -1 when chunked or absent
 * @param chunked        whether the body is chunked
 * @param keepAlive      whether the client lets the connection persist after this exchange
 * @param expectContinue whether the client waits for {@code 100 Continue} before the body
 */
record RequestHead(Method method, String target, String path, Optional<String> rawQuery, boolean http11,
                   Headers headers, long contentLength, boolean chunked, boolean keepAlive,
                   boolean expectContinue) {

    /** Whether a body follows the head. */
    boolean hasBody() {
        return chunked || contentLength > 0;
    }

    String version() {
        return http11 ? "HTTP/1.1" : "HTTP/1.0";
    }
}
