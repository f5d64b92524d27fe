package dev.strand.http.internal;

import dev.strand.http.Headers;
import dev.strand.http.HttpException;
import dev.strand.http.Method;
import dev.strand.http.Request;
import dev.strand.http.spi.MalformedJsonException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A request as handlers see it: the parsed head, route parameters and the body pipe. */
final class Http1Request implements Request, Request.Body {

    /** The head, the body pipe and the connection are the exchange's: one field, not three. */
    private final Exchange exchange;
    private final Map<String, String> pathParams;
    private Map<String, List<String>> query;

    Http1Request(Exchange exchange, Map<String, String> pathParams) {
        this.exchange = exchange;
        this.pathParams = pathParams;
    }

    @Override
    public Method method() {
        return exchange.head.method();
    }

    @Override
    public String target() {
        return exchange.head.target();
    }

    @Override
    public String path() {
        return exchange.head.path();
    }

    @Override
    public Optional<String> rawQuery() {
        return exchange.head.rawQuery();
    }

    @Override
    public String version() {
        return exchange.head.version();
    }

    @Override
    public Headers headers() {
        return exchange.head.headers();
    }

    @Override
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no path parameter '" + name + "'");
        }
        return value;
    }

    @Override
    public Optional<String> query(String name) {
        List<String> values = queryParams().get(name);
        return values == null ? Optional.empty() : Optional.of(values.getFirst());
    }

    @Override
    public Map<String, List<String>> queryParams() {
        if (query == null) {
            query = exchange.head.rawQuery().map(PercentDecoder::parseQuery).orElseGet(Map::of);
        }
        return query;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return exchange.connection.remoteAddress();
    }

    @Override
    public Optional<javax.net.ssl.SSLSession> tlsSession() {
        return exchange.connection.tlsSession();
    }

    @Override
    public Body body() {
        return this;
    }

    @Override
    public Optional<Long> declaredLength() {
        return exchange.head.contentLength() >= 0 ? Optional.of(exchange.head.contentLength()) : Optional.empty();
    }

    @Override
    public byte[] bytes() {
        try (InputStream in = exchange.body.stream()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream(
                    (int) Math.min(Math.max(exchange.head.contentLength(), 64), 1 << 20));
            in.transferTo(all);
            return all.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String asString() {
        return new String(bytes(), charset());
    }

    @Override
    public InputStream stream() {
        return exchange.body.stream();
    }

    @Override
    public <T> T as(Class<T> type) {
        java.util.Objects.requireNonNull(type, "type");
        var mapper = exchange.connection.json().mapper(); // before reading: without a mapper the body stays unread
        try {
            return mapper.read(bytes(), type);
        } catch (MalformedJsonException e) {
            throw new HttpException(400, "Malformed JSON: " + e.getMessage());
        }
    }

    private Charset charset() {
        return exchange.head.headers().first("Content-Type").flatMap(Http1Request::charsetOf).orElse(StandardCharsets.UTF_8);
    }

    private static Optional<Charset> charsetOf(String contentType) {
        for (String parameter : contentType.split(";")) {
            String p = parameter.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                try {
                    return Optional.of(Charset.forName(p.substring(8).replace("\"", "")));
                } catch (RuntimeException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return exchange.head.method() + " " + exchange.head.target();
    }
}
