package dev.strand.http.internal;

import dev.strand.admission.AdmissionException;
import dev.strand.http.HttpException;
import dev.strand.http.Response;
import dev.strand.reactor.TimedOut;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The handler's side of a response. It only collects status and fields and hands them, with the
 * body, to the connection's loop, which encodes and writes them (directly, when called on the loop).
 */
final class Http1Response implements Response {

    private static final System.Logger LOG = System.getLogger(Http1Response.class.getName());
    private static final byte[] EMPTY = new byte[0];
    private static final String[] NO_FIELDS = new String[0];

    private final Exchange exchange;
    private int status = 200;
    /** Names and values, alternating, in {@code fields[0..fieldCount)}: a plain array, as a response has few. */
    private String[] fields = NO_FIELDS;
    private int fieldCount;
    private boolean hasContentType;
    private long contentLength = -1;
    private boolean committed;
    private Stream stream;

    Http1Response(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public Response status(int status) {
        if (status < 200 || status > 999) {
            throw new IllegalArgumentException("status must be 200 to 999: " + status);
        }
        checkNotCommitted();
        this.status = status;
        return this;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public Response header(String name, String value) {
        checkNotCommitted();
        checkField(name, value);
        if (name.equalsIgnoreCase("Transfer-Encoding")) {
            throw new IllegalArgumentException("Transfer-Encoding is set by the server");
        }
        if (name.equalsIgnoreCase("Content-Length")) {
            try {
                contentLength = Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed Content-Length: " + value);
            }
            if (contentLength < 0) {
                throw new IllegalArgumentException("negative Content-Length: " + value);
            }
            return this;
        }
        if (name.equalsIgnoreCase("Content-Type")) {
            hasContentType = true;
        }
        if (fieldCount == fields.length) {
            fields = java.util.Arrays.copyOf(fields, fields.length == 0 ? 2 : fields.length * 2);
        }
        fields[fieldCount++] = name;
        fields[fieldCount++] = value;
        return this;
    }

    @Override
    public void send(String body) {
        if (!hasContentType) {
            header("Content-Type", "text/plain; charset=utf-8");
        }
        send(body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void send(byte[] body) {
        checkNotCommitted();
        if (!hasContentType && body.length > 0) {
            header("Content-Type", "application/octet-stream");
        }
        committed = true;
        ResponseHead head = head();
        Http1Connection connection = exchange.connection;
        connection.loop().schedule(() -> connection.respond(exchange, head, body));
    }

    @Override
    public void json(Object value) {
        checkNotCommitted();
        byte[] body = exchange.connection.json().mapper().write(value);
        if (!hasContentType) {
            header("Content-Type", "application/json");
        }
        send(body);
    }

    @Override
    public OutputStream outputStream() {
        checkNotCommitted();
        committed = true;
        ResponseHead head = head();
        Http1Connection connection = exchange.connection;
        connection.loop().schedule(() -> connection.startStream(exchange, head));
        stream = new Stream();
        return stream;
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    /** After the handler returned: sends an empty response, or ends a stream left open. */
    void finish() {
        if (!committed) {
            send(EMPTY);
        } else if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a response stream after the handler", e);
            }
        }
    }

    /**
     * After a handler (or filter, or error handler: {@code what} failed) threw: an error response
     * when nothing was sent yet, else abort.
     */
    void fail(Throwable error, String what) {
        if (error instanceof HttpException http) {
            LOG.log(System.Logger.Level.DEBUG, () -> exchange + " answered " + http.status() + ": " + http.getMessage());
        } else if (error instanceof AdmissionException || error instanceof TimedOut) {
            // Overload, answered 503: routine under load, and counted where it happened.
            LOG.log(System.Logger.Level.DEBUG, () -> exchange + " answered 503: " + error.getMessage());
        } else if (exchange.aborted && causedByIo(error)) {
            // The client's doing (a malformed body, a reset, a close): it already got its 4xx or is
            // gone, and one client must not be able to fill the log.
            LOG.log(System.Logger.Level.DEBUG, () -> what + " on " + exchange + ": " + error);
        } else {
            // The first of each exception class with its stack trace, then a count per interval.
            exchange.connection.handlerLog().report(what, System.Logger.Level.ERROR, what + " for " + exchange, error);
        }
        Http1Connection connection = exchange.connection;
        if (committed) {
            connection.loop().schedule(() -> connection.abort(exchange, "handler failed mid-response"));
            return;
        }
        reset();
        if (error instanceof HttpException http) {
            status = http.status();
            send(http.getMessage() == null ? Status.reason(status) : http.getMessage());
        } else if (error instanceof AdmissionException rejected) {
            status = 503;
            long seconds = Math.max(1, (rejected.retryAfter().toMillis() + 999) / 1000);
            header("Retry-After", Long.toString(seconds));
            String why = switch (rejected.reason()) {
                case QUEUE_FULL -> "the queue is full";
                case SHED -> "shed under load";
                case QUEUE_TIMEOUT -> "timed out in the queue";
                case DEADLINE -> "the request's deadline passed in the queue";
                case CANCELLED -> "cancelled";
            };
            send("Overloaded, not admitted (" + why + "): retry after " + seconds + " s");
        } else if (error instanceof TimedOut) {
            status = 503;
            send(Status.reason(503));
        } else {
            status = 500;
            send(Status.reason(500));
        }
    }

    /** Forgets the status and fields set so far, for an error response. Before it is sent. */
    void reset() {
        status = 200;
        fieldCount = 0;
        hasContentType = false;
        contentLength = -1;
    }

    private static boolean causedByIo(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    private ResponseHead head() {
        // No copy when the array is full, as it is for the usual one or two fields: nothing adds after this.
        return new ResponseHead(status, fieldCount == fields.length ? fields : java.util.Arrays.copyOf(fields, fieldCount), contentLength);
    }

    private void checkNotCommitted() {
        if (committed) {
            throw new IllegalStateException("response already sent");
        }
    }

    static void checkField(String name, String value) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("header name is not a token: " + name);
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < ' ' && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException("header value holds a control or non-Latin-1 character");
            }
        }
    }

    /** What the connection needs to encode a response head. */
    record ResponseHead(int status, String[] fields, long contentLength) {
    }

    /** A streamed body: buffered, handed to the loop a chunk at a time, with back-pressure. */
    private final class Stream extends OutputStream {
        private final byte[] buffer = new byte[8192];
        private int count;
        private boolean closed;
        /** Bytes handed to the loop; see {@link Exchange#streamTaken}. */
        private long handed;

        @Override
        public void write(int b) throws IOException {
            checkOpen();
            if (count == buffer.length) {
                emit(false);
            }
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            checkOpen();
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len >= buffer.length) {
                if (count > 0) {
                    emit(false);
                }
                hand(ByteBuffer.wrap(Arrays.copyOfRange(b, off, off + len)), false);
                return;
            }
            if (count + len > buffer.length) {
                emit(false);
            }
            System.arraycopy(b, off, buffer, count, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            checkOpen();
            if (count > 0) {
                emit(false);
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                emit(true);
            }
        }

        private void checkOpen() throws IOException {
            if (closed) {
                throw new IOException("response stream closed");
            }
            if (exchange.aborted) {
                throw new IOException("connection closed");
            }
        }

        private void emit(boolean last) throws IOException {
            ByteBuffer data = ByteBuffer.wrap(Arrays.copyOf(buffer, count));
            count = 0;
            hand(data, last);
        }

        private void hand(ByteBuffer data, boolean last) throws IOException {
            Http1Connection connection = exchange.connection;
            handed += data.remaining();
            connection.loop().schedule(() -> connection.streamData(exchange, data, last));
            if (!last && Thread.currentThread().isVirtual() && connection.outputOverHighWater(handed - exchange.streamTaken)) {
                awaitDrain(connection);
            }
        }

        /** Parks the fiber until the client has read enough; a fiber, never the loop itself. */
        private void awaitDrain(Http1Connection connection) throws IOException {
            CompletableFuture<Void> drained = new CompletableFuture<>();
            connection.loop().schedule(() -> connection.whenDrained(drained));
            try {
                drained.get();
            } catch (ExecutionException e) {
                throw new IOException("connection closed while writing", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while writing");
            }
        }
    }
}
