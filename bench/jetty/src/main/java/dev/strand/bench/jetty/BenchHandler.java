package dev.strand.bench.jetty;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import tools.jackson.databind.json.JsonMapper;

/**
 * Routes {@code /plaintext}, {@code /json} and {@code /sleep?ms=N}. A blocking handler (Jetty's
 * default invocation type), so {@code /sleep} holds its thread in {@code Thread.sleep}. Jetty adds
 * {@code Date} itself (cached per second).
 */
final class BenchHandler extends Handler.Abstract {

    static final int MAX_SLEEP_MS = 60_000;

    private static final HttpField SERVER = new PreEncodedHttpField(HttpHeader.SERVER, "Jetty");
    private static final HttpField TEXT = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain");
    private static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    /** Thread-safe once built; shared by every request. */
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    record Message(String message) {
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws InterruptedException {
        if (!"GET".equals(request.getMethod())) {
            send(response, callback, 405, TEXT, "method not allowed".getBytes(StandardCharsets.US_ASCII));
            return true;
        }
        switch (Request.getPathInContext(request)) {
            case "/plaintext" -> send(response, callback, 200, TEXT, HELLO);
            case "/json" -> send(response, callback, 200, JSON, MAPPER.writeValueAsBytes(new Message("Hello, World!")));
            case "/sleep" -> sleep(request, response, callback);
            default -> send(response, callback, 404, TEXT, "not found".getBytes(StandardCharsets.US_ASCII));
        }
        return true;
    }

    private static void sleep(Request request, Response response, Callback callback) throws InterruptedException {
        Fields.Field field = Request.extractQueryParameters(request).get("ms");
        int ms = field == null ? -1 : sleepMillis(field.getValue());
        if (ms < 0) {
            send(response, callback, 400, TEXT,
                    ("ms must be an integer from 0 to " + MAX_SLEEP_MS).getBytes(StandardCharsets.US_ASCII));
            return;
        }
        Thread.sleep(ms); // holds this request's thread: a pool thread, or a virtual thread
        send(response, callback, 200, TEXT, ("slept " + ms + " ms").getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code value} as 0 to {@link #MAX_SLEEP_MS}, or -1 when it is not such a decimal integer. */
    static int sleepMillis(String value) {
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int ms = Integer.parseInt(value);
        return ms > MAX_SLEEP_MS ? -1 : ms;
    }

    private static void send(Response response, Callback callback, int status, HttpField type, byte[] body) {
        response.setStatus(status);
        HttpFields.Mutable h = response.getHeaders();
        h.put(type);
        h.put(SERVER);
        h.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
