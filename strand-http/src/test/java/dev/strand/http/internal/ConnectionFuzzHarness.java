package dev.strand.http.internal;

import dev.strand.http.Handler;
import dev.strand.http.HttpException;
import dev.strand.http.LogCapture;
import dev.strand.http.Method;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays one client against one HTTP/1.1 connection over a {@link MemoryTransport}, as a fuzz input
 * dictates — what it sends (requests from a small grammar, or raw bytes), when it reads and how
 * much, when it half-closes — then checks what the connection did against oracles:
 * <ul>
 *   <li>it gets quiet after every step (no spinning on events it cannot use), and its unwritten
 *       output never passes the high watermark by more than one response;</li>
 *   <li>what it wrote is a well-formed sequence of responses (interim 1xx allowed), each with a
 *       status from the set the server may send, at most one per request plus one error;</li>
 *   <li>responses answer requests in order: a 200 carries the name and number of its request;</li>
 *   <li>every request is answered when nothing ended the connection early;</li>
 *   <li>once the client has read everything and half-closed, the connection is closed and the
 *       server holds no connection;</li>
 *   <li>nothing is logged at WARNING or above, but the one handler bug planted on purpose.</li>
 * </ul>
 * Not thread-safe; one harness runs one input at a time.
 */
final class ConnectionFuzzHarness implements AutoCloseable {

    /** Where a fuzz input's choices come from: Jazzer's data provider, or a seeded random. */
    interface Choices {
        /** An int in [min, max]; min when exhausted. */
        int pick(int min, int max);

        /** Up to {@code max} bytes. */
        byte[] bytes(int max);

        boolean exhausted();
    }

    static final int MAX_REQUEST_LINE = 256;
    static final int MAX_HEADER_SIZE = 1024;
    static final int MAX_HEADER_COUNT = 16;
    static final int MAX_BODY_SIZE = 4096;
    static final int LOW_WATER = 256;
    static final int HIGH_WATER = 1024;
    /** The largest response a route sends whole, with its head: the overshoot past the high watermark. */
    private static final int LARGEST_RESPONSE = 512;
    private static final int STREAM_CHUNK = 700;
    private static final int STREAM_CHUNKS = 3;
    private static final String PLANTED_BUG = "fuzz: a handler's planted bug";
    private static final Set<Integer> STATUSES = Set.of(200, 400, 404, 405, 408, 413, 414, 417, 431, 500, 501, 505);
    private static final Pattern ROUTE = Pattern.compile("/([abfisew])/(\\d+)");

    private final ConnectionDriver driver;
    /** Fibers of {@code /w} wait here until the input releases them: a handler that parks. */
    private final java.util.concurrent.ConcurrentLinkedQueue<java.util.concurrent.CompletableFuture<Void>> gates =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final LogCapture log = new LogCapture();
    private int nextId;

    ConnectionFuzzHarness() {
        driver = new ConnectionDriver(r -> r
                        .get("/a/{n}", Handler.nonBlocking((req, res) -> res.send("a" + req.pathParam("n"))))
                        .get("/f/{n}", (req, res) -> res.send("f" + req.pathParam("n")))
                        .post("/b/{n}", (req, res) -> res.send("b" + req.pathParam("n") + ":" + req.body().bytes().length))
                        .post("/i/{n}", Handler.nonBlocking(
                                (req, res) -> res.send("i" + req.pathParam("n") + ":" + req.body().bytes().length)))
                        .get("/s/{n}", (req, res) -> {
                            try (var out = res.outputStream()) {
                                out.write(("s" + req.pathParam("n")).getBytes(StandardCharsets.US_ASCII));
                                for (int i = 0; i < STREAM_CHUNKS; i++) {
                                    out.write(new byte[STREAM_CHUNK]);
                                    out.flush();
                                }
                            }
                        })
                        .get("/w/{n}", (req, res) -> {
                            var gate = new java.util.concurrent.CompletableFuture<Void>();
                            gates.add(gate);
                            gate.join();
                            res.send("w" + req.pathParam("n"));
                        })
                        .get("/e/{n}", (req, res) -> {
                            throw new IllegalStateException(PLANTED_BUG);
                        }),
                c -> c.maxRequestLine(MAX_REQUEST_LINE).maxHeaderSize(MAX_HEADER_SIZE).maxHeaderCount(MAX_HEADER_COUNT)
                        .maxBodySize(MAX_BODY_SIZE).writeWatermarks(LOW_WATER, HIGH_WATER)
                        .headerReadTimeout(Duration.ofMinutes(5)).idleTimeout(Duration.ofMinutes(5))
                        .writeTimeout(Duration.ofMinutes(5)));
    }

    /**
     * Runs one input on a fiber of the connection's loop (fast: no hand-offs between threads);
     * throws {@link AssertionError} when an oracle fails.
     */
    void runOnLoop(Choices in) {
        driver.onFiber(() -> {
            run(in);
            return null;
        });
    }

    /** Runs one input from the calling thread; throws {@link AssertionError} when an oracle fails. */
    void run(Choices in) {
        MemoryTransport client = null;
        log.clear(); // each input is judged by its own records
        try {
            client = connect(in);
            play(in, client);
        } finally {
            releaseParkedHandlers();
            if (client != null && !client.closed()) {
                driver.run(client, c -> c.connection().close(null)); // a failed run leaves nothing behind
            }
        }
    }

    private MemoryTransport connect(Choices in) {
        return driver.connect(switch (in.pick(0, 2)) {
            case 0 -> 0;
            case 1 -> in.pick(1, 4096);
            default -> Long.MAX_VALUE;
        });
    }

    private void play(Choices in, MemoryTransport client) {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        boolean ended = false;
        for (int step = 0; step < 48 && !in.exhausted() && !client.closed(); step++) {
            switch (in.pick(0, 6)) {
                case 0 -> send(client, sent, request(in));
                case 1 -> {
                    // A burst of pipelined requests: enough to pass the watermarks.
                    ByteArrayOutputStream burst = new ByteArrayOutputStream();
                    for (int n = in.pick(1, 64); n > 0; n--) {
                        burst.writeBytes(("GET /a/" + nextId++ + " HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    send(client, sent, burst.toByteArray());
                }
                case 2 -> send(client, sent, in.bytes(48));
                case 3 -> driver.run(client, c -> c.read(in.pick(0, 2048)));
                case 4 -> {
                    driver.run(client, MemoryTransport::endInput);
                    ended = true;
                }
                case 5 -> releaseParkedHandlers();
                default -> settleAndCheckBounded(client);
            }
            if (ended) {
                break;
            }
        }
        // The client reads everything and half-closes: the connection must answer and close.
        driver.run(client, c -> {
            c.read(Long.MAX_VALUE);
            c.endInput();
        });
        for (int round = 0; round < 1_000 && (!client.closed() || !gates.isEmpty()); round++) {
            releaseParkedHandlers(); // and those the requests behind them park in turn
            settleAndCheckBounded(client);
        }
        check(client.closed(), "the connection closes once the client has read everything and half-closed");
        check(driver.connectionsAndQueuedOutput()[0] == 0, "the server holds no connection afterwards");
        checkResponses(sent.toByteArray(), client.written());
        // The planted bug's reports: the first with its message, later ones as a count for its route.
        List<String> problems = log.atOrAbove(Level.WARNING).stream()
                .filter(line -> !line.contains(PLANTED_BUG) && !line.contains("handler failed for GET /e/")).toList();
        check(problems.isEmpty(), "nothing logged at WARNING or above: " + problems);
    }

    private void releaseParkedHandlers() {
        java.util.concurrent.CompletableFuture<Void> gate;
        while ((gate = gates.poll()) != null) {
            gate.complete(null);
        }
    }

    private void send(MemoryTransport client, ByteArrayOutputStream sent, byte[] bytes) {
        sent.writeBytes(bytes);
        driver.run(client, c -> c.send(bytes));
    }

    private void settleAndCheckBounded(MemoryTransport client) {
        driver.settle(client);
        long queued = driver.connectionsAndQueuedOutput()[1];
        check(queued <= HIGH_WATER + Math.max(LARGEST_RESPONSE, STREAM_CHUNK + 64),
                "unwritten output stays within the high watermark and one response: " + queued);
    }

    /** A request from a small grammar: mostly valid, each with the next number, sometimes odd. */
    private byte[] request(Choices in) {
        int id = nextId++;
        char route = "abfisewx".charAt(in.pick(0, 7));
        String method = switch (in.pick(0, 5)) {
            case 0, 1 -> "GET";
            case 2, 3 -> "POST";
            case 4 -> "HEAD";
            default -> "PUT";
        };
        StringBuilder head = new StringBuilder(method).append(" /").append(route).append('/').append(id)
                .append(in.pick(0, 7) == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
        if (in.pick(0, 9) != 0) {
            head.append("Host: h\r\n");
        }
        switch (in.pick(0, 9)) {
            case 0 -> head.append("Connection: close\r\n");
            case 1 -> head.append("Connection: keep-alive\r\n");
            case 2 -> head.append("Expect: 100-continue\r\n");
            default -> {
            }
        }
        byte[] body = new byte[in.pick(0, 3) == 0 ? in.pick(0, 300) : 0];
        java.util.Arrays.fill(body, (byte) 'x');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (body.length == 0 ? in.pick(0, 4) % 2 : in.pick(0, 1)) {
            case 0 -> {
                if (body.length > 0 || method.equals("POST")) {
                    head.append("Content-Length: ").append(body.length).append("\r\n");
                }
                out.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(body);
            }
            default -> {
                head.append("Transfer-Encoding: chunked\r\n\r\n");
                out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
                int at = 0;
                while (at < body.length) {
                    int n = Math.min(body.length - at, in.pick(1, 128));
                    out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, at, n);
                    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                    at += n;
                }
                out.writeBytes((in.pick(0, 3) == 0 ? "0\r\nX-Trailer: t\r\n\r\n" : "0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toByteArray();
    }

    /** What the strict parser makes of everything the client sent, as the connection saw it. */
    private record Reference(List<RequestHead> heads, int completeRequests, boolean failed) {
    }

    private static Reference reference(byte[] sent) {
        Http1Parser parser = new Http1Parser(MAX_REQUEST_LINE, MAX_HEADER_SIZE, MAX_HEADER_COUNT, MAX_BODY_SIZE);
        ByteBuffer in = ByteBuffer.wrap(sent);
        List<RequestHead> heads = new ArrayList<>();
        int complete = 0;
        try {
            while (true) {
                switch (parser.next(in)) {
                    case NEED_MORE -> {
                        // The client half-closed here: a request cut short is an error.
                        return new Reference(heads, complete, !parser.atMessageStart());
                    }
                    case HEAD -> heads.add(parser.head());
                    case CONTENT -> {
                    }
                    case MESSAGE_END -> complete++;
                }
            }
        } catch (HttpException e) {
            return new Reference(heads, complete, true);
        }
    }

    /** A final response; {@code delimitedByClose}: its body ends with the connection (HTTP/1.0 streams). */
    private record Reply(int status, String body, boolean close, boolean delimitedByClose) {
    }

    private void checkResponses(byte[] sent, byte[] written) {
        Reference ref = reference(sent);
        List<Reply> replies = parseReplies(written, ref.heads());
        check(replies.size() <= ref.heads().size() + 1,
                replies.size() + " responses for " + ref.heads().size() + " request heads");
        for (int i = 0; i < replies.size(); i++) {
            Reply reply = replies.get(i);
            check(STATUSES.contains(reply.status()), "response " + i + " has an unexpected status " + reply.status());
            if (i < ref.heads().size() && reply.status() == 200 && ref.heads().get(i).method() != Method.HEAD) {
                Matcher m = ROUTE.matcher(ref.heads().get(i).path());
                check(m.matches() && reply.body().startsWith(m.group(1) + m.group(2)),
                        "response " + i + " (" + reply.body() + ") answers request " + ref.heads().get(i).path());
            }
            check(!reply.close() || i == replies.size() - 1, "nothing follows a response with Connection: close");
        }
        // No request is dropped silently: fewer answers than requests only when the last one said
        // the connection ends, and a malformed request is always the end.
        boolean endedOnPurpose = !replies.isEmpty() && replies.getLast().close();
        check(endedOnPurpose || replies.size() >= ref.completeRequests(),
                replies.size() + " responses for " + ref.completeRequests() + " complete requests, without a close");
        check(!ref.failed() || endedOnPurpose || replies.size() > ref.completeRequests(),
                "a malformed request ends the connection with a response that says so");
        if (endedOnPurpose && replies.size() < ref.completeRequests()) {
            // The close must come from that request: a keep-alive request answered in full by a
            // handler, with the next ones already sent, does not end the connection.
            RequestHead last = ref.heads().get(replies.size() - 1);
            int status = replies.getLast().status();
            boolean byHandler = status == 200 || status == 404 || status == 405 || status == 500;
            check(!byHandler || !last.keepAlive() || last.hasBody() || last.expectContinue()
                            || replies.getLast().delimitedByClose(),
                    "request " + (replies.size() - 1) + " (" + last.path() + ") closed the connection with "
                            + (ref.completeRequests() - replies.size()) + " requests behind it unanswered");
        }
    }

    /** Parses the responses in {@code written}; fails on anything malformed or cut short. */
    private static List<Reply> parseReplies(byte[] written, List<RequestHead> heads) {
        List<Reply> replies = new ArrayList<>();
        int at = 0;
        while (at < written.length) {
            int headEnd = indexOf(written, "\r\n\r\n", at);
            check(headEnd >= 0, "a response head is cut short at byte " + at);
            String[] lines = new String(written, at, headEnd - at, StandardCharsets.ISO_8859_1).split("\r\n");
            check(lines[0].matches("HTTP/1\\.1 \\d{3} .*"), "a malformed status line: " + lines[0]);
            int status = Integer.parseInt(lines[0].substring(9, 12));
            at = headEnd + 4;
            if (status >= 100 && status < 200) {
                continue; // interim: 100 Continue
            }
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                check(colon > 0, "a malformed header line: " + lines[i]);
                String name = lines[i].substring(0, colon).toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> {
                    }
                }
            }
            boolean headRequest = replies.size() < heads.size() && heads.get(replies.size()).method() == Method.HEAD;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (!headRequest) {
                if (chunked) {
                    while (true) {
                        int lineEnd = indexOf(written, "\r\n", at);
                        check(lineEnd > at, "a chunk line is cut short");
                        int size = Integer.parseInt(new String(written, at, lineEnd - at, StandardCharsets.ISO_8859_1), 16);
                        at = lineEnd + 2;
                        check(at + size + 2 <= written.length, "a chunk is cut short");
                        body.write(written, at, size);
                        at += size + 2;
                        if (size == 0) {
                            break;
                        }
                    }
                } else if (length < 0) {
                    // Close-delimited (a streamed response to HTTP/1.0): the rest is the body.
                    check(close, "a response without framing that does not close");
                    body.write(written, at, written.length - at);
                    at = written.length;
                } else {
                    check(at + length <= written.length, "a response body is cut short");
                    body.write(written, at, (int) length);
                    at += (int) length;
                }
            }
            replies.add(new Reply(status, body.toString(StandardCharsets.ISO_8859_1), close,
                    !headRequest && !chunked && length < 0));
        }
        return replies;
    }

    private static int indexOf(byte[] in, String what, int from) {
        byte[] w = what.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = from; i <= in.length - w.length; i++) {
            for (int j = 0; j < w.length; j++) {
                if (in[i + j] != w[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    @Override
    public void close() {
        log.close();
        driver.close();
    }
}
