package dev.strand.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A response read by a {@link TestClient}: status, headers and the whole body. Immutable; any
 * thread.
 */
public final class TestResponse {

    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    TestResponse(int status, Map<String, List<String>> headers, byte[] body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** The status code, such as 200. */
    public int status() {
        return status;
    }

    /**
     * Every header field, by lower-case name, each name's values in the order they came. Unmodifiable.
     */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of header {@code name} (any case), or empty when the response has none. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** The body's bytes (a copy), after any chunked framing is removed; empty when there is none. */
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "TestResponse[" + status + ", " + body.length + " bytes]";
    }
}
