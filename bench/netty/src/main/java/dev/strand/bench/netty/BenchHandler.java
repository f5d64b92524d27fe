package dev.strand.bench.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * Routes {@code /plaintext}, {@code /json} and {@code /sleep?ms=N}. Responses are written as
 * requests arrive and flushed once per read burst ({@link #channelReadComplete}); {@code /sleep}
 * is answered later by a task scheduled on the channel's event loop, and pipelined requests behind
 * it wait for it, so responses keep the requests' order. One instance per connection.
 */
final class BenchHandler extends ChannelInboundHandlerAdapter {

    static final int MAX_SLEEP_MS = 60_000;

    private static final AsciiString SERVER = AsciiString.cached("Netty");
    private static final AsciiString TEXT = AsciiString.cached("text/plain");
    private static final AsciiString JSON = AsciiString.cached("application/json");
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    /** Our header names and values are constants: no validation per response. */
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);
    /** Thread-safe once built; shared by every request. */
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    record Message(String message) {
    }

    /** Whether a {@code /sleep} of this connection is waiting for its timer. */
    private boolean sleeping;
    /** Pipelined requests that came behind a pending {@code /sleep}: answered after it, in order. */
    private final ArrayDeque<HttpRequest> queued = new ArrayDeque<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest req) {
                if (sleeping) {
                    queued.add(req); // not reference-counted (no aggregator): safe to keep
                } else {
                    handle(ctx, req);
                }
            }
            // HttpContent parts (here always empty LastHttpContent) are only released.
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private boolean keepAliveHeader;

    private void handle(ChannelHandlerContext ctx, HttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        // HTTP/1.0 persists only when the response says so (ab -k relies on it).
        keepAliveHeader = keepAlive && req.protocolVersion().equals(io.netty.handler.codec.http.HttpVersion.HTTP_1_0);
        String uri = req.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        if (!req.decoderResult().isSuccess()) {
            write(ctx, text(HttpResponseStatus.BAD_REQUEST, "bad request"), false);
            return;
        }
        if (req.method() != HttpMethod.GET) {
            write(ctx, text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed"), keepAlive);
            return;
        }
        switch (path) {
            case "/plaintext" -> write(ctx, response(HttpResponseStatus.OK, TEXT, Unpooled.wrappedBuffer(HELLO)),
                    keepAlive);
            case "/json" -> write(ctx, response(HttpResponseStatus.OK, JSON,
                    Unpooled.wrappedBuffer(MAPPER.writeValueAsBytes(new Message("Hello, World!")))), keepAlive);
            case "/sleep" -> sleep(ctx, uri, keepAlive);
            default -> write(ctx, text(HttpResponseStatus.NOT_FOUND, "not found"), keepAlive);
        }
    }

    private void sleep(ChannelHandlerContext ctx, String uri, boolean keepAlive) {
        List<String> values = new QueryStringDecoder(uri).parameters().get("ms");
        int ms = values == null || values.isEmpty() ? -1 : sleepMillis(values.get(0));
        if (ms < 0) {
            write(ctx, text(HttpResponseStatus.BAD_REQUEST, "ms must be an integer from 0 to " + MAX_SLEEP_MS),
                    keepAlive);
            return;
        }
        // The timer runs on this channel's own event loop; nothing blocks meanwhile. Reading pauses
        // until it fires, and requests already read wait in order behind it.
        sleeping = true;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> wake(ctx, ms, keepAlive), ms, TimeUnit.MILLISECONDS);
    }

    private void wake(ChannelHandlerContext ctx, int ms, boolean keepAlive) {
        write(ctx, text(HttpResponseStatus.OK, "slept " + ms + " ms"), keepAlive);
        sleeping = false;
        HttpRequest next;
        while (!sleeping && (next = queued.poll()) != null) {
            handle(ctx, next);
        }
        ctx.flush();
        if (!sleeping) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** {@code value} as 0 to {@link #MAX_SLEEP_MS}, or -1 when it is not such a decimal integer. */
    static int sleepMillis(String value) {
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int ms = Integer.parseInt(value);
        return ms > MAX_SLEEP_MS ? -1 : ms;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return response(status, TEXT, Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static FullHttpResponse response(HttpResponseStatus status, AsciiString type, ByteBuf body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body, HEADERS, TRAILERS);
        HttpHeaders h = res.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, type);
        h.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        h.set(HttpHeaderNames.SERVER, SERVER);
        h.set(HttpHeaderNames.DATE, DateCache.now());
        return res;
    }

    /** Writes without flushing (the caller flushes), except the last response of a connection. */
    private void write(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
        if (keepAlive) {
            if (keepAliveHeader) {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.write(res, ctx.voidPromise());
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The {@code Date} value, formatted again only when the second changes. */
    static final class DateCache {

        private record Stamp(long second, AsciiString value) {
        }

        private static volatile Stamp stamp = new Stamp(-1, AsciiString.EMPTY_STRING);

        private DateCache() {
        }

        static AsciiString now() {
            long second = System.currentTimeMillis() / 1000;
            Stamp s = stamp;
            if (s.second() != second) {
                s = new Stamp(second, new AsciiString(DateTimeFormatter.RFC_1123_DATE_TIME
                        .format(ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(second), ZoneOffset.UTC))));
                stamp = s;
            }
            return s.value();
        }
    }
}
