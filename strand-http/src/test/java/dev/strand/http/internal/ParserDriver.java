package dev.strand.http.internal;

import dev.strand.http.Headers;
import dev.strand.http.HttpException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Test helper: feeds bytes to a fresh {@link Http1Parser} in given pieces, the way a connection
 * does (unconsumed bytes are kept and the next piece appended), and records what it found as a
 * canonical transcript, one line per item:
 *
 * <pre>
 * HEAD GET /a?b HTTP/1.1 path=/a query=b cl=-1 chunked=false keepAlive=true expect=false | Host=x | ...
 * BODY 5 hello              (the concatenated CONTENT slices of one message, escaped)
 * TRAILERS X-T=1 | ...       (only when a chunked body had trailers)
 * END
 * ERROR 400                  (the parser threw; nothing follows)
 * INCOMPLETE inHead=... inBody=... body=...   (the input ended inside a message)
 * </pre>
 *
 * Pipelined requests simply continue after {@code END}. The transcript depends only on the bytes,
 * never on how they were split, if the parser is right.
 */
final class ParserDriver {

    static final int MAX_REQUEST_LINE = 8192;
    static final int MAX_HEADER_SIZE = 16384;
    static final int MAX_HEADER_COUNT = 100;
    static final long MAX_BODY_SIZE = 10L * 1024 * 1024;

    private final int maxRequestLine;
    private final int maxHeaderSize;
    private final int maxHeaderCount;
    private final long maxBodySize;
    private Consumer<Http1Parser> afterEachStep = parser -> { };

    /** The heads seen by the last run, in order. */
    final List<RequestHead> heads = new ArrayList<>();
    /** The trailers of each completed message, in order. */
    final List<Headers> trailers = new ArrayList<>();
    /** The body of each completed message, in order. */
    final List<byte[]> bodies = new ArrayList<>();
    /** The input offset just past each head, in order. */
    final List<Integer> headEnds = new ArrayList<>();
    /** The input offset just past each completed message, in order. */
    final List<Integer> messageEnds = new ArrayList<>();

    /** A driver for parsers with the server's default limits. */
    ParserDriver() {
        this(MAX_REQUEST_LINE, MAX_HEADER_SIZE, MAX_HEADER_COUNT, MAX_BODY_SIZE);
    }

    /** A driver for parsers with the given limits. */
    ParserDriver(int maxRequestLine, int maxHeaderSize, int maxHeaderCount, long maxBodySize) {
        this.maxRequestLine = maxRequestLine;
        this.maxHeaderSize = maxHeaderSize;
        this.maxHeaderCount = maxHeaderCount;
        this.maxBodySize = maxBodySize;
    }

    /** Runs {@code check} on the parser after each of its steps, events and NEED_MORE alike. */
    ParserDriver afterEachStep(Consumer<Http1Parser> check) {
        this.afterEachStep = check;
        return this;
    }

    /** The transcript of {@code input} fed in one buffer. */
    static String whole(byte[] input) {
        return new ParserDriver().run(input, new int[0]);
    }

    /** The transcript of {@code input} fed as two buffers, split before index {@code at}. */
    static String split(byte[] input, int at) {
        return new ParserDriver().run(input, new int[] {at});
    }

    /** The transcript of {@code input} fed one byte per buffer. */
    static String byteByByte(byte[] input) {
        int[] cuts = new int[Math.max(input.length - 1, 0)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return new ParserDriver().run(input, cuts);
    }

    /**
     * Feeds {@code input} cut before each index in {@code cuts} (ascending, within 0..length) and
     * returns the transcript.
     */
    String run(byte[] input, int[] cuts) {
        heads.clear();
        trailers.clear();
        bodies.clear();
        headEnds.clear();
        messageEnds.clear();
        Http1Parser parser = new Http1Parser(maxRequestLine, maxHeaderSize, maxHeaderCount, maxBodySize);
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        // Room for everything: leftovers are compacted to the front like the connection does.
        ByteBuffer buffer = ByteBuffer.allocate(input.length + 1);
        int from = 0;
        for (int p = 0; p <= cuts.length; p++) {
            int to = p < cuts.length ? cuts[p] : input.length;
            buffer.put(input, from, to - from);
            from = to;
            buffer.flip();
            try {
                while (true) {
                    Http1Parser.Event event = parser.next(buffer);
                    afterEachStep.accept(parser);
                    if (event == Http1Parser.Event.NEED_MORE) {
                        break;
                    }
                    switch (event) {
                        case HEAD -> {
                            RequestHead head = parser.head();
                            heads.add(head);
                            headEnds.add(from - buffer.remaining());
                            out.append(describe(head)).append('\n');
                        }
                        case CONTENT -> {
                            ByteBuffer content = parser.content();
                            byte[] bytes = new byte[content.remaining()];
                            content.get(bytes);
                            body.writeBytes(bytes);
                        }
                        case MESSAGE_END -> {
                            byte[] bytes = body.toByteArray();
                            body.reset();
                            bodies.add(bytes);
                            messageEnds.add(from - buffer.remaining());
                            if (bytes.length > 0) {
                                out.append("BODY ").append(bytes.length).append(' ').append(escape(bytes)).append('\n');
                            }
                            Headers t = parser.trailers();
                            trailers.add(t);
                            if (t.size() > 0) {
                                out.append("TRAILERS").append(fields(t)).append('\n');
                            }
                            out.append("END\n");
                        }
                        default -> throw new AssertionError(event);
                    }
                }
            } catch (HttpException e) {
                if (body.size() > 0) {
                    out.append("BODY-SO-FAR ").append(body.size()).append(' ').append(escape(body.toByteArray())).append('\n');
                }
                return out.append("ERROR ").append(e.status()).append('\n').toString();
            }
            buffer.compact();
        }
        if (!parser.atMessageStart() || body.size() > 0) {
            out.append("INCOMPLETE inHead=").append(parser.inHead()).append(" inBody=").append(parser.inBody())
                    .append(" body=").append(escape(body.toByteArray())).append('\n');
        }
        return out.toString();
    }

    static String describe(RequestHead head) {
        return "HEAD " + head.method() + ' ' + head.target() + ' ' + head.version()
                + " path=" + head.path() + " query=" + head.rawQuery().orElse("<none>")
                + " cl=" + head.contentLength() + " chunked=" + head.chunked()
                + " keepAlive=" + head.keepAlive() + " expect=" + head.expectContinue()
                + fields(head.headers());
    }

    private static String fields(Headers headers) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < headers.size(); i++) {
            text.append(" | ").append(headers.name(i)).append('=').append(escape(headers.value(i)));
        }
        return text.toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static String escape(byte[] bytes) {
        return escape(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    static String escape(String s) {
        StringBuilder text = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                text.append(c);
            } else {
                // By hand: the fuzz tests escape much binary input, and String.format is slow.
                text.append("\\x").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            }
        }
        return text.toString();
    }
}
