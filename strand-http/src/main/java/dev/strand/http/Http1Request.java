package dev.strand.http;

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

    private final RequestHead head;
    private final Map<String, String> pathParams;
    /** For what is the connection's or the server's: the client's address, the JSON mapper. */
    private final Http1Connection connection;
    private final BodyPipe body;
    private Map<String, List<String>> query;

    Http1Request(RequestHead head, Map<String, String> pathParams, Http1Connection connection, BodyPipe body) {
        this.head = head;
        this.pathParams = pathParams;
        this.connection = connection;
        this.body = body;
    }

    @Override
    public Method method() {
        return head.method();
    }

    @Override
    public String target() {
        return head.target();
    }

    @Override
    public String path() {
        return head.path();
    }

    @Override
    public Optional<String> rawQuery() {
        return head.rawQuery();
    }

    @Override
    public String version() {
        return head.version();
    }

    @Override
    public Headers headers() {
        return head.headers();
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
            query = head.rawQuery().map(PercentDecoder::parseQuery).orElseGet(Map::of);
        }
        return query;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public Body body() {
        return this;
    }

    @Override
    public Optional<Long> declaredLength() {
        return head.contentLength() >= 0 ? Optional.of(head.contentLength()) : Optional.empty();
    }

    @Override
    public byte[] bytes() {
        try (InputStream in = body.stream()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream(
                    (int) Math.min(Math.max(head.contentLength(), 64), 1 << 20));
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
        return body.stream();
    }

    @Override
    public <T> T as(Class<T> type) {
        java.util.Objects.requireNonNull(type, "type");
        var mapper = connection.json().mapper(); // before reading: without a mapper the body stays unread
        try {
            return mapper.read(bytes(), type);
        } catch (MalformedJsonException e) {
            throw new HttpException(400, "Malformed JSON: " + e.getMessage());
        }
    }

    private Charset charset() {
        return head.headers().first("Content-Type").flatMap(Http1Request::charsetOf).orElse(StandardCharsets.UTF_8);
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
        return head.method() + " " + head.target();
    }
}
