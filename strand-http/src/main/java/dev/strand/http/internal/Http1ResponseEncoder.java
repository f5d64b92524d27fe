package dev.strand.http.internal;

import java.nio.charset.StandardCharsets;

/**
 * How HTTP/1.1 puts a response on the wire: the head (status line, the handler's fields, the
 * server's {@code Server} and {@code Date} unless the handler set them, and the connection's fate),
 * the body's framing ({@code Content-Length} or chunked), the chunks, and the responses the
 * connection writes by itself (100 Continue, errors). The one place where framing is written.
 *
 * <p>Stateless but for the server whose lines it adds; writes into the {@link ByteSink} it is
 * given. Threading: the connection's loop.
 */
final class Http1ResponseEncoder {

    static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] PLAIN_TEXT = ascii("Content-Type: text/plain; charset=utf-8\r\n");
    private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");
    private static final byte[] HEX = ascii("0123456789abcdef");

    private final StrandServer server;

    Http1ResponseEncoder(StrandServer server) {
        this.server = server;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The head up to its framing: the status line, the handler's fields but {@code Connection}
     * (decided here), {@code Server} and {@code Date} unless the handler set them, and
     * {@code Connection: close} when {@code close}, or {@code keep-alive} for an HTTP/1.0 client that
     * keeps the connection. Follow with {@link #contentLength} or {@link #chunked}, then {@link #endHead}.
     */
    void head(ByteSink sink, int status, String[] fields, boolean close, boolean http11) {
        sink.put(Status.line(status));
        boolean serverField = true;
        boolean dateField = true;
        for (int i = 0; i < fields.length; i += 2) {
            String name = fields[i];
            if (name.equalsIgnoreCase("Connection")) {
                continue;
            }
            serverField &= !name.equalsIgnoreCase("Server");
            dateField &= !name.equalsIgnoreCase("Date");
            sink.put(name).put(": ").put(fields[i + 1]).crlf();
        }
        if (serverField) {
            sink.put(server.serverLine());
        }
        if (dateField) {
            sink.put(server.dateLine());
        }
        if (close) {
            sink.put(CONNECTION_CLOSE);
        } else if (!http11) {
            sink.put(CONNECTION_KEEP_ALIVE);
        }
    }

    void contentLength(ByteSink sink, long length) {
        sink.put(CONTENT_LENGTH).putDecimal(length).crlf();
    }

    void chunked(ByteSink sink) {
        sink.put(CHUNKED);
    }

    void endHead(ByteSink sink) {
        sink.crlf();
    }

    /** A chunk's size line, before its {@code size} bytes (at least 1). */
    void chunkStart(ByteSink sink, int size) {
        int digits = (35 - Integer.numberOfLeadingZeros(size)) / 4; // hex digits, no leading zero
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            sink.putByte(HEX[(size >>> shift) & 0xf]);
        }
        sink.crlf();
    }

    /** The end of a chunk's data. */
    void chunkEnd(ByteSink sink) {
        sink.crlf();
    }

    /** The last, empty chunk, with no trailers. */
    void lastChunk(ByteSink sink) {
        sink.put(LAST_CHUNK);
    }

    /** A whole plain-text error response that closes the connection. */
    void error(ByteSink sink, int status, byte[] body) {
        sink.put(Status.line(status)).put(server.serverLine()).put(server.dateLine()).put(PLAIN_TEXT);
        contentLength(sink, body.length);
        sink.put(CONNECTION_CLOSE).crlf().put(body);
    }
}
