package dev.strand.bench.undertow;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * Routes {@code /plaintext}, {@code /json} and {@code /sleep?ms=N}, all on the I/O thread. Undertow
 * adds {@code Date} itself (cached per second) and {@code Content-Length} when a whole body is sent.
 */
final class BenchHandler implements HttpHandler {

    static final int MAX_SLEEP_MS = 60_000;

    private static final String SERVER = "Undertow";
    private static final String TEXT = "text/plain";
    private static final String JSON = "application/json";
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    /** Thread-safe once built; shared by every request. */
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    record Message(String message) {
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!exchange.getRequestMethod().equals(Methods.GET)) {
            send(exchange, 405, TEXT, "method not allowed".getBytes(StandardCharsets.US_ASCII));
            return;
        }
        switch (exchange.getRequestPath()) {
            case "/plaintext" -> send(exchange, 200, TEXT, HELLO);
            case "/json" -> send(exchange, 200, JSON, MAPPER.writeValueAsBytes(new Message("Hello, World!")));
            case "/sleep" -> sleep(exchange);
            default -> send(exchange, 404, TEXT, "not found".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void sleep(HttpServerExchange exchange) {
        Deque<String> values = exchange.getQueryParameters().get("ms");
        int ms = values == null || values.isEmpty() ? -1 : sleepMillis(values.getFirst());
        if (ms < 0) {
            send(exchange, 400, TEXT, ("ms must be an integer from 0 to " + MAX_SLEEP_MS).getBytes(StandardCharsets.US_ASCII));
            return;
        }
        // Dispatched, so the exchange stays open when this handler returns; the same I/O thread
        // then answers it after the delay, blocking no thread meanwhile.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> exchange.getIoThread().executeAfter(
                () -> send(exchange, 200, TEXT, ("slept " + ms + " ms").getBytes(StandardCharsets.US_ASCII)),
                ms, TimeUnit.MILLISECONDS));
    }

    /** {@code value} as 0 to {@link #MAX_SLEEP_MS}, or -1 when it is not such a decimal integer. */
    static int sleepMillis(String value) {
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int ms = Integer.parseInt(value);
        return ms > MAX_SLEEP_MS ? -1 : ms;
    }

    private static final HttpString SERVER_HEADER = Headers.SERVER;

    private static void send(HttpServerExchange exchange, int status, String type, byte[] body) {
        exchange.setStatusCode(status);
        HeaderMap h = exchange.getResponseHeaders();
        h.put(Headers.CONTENT_TYPE, type);
        h.put(SERVER_HEADER, SERVER);
        exchange.getResponseSender().send(ByteBuffer.wrap(body)); // sets Content-Length
    }
}
