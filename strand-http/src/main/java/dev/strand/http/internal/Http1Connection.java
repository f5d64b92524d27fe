package dev.strand.http.internal;

import dev.strand.admission.Permit;
import dev.strand.http.HttpException;
import dev.strand.http.Method;
import dev.strand.http.ServerConfig;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.tcp.CloseReason;
import dev.strand.reactor.tcp.Connection;
import dev.strand.reactor.tcp.ConnectionHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 over one TCP connection of the reactor: the protocol, not the transport. It parses what
 * the {@link Connection} delivers, dispatches one exchange at a time (so pipelined responses keep
 * request order), and encodes responses with {@link Http1ResponseEncoder} into the connection's
 * out-queue. Queues, watermarks, the write timeout, TLS and the lingering close are the
 * connection's ({@link dev.strand.reactor.tcp.Tcp}); the request timeouts (head, body, idle between
 * requests) and output back-pressure between requests are this protocol's.
 *
 * <p>Every method runs on the connection's loop; handlers on fibers reach it through
 * {@link EventLoop#schedule}, which in loop-carrier mode is a plain call.
 */
final class Http1Connection implements ConnectionHandler {

    private static final System.Logger LOG = System.getLogger(Http1Connection.class.getName());
    /** Beyond this many unparsed bytes (requests waiting behind the one in flight) reading pauses. */
    private static final int MAX_PENDING = 16 * 1024;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();
    /** Bodies up to this size are copied after their head (one buffer, one write); larger ones are queued as they are. */
    private static final int INLINE_BODY = 4096;

    private enum Deadline { NONE, HEAD, IDLE, BODY }

    private final StrandServer server;
    private final Http1ResponseEncoder encoder;
    private final EventLoop loop;
    private final Http1Parser parser;
    /** The transport under this protocol; set by {@link #postInit}, before any other callback. */
    private Connection connection;
    private InetSocketAddress remote;
    /**
     * Bytes read but not parsed yet, in read mode; null when there are none, which is almost always:
     * requests are parsed straight from the loop's read buffer, and only a remainder is copied here,
     * so an idle connection holds no read buffer.
     */
    private ByteBuffer pending;

    private Exchange current;
    private boolean processing;
    private boolean closeAfterWrite;
    private boolean inputClosed;
    private boolean closed;
    /** Why this side closed, for the exchange and the drain waiters; null: the connection says. */
    private IOException closeCause;
    private boolean readsThrottled;
    /** Reading is paused on the connection (kept here so that it is asked only on a change). */
    private boolean readPaused;
    /**
     * Output back-pressure: the unwritten responses passed the high watermark, so neither reading
     * nor dispatching goes on until the client has read down to the low one. Without it a client
     * that pipelines and never reads makes the server answer into an ever-growing queue.
     */
    private boolean outputPaused;
    private final long highWater;
    /** The request body pipe's watermarks ({@link ServerConfig#bodyHighWatermark}), for its exchanges. */
    final int bodyHighWater;
    final int bodyLowWater;

    private Deadline deadlineKind = Deadline.HEAD;
    private long deadline;
    private long headStartedAt;
    private long lastReadAt;

    Http1Connection(StrandServer server, EventLoop loop) {
        this.server = server;
        this.encoder = server.encoder();
        this.loop = loop;
        ServerConfig c = server.config();
        this.parser = new Http1Parser(c.maxRequestLine(), c.maxHeaderSize(), c.maxHeaderCount(), c.maxBodySize());
        this.highWater = c.writeHighWatermark();
        this.bodyHighWater = c.bodyHighWatermark();
        this.bodyLowWater = c.bodyLowWatermark();
        this.headStartedAt = loop.now();
        this.lastReadAt = headStartedAt;
    }

    EventLoop loop() {
        return loop;
    }

    dev.strand.reactor.internal.RateLimitedLog handlerLog() {
        return server.handlerLog();
    }

    /** The server's error handlers. */
    ErrorMapping errors() {
        return server.router().errors();
    }

    /** The server's JSON mapper, found at first use. */
    Json json() {
        return server.json();
    }

    InetSocketAddress remoteAddress() {
        return remote;
    }

    /** The TLS session, over HTTPS; requests are parsed only once the handshake is done. */
    java.util.Optional<javax.net.ssl.SSLSession> tlsSession() {
        return connection.tlsSession();
    }

    /** Bytes queued on the connection and not yet written. Any thread. */
    long outboundBytes() {
        Connection c = connection;
        return c == null ? 0 : c.queuedBytes();
    }

    /**
     * Whether a fiber streaming a response should park until the client reads: the unwritten
     * bytes, with {@code inFlight} bytes handed to the loop but not taken yet, pass the high
     * watermark. Any thread.
     */
    boolean outputOverHighWater(long inFlight) {
        return outboundBytes() + inFlight > highWater;
    }

    // ---- the connection's events -----------------------------------------------------------

    /** The connection exists: it joins the server's, and the first request must arrive within the header-read timeout. */
    @Override
    public void postInit(Connection connection) {
        this.connection = connection;
        this.remote = connection.remoteAddress().orElse(null);
        server.opened(this);
        updateDeadline();
    }

    @Override
    public void receiveData(Connection c, ByteBuffer data) {
        if (closed) {
            return;
        }
        lastReadAt = loop.now();
        if (pending == null) {
            pending = data; // parsed straight from the loop's buffer
        } else {
            pending = append(pending, data);
        }
        process();
        if (pending == data) {
            // The buffer is the loop's: keep what is left in one of our own.
            pending = data.hasRemaining() ? ByteBuffer.allocate(data.remaining()).put(data).flip() : null;
        }
    }

    /** {@code kept} (ours, read mode) followed by {@code more}: in place when it has room. */
    private static ByteBuffer append(ByteBuffer kept, ByteBuffer more) {
        int total = kept.remaining() + more.remaining();
        if (total <= kept.capacity()) {
            return kept.compact().put(more).flip();
        }
        ByteBuffer grown = ByteBuffer.allocate(Math.max(total, kept.capacity() * 2));
        return grown.put(kept).put(more).flip();
    }

    /**
     * The client half-closed: the requests it sent before are still answered, in order (see the
     * end-of-input case in {@link #process}), then the connection closes; unless the request in
     * hand waits in an admission queue. The connection stays open for writing until then.
     */
    @Override
    public boolean inputEnded(Connection c) {
        if (closed) {
            return false;
        }
        if (current != null && current.admission != null) {
            // Its request still waits for admission: taken as gone, as most servers take an end of
            // input, so that clients that send and leave cannot fill a queue with work nobody awaits.
            close(new IOException("the client closed while its request waited for admission"));
            return false;
        }
        inputClosed = true;
        process();
        return true;
    }

    /** The client read down to the low watermark: dispatch what waits, and read again. */
    @Override
    public void drained(Connection c) {
        if (outputPaused && !closed) {
            outputPaused = false;
            process();
        }
    }

    /** The connection closed (by either side, or failed): the exchange in flight is aborted. */
    @Override
    public void unbind(Connection c, CloseReason reason) {
        closed = true;
        IOException why = closeCause != null ? closeCause
                : reason.cause().filter(IOException.class::isInstance).map(IOException.class::cast)
                        .orElseGet(() -> new IOException("connection closed (" + reason.kind() + ")", reason.cause().orElse(null)));
        closeCause = null;
        if (current != null) {
            current.abort(why);
        }
        pending = null;
        server.connectionClosed(this);
    }

    // ---- parsing and dispatch --------------------------------------------------------------

    /** Parses what has arrived and dispatches requests while no exchange is in flight. */
    private void process() {
        if (closed || processing) {
            return;
        }
        processing = true;
        ByteBuffer in = pending != null ? pending : NOTHING;
        try {
            while (!closed && !closeAfterWrite) {
                if (current != null && (!parser.inBody() || readsThrottled)) {
                    break; // one exchange at a time; the next request waits in the buffer
                }
                if (current == null && (outputPaused || connection.queuedBytes() > highWater)) {
                    outputPaused = true; // the next request waits until the client reads
                    break;
                }
                Http1Parser.Event event = parser.next(in);
                if (headStartedAt == 0 && current == null && parser.inHead()) {
                    headStartedAt = loop.now(); // the header-read timeout runs from a head's first byte
                }
                switch (event) {
                    case NEED_MORE -> {
                        if (inputClosed) {
                            if (!parser.atMessageStart()) {
                                throw new HttpException(400, "connection closed mid-request");
                            }
                            if (current == null) {
                                // Every request the client sent is answered: finish writing, then close.
                                closeAfterWriting();
                            }
                        }
                        return;
                    }
                    case HEAD -> onHead(parser.head());
                    case CONTENT -> onContent(parser.content());
                    case MESSAGE_END -> onMessageEnd();
                }
            }
        } catch (HttpException e) {
            protocolError(e);
        } finally {
            if (closed || closeAfterWrite || !in.hasRemaining()) {
                pending = null; // a closing connection keeps nothing it reads
            }
            processing = false;
            if (!closed) {
                updateReading();
                updateDeadline();
            }
        }
    }

    /**
     * A request head: route it, admit it under the route's limit, and start its handler's fiber now
     * (a FIBER route, which may read the body as it streams in) or let it wait for the whole body
     * (a loop route). A request its limit queues waits here, holding no fiber, until
     * {@link #admitted}. The route's mode is one field read; everything else the route asks for
     * happens in {@link Dispatch}.
     */
    private void onHead(RequestHead head) {
        headStartedAt = 0;
        Router router = server.router();
        Router.Match match = router.find(head.method(), head.path());
        Route route = match.route();
        Exchange exchange = new Exchange(this, head, route, match.pathParams());
        current = exchange;
        if (route.hasContext) {
            Dispatch.arrived(exchange);
        }
        if (router.isNotFound(match)) {
            exchange.response.status(404); // a custom 404 handler answers 404 unless it says otherwise
        }
        if (route.limit != null && exchange.early == null && !Dispatch.admit(exchange)) {
            return; // queued: admitted() goes on
        }
        start(exchange);
    }

    /**
     * The limit answered a request it had queued: run it, or answer its rejection. On the loop.
     */
    void admitted(Exchange exchange, Permit permit, Throwable error) {
        exchange.admission = null;
        if (exchange != current || closed || exchange.aborted) {
            if (permit != null) {
                permit.ignore(); // the client went away while it waited
            }
            return;
        }
        if (permit != null) {
            exchange.permit = permit;
        } else {
            exchange.early = error instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : error;
        }
        start(exchange);
        updateDeadline();
    }

    /**
     * Runs an admitted exchange: on a fiber now, or on the loop once its body is complete. A request
     * to be answered without its handler (an {@link Exchange#early} failure) is answered on the loop:
     * once parsed when it has no body, at once when it has one (the connection then closes).
     */
    private void start(Exchange exchange) {
        boolean early = exchange.early != null;
        if (!early && !exchange.route.onLoop) {
            exchange.dispatched = true;
            loop.startFiber(() -> Dispatch.run(exchange));
            return;
        }
        exchange.runsOnLoop = true;
        if (exchange.requestComplete || (early && exchange.head.hasBody())) {
            exchange.dispatched = true;
            Dispatch.run(exchange);
        } else if (!early && exchange.head.expectContinue()) {
            sendContinue(exchange);
        }
        // else dispatched at MESSAGE_END, with the whole body
    }

    private void onContent(java.nio.ByteBuffer content) {
        Exchange exchange = current;
        boolean full = exchange.body.offer(content);
        if (full && !exchange.route.onLoop) {
            exchange.body.throttle();
            readsThrottled = true;
        }
    }

    private void onMessageEnd() {
        Exchange exchange = current;
        exchange.requestComplete = true;
        exchange.body.end();
        if (exchange.runsOnLoop && !exchange.dispatched) {
            exchange.dispatched = true;
            Dispatch.run(exchange);
        }
    }

    /** Resumes reading after a throttled body pipe drained. */
    void resumeReading() {
        if (readsThrottled) {
            readsThrottled = false;
            process();
        }
    }

    void sendContinue(Exchange exchange) {
        if (exchange != current || exchange.continueSent || exchange.responseStarted || closed) {
            return;
        }
        exchange.continueSent = true;
        connection.sendData(Http1ResponseEncoder.CONTINUE);
    }

    // ---- responses -------------------------------------------------------------------------

    /** A whole response. */
    void respond(Exchange exchange, Http1Response.ResponseHead head, byte[] body) {
        if (!accepts(exchange)) {
            return;
        }
        boolean bodiless = Status.bodiless(head.status());
        // A response before the whole request body arrived ends the connection: say so.
        boolean close = mustClose(exchange, head) || !exchange.requestComplete;
        ByteSink sink = encodeHead(exchange, head, close);
        if (!bodiless) {
            encoder.contentLength(sink, body.length);
        }
        encoder.endHead(sink);
        boolean withBody = !bodiless && exchange.head.method() != Method.HEAD && body.length > 0;
        if (withBody && body.length <= INLINE_BODY) {
            sink.put(body);
            send(sink);
        } else {
            send(sink);
            if (withBody) {
                connection.sendWithoutCopy(ByteBuffer.wrap(body));
            }
        }
        complete(exchange, close);
    }

    /** The head of a streamed response. */
    void startStream(Exchange exchange, Http1Response.ResponseHead head) {
        if (!accepts(exchange)) {
            return;
        }
        Exchange.Framing framing;
        if (Status.bodiless(head.status())) {
            framing = Exchange.Framing.NONE;
        } else if (head.contentLength() >= 0) {
            framing = Exchange.Framing.LENGTH;
        } else if (exchange.head.http11()) {
            framing = Exchange.Framing.CHUNKED;
        } else {
            framing = Exchange.Framing.CLOSE;
        }
        // A body delimited by the close needs one, but a HEAD response carries no body.
        boolean close = mustClose(exchange, head)
                || (framing == Exchange.Framing.CLOSE && exchange.head.method() != Method.HEAD);
        ByteSink sink = encodeHead(exchange, head, close);
        if (framing == Exchange.Framing.LENGTH) {
            encoder.contentLength(sink, head.contentLength());
        } else if (framing == Exchange.Framing.CHUNKED) {
            encoder.chunked(sink);
        }
        encoder.endHead(sink);
        send(sink);
        if (exchange.head.method() == Method.HEAD) {
            framing = Exchange.Framing.NONE;
        }
        exchange.framing = framing;
        exchange.declaredLength = head.contentLength();
        exchange.closeAfter = close;
    }

    /** A piece of a streamed body; {@code last} completes the response. */
    void streamData(Exchange exchange, ByteBuffer data, boolean last) {
        if (exchange != current || closed || exchange.aborted) {
            return;
        }
        int n = data.remaining();
        exchange.streamTaken += n; // only this loop writes it
        switch (exchange.framing) {
            case NONE -> {
            }
            case CHUNKED -> {
                ByteSink sink = sink();
                if (n > 0) {
                    encoder.chunkStart(sink, n);
                    if (n <= INLINE_BODY) {
                        sink.put(data);
                    } else {
                        send(sink);
                        connection.sendWithoutCopy(data);
                        sink = sink();
                    }
                    encoder.chunkEnd(sink);
                }
                if (last) {
                    encoder.lastChunk(sink);
                }
                if (n > 0 || last) {
                    send(sink);
                }
            }
            case LENGTH, CLOSE -> {
                exchange.sentLength += n;
                if (exchange.framing == Exchange.Framing.LENGTH && exchange.sentLength > exchange.declaredLength) {
                    abort(exchange, "response body longer than its Content-Length");
                    return;
                }
                if (n > 0) {
                    sendBody(data);
                }
            }
        }
        if (last) {
            if (exchange.framing == Exchange.Framing.LENGTH && exchange.sentLength != exchange.declaredLength) {
                abort(exchange, "response body shorter than its Content-Length");
                return;
            }
            complete(exchange, exchange.closeAfter);
        }
    }

    /**
     * Closes without completing the response: the client gets what was queued (one last
     * non-blocking write), then sees the connection end, so it knows the response is incomplete.
     */
    void abort(Exchange exchange, String why) {
        if (exchange == current && !closed) {
            LOG.log(System.Logger.Level.DEBUG, () -> "aborting " + exchange + ": " + why);
            IOException cause = new IOException(why);
            exchange.abort(cause);
            current = null;
            closeCause = cause;
            closeAfterWriting(); // what is queued still goes out; then the client sees the end
        }
    }

    /** Completes {@code drained} once the unwritten bytes fall below the low-water mark. */
    void whenDrained(CompletableFuture<Void> drained) {
        if (closed) {
            drained.completeExceptionally(new IOException("connection closed"));
            return;
        }
        connection.whenDrained().whenComplete((done, failure) -> {
            if (failure != null) {
                drained.completeExceptionally(new IOException("connection closed", failure));
            } else {
                drained.complete(null);
            }
        });
    }

    private boolean accepts(Exchange exchange) {
        if (exchange != current || closed || exchange.aborted || exchange.responseStarted) {
            return false;
        }
        exchange.responseStarted = true;
        return true;
    }

    private boolean mustClose(Exchange exchange, Http1Response.ResponseHead head) {
        if (!exchange.head.keepAlive() || closeAfterWrite || server.isDraining()) {
            return true;
        }
        if (inputClosed && (pending == null || !pending.hasRemaining())) {
            return true; // the client half-closed and no request of it is left to answer
        }
        // The client waits for 100 Continue that will never come: it cannot send the next request.
        if (exchange.head.expectContinue() && !exchange.continueSent && !exchange.requestComplete) {
            return true;
        }
        String[] fields = head.fields();
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase("Connection") && fields[i + 1].toLowerCase(java.util.Locale.ROOT).contains("close")) {
                return true;
            }
        }
        return false;
    }

    private ByteSink encodeHead(Exchange exchange, Http1Response.ResponseHead head, boolean close) {
        ByteSink sink = sink();
        encoder.head(sink, head.status(), head.fields(), close, exchange.head.http11());
        return sink;
    }

    /** The response is fully queued: close, or go on with the next request. */
    private void complete(Exchange exchange, boolean close) {
        current = null;
        if (close || !exchange.requestComplete) {
            exchange.body.fail(new IOException("response sent before the request body was read"));
            closeAfterWriting();
        } else {
            process(); // a pipelined request may be waiting in the buffer
        }
        updateDeadline();
    }

    /** Answers a malformed request with its status, then closes. */
    private void protocolError(HttpException e) {
        LOG.log(System.Logger.Level.DEBUG, () -> remote + ": " + e.status() + " " + e.getMessage());
        Exchange exchange = current;
        if (exchange != null) {
            if (exchange.responseStarted) {
                close(new IOException(e.getMessage()));
                return;
            }
            exchange.abort(new IOException("malformed request body: " + e.getMessage()));
            exchange.responseStarted = true; // the handler's response, if any, is dropped
            current = null;
        }
        byte[] body = (e.getMessage() == null ? Status.reason(e.status()) : e.getMessage()).getBytes(StandardCharsets.UTF_8);
        writeErrorAndClose(e.status(), body);
    }

    /** A plain-text error response with Connection: close, outside any exchange. */
    void writeErrorAndClose(int status, byte[] body) {
        ByteSink sink = sink();
        encoder.error(sink, status, body);
        send(sink);
        closeAfterWriting();
    }

    // ---- writing ---------------------------------------------------------------------------

    /**
     * The loop's encoding buffer, emptied: heads (and small bodies) are encoded there, then copied
     * into the connection's out-queue by {@link #send}, so that a response allocates no buffer.
     */
    private ByteSink sink() {
        ByteSink sink = server.encodingBuffer(loop);
        sink.reset();
        return sink;
    }

    /** Queues what was encoded into {@code sink} (a copy: the sink is the loop's again). */
    private void send(ByteSink sink) {
        connection.sendData(sink.view(0));
    }

    /** Queues a piece of a streamed body: small ones copied (they coalesce), large ones as they are. */
    private void sendBody(ByteBuffer data) {
        if (data.remaining() <= INLINE_BODY) {
            connection.sendData(data);
        } else {
            connection.sendWithoutCopy(data);
        }
    }

    /** No more requests on this connection: it closes once everything queued is written (then lingers). */
    private void closeAfterWriting() {
        if (!closeAfterWrite) {
            closeAfterWrite = true;
            connection.closeAfterWriting();
        }
    }

    /** Asks the connection to read, or not, when that changed. */
    private void updateReading() {
        if (closed) {
            return;
        }
        boolean read = !inputClosed && !readsThrottled && !closeAfterWrite && !outputPaused
                && (pending == null || pending.remaining() < MAX_PENDING);
        if (read == readPaused) {
            readPaused = !read;
            if (read) {
                connection.resume();
            } else {
                connection.pause();
            }
        }
    }

    // ---- timeouts and closing --------------------------------------------------------------

    private void updateDeadline() {
        if (closed) {
            return;
        }
        ServerConfig c = server.config();
        if (current == null) {
            if (closeAfterWrite) {
                deadlineKind = Deadline.NONE; // the connection's write timeout and linger bound the rest
            } else if (headStartedAt != 0) {
                deadlineKind = Deadline.HEAD;
                deadline = headStartedAt + c.headerReadTimeout().toNanos();
            } else {
                deadlineKind = Deadline.IDLE;
                deadline = loop.now() + c.idleTimeout().toNanos();
            }
        } else if (!current.requestComplete && parser.inBody()) {
            deadlineKind = Deadline.BODY;
            deadline = lastReadAt + c.idleTimeout().toNanos();
        } else {
            deadlineKind = Deadline.NONE;
        }
    }

    /** Called by the loop's sweep; acts when this connection's deadline has passed. */
    void checkDeadline(long now) {
        if (closed || deadlineKind == Deadline.NONE || now - deadline < 0) {
            return;
        }
        switch (deadlineKind) {
            case HEAD, BODY -> {
                if (current != null && current.responseStarted) {
                    close(new IOException("request timed out"));
                } else {
                    if (current != null) {
                        current.abort(new IOException("request body timed out"));
                        current.responseStarted = true;
                        current = null;
                    }
                    deadlineKind = Deadline.NONE;
                    writeErrorAndClose(408, "request timed out".getBytes(StandardCharsets.US_ASCII));
                }
            }
            case IDLE -> {
                if (connection.queuedBytes() > 0) {
                    // Still writing the last response to a slow reader: not idle (the write timeout watches it).
                    deadline = now + server.config().idleTimeout().toNanos();
                } else {
                    close(null);
                }
            }
            case NONE -> {
            }
        }
    }

    /** Graceful stop: idle connections close now; busy ones close after their response. */
    void drain() {
        if (closed) {
            return;
        }
        if (current == null && parser.atMessageStart() && pending == null && connection.queuedBytes() == 0) {
            close(null);
        } else if (current == null && !parser.inHead()) {
            closeAfterWriting();
        }
    }

    /** Whether an exchange or a partly received request keeps this connection busy. */
    boolean isBusy() {
        return !closed && (current != null || parser.inHead() || connection.queuedBytes() > 0);
    }

    /** Closes now: what is queued is dropped, the exchange in flight aborted with {@code cause} (or a plain "closed"). */
    void close(IOException cause) {
        if (closed) {
            return;
        }
        closeCause = cause;
        connection.close(); // unbind follows at once, on this loop
    }
}
