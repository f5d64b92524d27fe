package dev.strand.http;

import dev.strand.admission.Permit;
import dev.strand.reactor.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP/1.1 connection, confined to its loop: reads, parses, dispatches one exchange at a time
 * (so pipelined responses keep request order), encodes responses and writes them, one flush per
 * loop turn. It speaks to a {@link Transport} (a socket, or memory in tests), never to NIO itself.
 *
 * <p>Every method runs on the connection's loop; handlers on fibers reach it through
 * {@link EventLoop#schedule}, which in loop-carrier mode is a plain call.
 */
final class Http1Connection {

    private static final System.Logger LOG = System.getLogger(Http1Connection.class.getName());
    /** Beyond this many unparsed bytes (requests waiting behind the one in flight) reading pauses. */
    private static final int MAX_PENDING = 16 * 1024;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();
    /** How long a closing connection keeps draining the client's bytes, so it sees our response. */
    private static final long LINGER_NANOS = 2_000_000_000L;

    private enum Deadline { NONE, HEAD, IDLE, BODY, WRITE, LINGER }

    private final StrandServer server;
    private final Http1ResponseEncoder encoder;
    private final EventLoop loop;
    private final Transport transport;
    private final InetSocketAddress remote;
    private final Http1Parser parser;
    /**
     * Bytes read but not parsed yet, in read mode; null when there are none, which is almost always:
     * reads land in the loop's shared buffer, and only a remainder is copied here, so an idle
     * connection holds no read buffer.
     */
    private ByteBuffer pending;
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    /**
     * Where response heads (and small bodies) are encoded: lent by the loop while output is queued,
     * given back when it drains, so that responses allocate no buffer and idle connections hold none.
     */
    private ByteSink heads;
    /** {@link #flush}, made once: a method reference per request would allocate. */
    private final Runnable flushTask = this::flush;
    /** The view of {@link #heads} queued last: while it is still last, the next head extends it. */
    private ByteBuffer headsView;
    /** Where the head being encoded began in {@link #heads}. */
    private int headStart;
    private final List<CompletableFuture<Void>> drainWaiters = new ArrayList<>(0);
    private ByteBuffer[] gather;

    private Exchange current;
    private boolean processing;
    private boolean flushQueued;
    private boolean closeAfterWrite;
    private boolean inputClosed;
    private boolean lingering;
    private boolean closed;
    private boolean readsThrottled;
    /**
     * Output back-pressure: the unwritten responses passed the high watermark, so neither reading
     * nor dispatching goes on until the client has read down to the low one. Without it a client
     * that pipelines and never reads makes the server answer into an ever-growing queue.
     */
    private boolean outputPaused;
    private final long highWater;
    private final long lowWater;
    /** The request body pipe's watermarks ({@link ServerConfig#bodyHighWatermark}), for its exchanges. */
    final int bodyHighWater;
    final int bodyLowWater;
    private volatile long outboundBytes;

    private Deadline deadlineKind = Deadline.HEAD;
    private long deadline;
    private long headStartedAt;
    private long lastReadAt;
    private long writeBlockedSince;

    Http1Connection(StrandServer server, EventLoop loop, Transport transport, InetSocketAddress remote) {
        this.server = server;
        this.encoder = server.encoder();
        this.loop = loop;
        this.transport = transport;
        this.remote = remote;
        ServerConfig c = server.config();
        this.parser = new Http1Parser(c.maxRequestLine(), c.maxHeaderSize(), c.maxHeaderCount(), c.maxBodySize());
        this.highWater = c.writeHighWatermark();
        this.lowWater = c.writeLowWatermark();
        this.bodyHighWater = c.bodyHighWatermark();
        this.bodyLowWater = c.bodyLowWatermark();
        this.headStartedAt = loop.now();
        this.lastReadAt = headStartedAt;
    }

    /** Registers with the loop; the first request must arrive within the header-read timeout. */
    void open() {
        transport.open(this);
        updateDeadline();
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

    long outboundBytes() {
        return outboundBytes;
    }

    /**
     * Whether a fiber streaming a response should park until the client reads: the unwritten
     * bytes, with {@code inFlight} bytes handed to the loop but not taken yet, pass the high
     * watermark. Any thread.
     */
    boolean outputOverHighWater(long inFlight) {
        return outboundBytes + inFlight > highWater;
    }

    // ---- I/O events ------------------------------------------------------------------------

    /** The transport can take more bytes. */
    void onWritable() {
        flush();
    }

    /** The transport failed or was closed under us. */
    void closed(Throwable cause) {
        close(cause instanceof IOException io ? io : new IOException(cause));
    }

    /** The transport has bytes, or the end of the client's input, to read. */
    void onReadable() {
        if (closed) {
            return;
        }
        ByteBuffer buffer = server.readBuffer(loop);
        buffer.clear();
        if (pending != null) {
            buffer.put(pending);
            pending = null;
        }
        int n;
        try {
            n = transport.read(buffer);
        } catch (IOException e) {
            close(e);
            return;
        }
        buffer.flip();
        if (n > 0) {
            lastReadAt = loop.now();
        }
        if (lingering) {
            if (n < 0) {
                close(null);
            }
            return; // a closing connection only drains what the client still sends
        }
        pending = buffer.hasRemaining() ? buffer : null;
        if (n < 0) {
            onEndOfInput();
        } else if (n > 0) {
            process();
        }
        if (pending == buffer) {
            // The buffer is the loop's: keep what is left in one of our own.
            pending = buffer.hasRemaining() ? ByteBuffer.allocate(buffer.remaining()).put(buffer).flip() : null;
        }
    }

    /**
     * The client half-closed: the requests it sent before are still answered, in order (see the
     * end-of-input case in {@link #process}), then the connection closes; unless the request in
     * hand waits in an admission queue.
     */
    private void onEndOfInput() {
        if (current != null && current.admission != null) {
            // Its request still waits for admission: taken as gone, as most servers take an end of
            // input, so that clients that send and leave cannot fill a queue with work nobody awaits.
            close(new IOException("the client closed while its request waited for admission"));
            return;
        }
        inputClosed = true;
        process();
        updateInterest();
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
                if (current == null && (outputPaused || outboundBytes >= highWater)) {
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
                                closeAfterWrite = true;
                                requestFlush();
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
            if (lingering || !in.hasRemaining()) {
                pending = null; // a closing connection keeps nothing it reads
            }
            processing = false;
            if (!closed) {
                updateInterest();
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
        enqueue(ByteBuffer.wrap(Http1ResponseEncoder.CONTINUE));
        flush();
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
        if (withBody && body.length <= 4096) {
            sink.put(body);
            enqueueHead();
        } else {
            enqueueHead();
            if (withBody) {
                enqueue(ByteBuffer.wrap(body));
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
        enqueueHead();
        if (exchange.head.method() == Method.HEAD) {
            framing = Exchange.Framing.NONE;
        }
        exchange.framing = framing;
        exchange.declaredLength = head.contentLength();
        exchange.closeAfter = close;
        requestFlush();
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
                if (n > 0) {
                    encoder.chunkStart(headSink(), n);
                    enqueueHead();
                    enqueue(data);
                    encoder.chunkEnd(headSink());
                }
                if (last) {
                    if (n == 0) {
                        headSink();
                    }
                    encoder.lastChunk(heads);
                }
                if (n > 0 || last) {
                    enqueueHead();
                }
            }
            case LENGTH, CLOSE -> {
                exchange.sentLength += n;
                if (exchange.framing == Exchange.Framing.LENGTH && exchange.sentLength > exchange.declaredLength) {
                    abort(exchange, "response body longer than its Content-Length");
                    return;
                }
                if (n > 0) {
                    enqueue(data);
                }
            }
        }
        if (last) {
            if (exchange.framing == Exchange.Framing.LENGTH && exchange.sentLength != exchange.declaredLength) {
                abort(exchange, "response body shorter than its Content-Length");
                return;
            }
            complete(exchange, exchange.closeAfter);
        } else {
            requestFlush();
        }
    }

    /**
     * Closes without completing the response: the client gets what was queued (one last
     * non-blocking write), then sees the connection end, so it knows the response is incomplete.
     */
    void abort(Exchange exchange, String why) {
        if (exchange == current && !closed) {
            LOG.log(System.Logger.Level.DEBUG, () -> "aborting " + exchange + ": " + why);
            exchange.aborted = true;
            flush();
            close(new IOException(why));
        }
    }

    /** Completes {@code drained} once the unwritten bytes fall below the low-water mark. */
    void whenDrained(CompletableFuture<Void> drained) {
        if (closed) {
            drained.completeExceptionally(new IOException("connection closed"));
        } else if (outboundBytes <= lowWater) {
            drained.complete(null);
        } else {
            drainWaiters.add(drained);
        }
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
        ByteSink sink = headSink();
        encoder.head(sink, head.status(), head.fields(), close, exchange.head.http11());
        return sink;
    }

    /** The response is fully queued: close, or go on with the next request. */
    private void complete(Exchange exchange, boolean close) {
        current = null;
        if (close || !exchange.requestComplete) {
            closeAfterWrite = true;
            exchange.body.fail(new IOException("response sent before the request body was read"));
        }
        requestFlush();
        if (!closeAfterWrite) {
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
        encoder.error(headSink(), status, body);
        enqueueHead();
        closeAfterWrite = true;
        flush();
    }

    // ---- writing ---------------------------------------------------------------------------

    /**
     * The head buffer, taken from the loop's when this connection has none (its output drained since
     * the last response); marks where this head begins.
     */
    private ByteSink headSink() {
        if (heads == null) {
            heads = server.takeHeadBuffer(loop);
        } else if (out.isEmpty()) {
            heads.reset();
        }
        headStart = heads.size();
        return heads;
    }

    /**
     * Queues the head just encoded into {@link #heads}: by extending the view queued last when it ends
     * where this head begins (pipelined responses), else through the buffer's own view, or a view of
     * its own when that one is still queued.
     */
    private void enqueueHead() {
        byte[] array = heads.array();
        int end = heads.size();
        ByteBuffer last = out.peekLast();
        if (last != null && last == headsView && last.array() == array && last.limit() == headStart) {
            last.limit(end);
            outboundBytes += end - headStart;
            return;
        }
        ByteBuffer shared = heads.currentView();
        headsView = shared != null && out.contains(shared) ? ByteBuffer.wrap(array, headStart, end - headStart) : heads.view(headStart);
        enqueue(headsView);
    }

    /** The output drained: the head buffer goes back to the loop, so that an idle connection holds none. */
    private void releaseHeads() {
        if (heads != null) {
            server.returnHeadBuffer(loop, heads);
            heads = null;
            headsView = null;
        }
    }

    private void enqueue(ByteBuffer buffer) {
        out.add(buffer);
        outboundBytes += buffer.remaining();
    }

    /** Flushes once at the end of this loop turn, so pipelined responses leave in one write. */
    private void requestFlush() {
        if (!flushQueued && !closed) {
            flushQueued = true;
            loop.endOfTurn(flushTask);
        }
    }

    private void flush() {
        flushQueued = false;
        if (closed) {
            return;
        }
        long progress = 0;
        try {
            while (!out.isEmpty()) {
                long written;
                if (out.size() == 1) {
                    // The common case (one small response): a plain write, without NIO's iovec set-up.
                    written = transport.write(out.peek());
                } else {
                    int n = Math.min(out.size(), 64);
                    if (gather == null || gather.length < n) {
                        gather = new ByteBuffer[n <= 4 ? 4 : 64];
                    }
                    var it = out.iterator();
                    for (int i = 0; i < n; i++) {
                        gather[i] = it.next();
                    }
                    written = transport.write(gather, 0, n);
                    java.util.Arrays.fill(gather, 0, n, null);
                }
                outboundBytes -= written;
                progress += written;
                while (!out.isEmpty() && !out.peek().hasRemaining()) {
                    out.poll();
                }
                if (written == 0) {
                    break;
                }
            }
        } catch (IOException e) {
            close(e);
            return;
        }
        if (out.isEmpty()) {
            releaseHeads();
            writeBlockedSince = 0;
            if (closeAfterWrite) {
                startLingeringClose();
                return;
            }
        } else if (writeBlockedSince == 0 || progress > 0) {
            writeBlockedSince = loop.now(); // the write timeout counts from the last progress
        }
        if (outboundBytes <= lowWater) {
            if (!drainWaiters.isEmpty()) {
                drainWaiters.forEach(w -> w.complete(null));
                drainWaiters.clear();
            }
            if (outputPaused) {
                resumeOutput();
                return;
            }
        }
        updateInterest();
        updateDeadline();
    }

    /** The client read down to the low watermark: dispatch what waits, and read again. */
    private void resumeOutput() {
        outputPaused = false;
        process();
        if (!closed) {
            updateInterest();
            updateDeadline();
        }
    }

    /** Half-closes, then drains the client's bytes for a while so it reads our last response. */
    private void startLingeringClose() {
        if (inputClosed) {
            close(null);
            return;
        }
        try {
            transport.shutdownOutput();
        } catch (IOException e) {
            close(e);
            return;
        }
        lingering = true;
        pending = null;
        updateInterest();
        deadlineKind = Deadline.LINGER;
        deadline = loop.now() + LINGER_NANOS;
    }

    private void updateInterest() {
        if (closed) {
            return;
        }
        boolean read = !inputClosed && (lingering || (!readsThrottled && !closeAfterWrite && !outputPaused
                && (pending == null || pending.remaining() < MAX_PENDING)));
        transport.interest(read, !out.isEmpty());
    }

    // ---- timeouts and closing --------------------------------------------------------------

    private void updateDeadline() {
        if (closed || lingering) {
            return;
        }
        ServerConfig c = server.config();
        if (writeBlockedSince != 0) {
            deadlineKind = Deadline.WRITE;
            deadline = writeBlockedSince + c.writeTimeout().toNanos();
        } else if (current == null) {
            if (closeAfterWrite) {
                deadlineKind = Deadline.NONE;
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
            case IDLE, LINGER -> close(null);
            case WRITE -> close(new IOException("write timed out"));
            case NONE -> {
            }
        }
    }

    /** Graceful stop: idle connections close now; busy ones close after their response. */
    void drain() {
        if (closed) {
            return;
        }
        if (current == null && parser.atMessageStart() && pending == null && out.isEmpty()) {
            close(null);
        } else if (current == null && !parser.inHead()) {
            closeAfterWrite = true;
            requestFlush();
        }
    }

    /** Whether an exchange or a partly received request keeps this connection busy. */
    boolean isBusy() {
        return !closed && (current != null || parser.inHead() || !out.isEmpty());
    }

    void close(IOException cause) {
        if (closed) {
            return;
        }
        closed = true;
        transport.close();
        IOException why = cause != null ? cause : new IOException("connection closed");
        if (current != null) {
            current.abort(why);
        }
        drainWaiters.forEach(w -> w.completeExceptionally(why));
        drainWaiters.clear();
        out.clear();
        outboundBytes = 0;
        server.connectionClosed(this);
    }
}
