package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Chunked request bodies, and the framing of streamed responses on 1.1, 1.0, with a length, and for HEAD. */
class ChunkedBodiesTest {

    private static final int BLOCK = 64 * 1024;
    private static final int LARGE = 8 * 1024 * 1024;

    private static HttpServer server;
    private static final AtomicLong clientRead = new AtomicLong();
    private static volatile CompletableFuture<Long> largeWritten = new CompletableFuture<>();

    @BeforeAll
    static void start() {
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r
                        .post("/echo", (req, res) -> {
                            byte[] body = req.body().bytes();
                            res.send("length " + body.length + " declared " + req.body().declaredLength().orElse(-1L)
                                    + ": " + new String(body, StandardCharsets.UTF_8));
                        })
                        .post("/echo-inline", Handler.nonBlocking((req, res) -> {
                            byte[] body = req.body().bytes();
                            res.send("length " + body.length + ": " + new String(body, StandardCharsets.UTF_8));
                        }))
                        .post("/echo-stream", (req, res) -> {
                            // Reads through the stream in small pieces.
                            ByteArrayOutputStream all = new ByteArrayOutputStream();
                            try (InputStream in = req.body().stream()) {
                                byte[] buffer = new byte[7];
                                for (int n; (n = in.read(buffer)) >= 0; ) {
                                    all.write(buffer, 0, n);
                                }
                            }
                            res.send("streamed " + all.toString(StandardCharsets.UTF_8));
                        })
                        .get("/stream", (req, res) -> {
                            try (OutputStream out = res.outputStream()) {
                                out.write("part1".getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                                out.write("part2".getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                                out.write("part3".getBytes(StandardCharsets.US_ASCII));
                            }
                        })
                        .get("/fixed-stream", (req, res) -> {
                            res.header("Content-Length", "15");
                            try (OutputStream out = res.outputStream()) {
                                out.write("part1".getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                                out.write("part2part3".getBytes(StandardCharsets.US_ASCII));
                            }
                        })
                        .get("/whole", (req, res) -> res.send("hello world"))
                        .get("/large", (req, res) -> {
                            try (OutputStream out = res.outputStream()) {
                                for (int k = 0; k < LARGE / BLOCK; k++) {
                                    out.write(block(k));
                                }
                            } catch (IOException e) {
                                largeWritten.completeExceptionally(e);
                                throw e;
                            }
                            largeWritten.complete(clientRead.get());
                        }))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static byte[] block(int k) {
        byte[] b = new byte[BLOCK];
        for (int j = 0; j < BLOCK; j++) {
            b[j] = (byte) (k + j * 31);
        }
        return b;
    }

    @Test
    void aChunkedRequestBodyWithExtensionsAndTrailersIsReadWhole() throws Exception {
        for (String path : new String[] {"/echo", "/echo-inline", "/echo-stream"}) {
            try (RawConnection c = new RawConnection(server.port())) {
                c.send("POST " + path + " HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
                c.send("5;ext=1\r\nhello\r\n");
                c.send("1;name=\"quoted value\";flag\r\n \r\n");
                c.send("A\r\nchunk-two!\r\n");
                c.send("00000003\r\nend\r\n");
                c.send("0\r\nX-Trailer: yes\r\nX-Other: 2\r\n\r\n");
                RawConnection.Reply reply = c.read();
                assertEquals(200, reply.status(), path);
                String body = "hello chunk-two!end";
                String expected = switch (path) {
                    case "/echo" -> "length 19 declared -1: " + body;
                    case "/echo-inline" -> "length 19: " + body;
                    default -> "streamed " + body;
                };
                assertEquals(expected, reply.text(), path);
                // The trailers were consumed: the next request parses cleanly.
                RawConnection.Reply next = c.send("POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok").read();
                assertEquals(200, next.status(), path);
                assertTrue(next.text().endsWith("ok"), path);
            }
        }
    }

    @Test
    void aChunkedBodySplitAtEveryByteIsReadWhole() throws Exception {
        String request = "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;a=b\r\nabc\r\n4\r\ndefg\r\n0\r\nT: v\r\n\r\n";
        try (RawConnection c = new RawConnection(server.port())) {
            for (byte b : request.getBytes(StandardCharsets.US_ASCII)) {
                c.send(new byte[] {b});
            }
            assertEquals("length 7 declared -1: abcdefg", c.read().text());
        }
    }

    @Test
    void aStreamedResponseIsChunkedOnHttp11() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            String raw = c.send("GET /stream HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").readUntilClose();
            int split = raw.indexOf("\r\n\r\n");
            assertTrue(split > 0, raw);
            Map<String, String> headers = headers(raw.substring(0, split));
            assertTrue(raw.startsWith("HTTP/1.1 200 "), raw);
            assertEquals("chunked", headers.get("transfer-encoding"));
            assertNull(headers.get("content-length"), "chunked and Content-Length never together");
            assertEquals("part1part2part3", decodeChunkedStrictly(raw.substring(split + 4)));
        }
        // And on a persistent connection the framing ends exactly where the next response begins.
        try (RawConnection c = new RawConnection(server.port())) {
            for (int i = 0; i < 3; i++) {
                RawConnection.Reply reply = c.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n").read();
                assertEquals("chunked", reply.header("Transfer-Encoding"));
                assertEquals("part1part2part3", reply.text());
            }
        }
    }

    @Test
    void aStreamedResponseIsCloseDelimitedOnHttp10() throws Exception {
        for (String extra : new String[] {"", "Connection: keep-alive\r\n"}) {
            try (RawConnection c = new RawConnection(server.port())) {
                String raw = c.send("GET /stream HTTP/1.0\r\n" + extra + "\r\n").readUntilClose();
                int split = raw.indexOf("\r\n\r\n");
                assertTrue(split > 0, raw);
                Map<String, String> headers = headers(raw.substring(0, split));
                assertNull(headers.get("transfer-encoding"), "HTTP/1.0 has no chunked coding: " + raw);
                assertNull(headers.get("content-length"), raw);
                assertEquals("close", headers.get("connection"), "the body ends with the connection: " + raw);
                assertEquals("part1part2part3", raw.substring(split + 4));
            }
        }
    }

    @Test
    void aStreamedResponseWithContentLengthIsFixedLength() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            for (int i = 0; i < 2; i++) {
                RawConnection.Reply reply = c.send("GET /fixed-stream HTTP/1.1\r\nHost: a\r\n\r\n").read();
                assertEquals("15", reply.header("Content-Length"));
                assertNull(reply.header("Transfer-Encoding"));
                assertNull(reply.header("Connection"));
                assertEquals("part1part2part3", reply.text());
            }
        }
        try (RawConnection c = new RawConnection(server.port())) {
            // On HTTP/1.0 with keep-alive a known length lets the connection persist.
            RawConnection.Reply reply = c.send("GET /fixed-stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("15", reply.header("Content-Length"));
            assertEquals("keep-alive", reply.header("Connection"));
            assertEquals("part1part2part3", reply.text());
        }
    }

    @Test
    void headOnAGetRouteGetsHeadersButNoBody() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply head = c.send("HEAD /whole HTTP/1.1\r\nHost: a\r\n\r\n").read(true);
            assertEquals(200, head.status());
            assertEquals("11", head.header("Content-Length"), "HEAD reports the length a GET would have");
            RawConnection.Reply streamedHead = c.send("HEAD /stream HTTP/1.1\r\nHost: a\r\n\r\n").read(true);
            assertEquals(200, streamedHead.status());
            RawConnection.Reply fixedHead = c.send("HEAD /fixed-stream HTTP/1.1\r\nHost: a\r\n\r\n").read(true);
            assertEquals("15", fixedHead.header("Content-Length"));
            // Had any body been sent, it would now be read in place of this response.
            RawConnection.Reply get = c.send("GET /whole HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertEquals(200, get.status());
            assertEquals("hello world", get.text());
            c.socket().setSoTimeout(200);
            assertFalse(c.closedByServer(), "no stray bytes, and the connection persists");
        }
    }

    @Test
    void aLargeStreamedResponseToASlowReaderArrivesIntact() throws Exception {
        clientRead.set(0);
        largeWritten = new CompletableFuture<>();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024); // small, so the server must hold back
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /large HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            String status = line(in);
            assertTrue(status.startsWith("HTTP/1.1 200"), status);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(in); !l.isEmpty(); l = line(in)) {
                headers.put(l.substring(0, l.indexOf(':')).toLowerCase(Locale.ROOT), l.substring(l.indexOf(':') + 1).strip());
            }
            assertEquals("chunked", headers.get("transfer-encoding"));
            long position = 0;
            long nextPause = 256 * 1024;
            byte[] buffer = new byte[16 * 1024];
            while (true) {
                String sizeLine = line(in);
                int size = Integer.parseInt(sizeLine, 16);
                if (size == 0) {
                    assertEquals("", line(in), "no trailers expected");
                    break;
                }
                int left = size;
                while (left > 0) {
                    int n = in.read(buffer, 0, Math.min(left, buffer.length));
                    if (n < 0) {
                        throw new EOFException("truncated at " + position);
                    }
                    for (int i = 0; i < n; i++) {
                        long p = position + i;
                        byte expected = (byte) (p / BLOCK + (p % BLOCK) * 31);
                        if (buffer[i] != expected) {
                            fail("byte " + p + " is " + buffer[i] + ", expected " + expected);
                        }
                    }
                    position += n;
                    left -= n;
                    clientRead.set(position);
                    if (position >= nextPause) {
                        nextPause += 256 * 1024;
                        Thread.sleep(10); // a slow reader: pacing, not waiting for a condition
                    }
                }
                assertEquals("", line(in), "chunk data must end with CRLF");
            }
            assertEquals(LARGE, position);
            long readWhenHandlerFinished = largeWritten.get(10, TimeUnit.SECONDS);
            // Without back-pressure the handler would have queued all 8 MiB at once, long before
            // the slow reader got far; with it, at most the high-water mark plus socket buffers
            // (4 MiB here at most) can be ahead of the reader.
            assertTrue(readWhenHandlerFinished >= 2L * 1024 * 1024,
                    "the handler finished writing when the client had read only " + readWhenHandlerFinished);
            // The connection is still usable.
            socket.getOutputStream().write("GET /whole HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(line(in).startsWith("HTTP/1.1 200"));
        }
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        return headers;
    }

    /** Decodes a chunked body that must be exactly well-formed and have nothing after its end. */
    static String decodeChunkedStrictly(String raw) {
        StringBuilder body = new StringBuilder();
        int i = 0;
        while (true) {
            int eol = raw.indexOf("\r\n", i);
            assertTrue(eol > i, "chunk size line expected at " + i + " in " + raw);
            String sizeText = raw.substring(i, eol);
            assertTrue(sizeText.matches("[0-9a-fA-F]+"), "malformed chunk size '" + sizeText + "'");
            int size = Integer.parseInt(sizeText, 16);
            i = eol + 2;
            if (size == 0) {
                assertEquals("\r\n", raw.substring(i), "the last chunk must be followed by CRLF only");
                return body.toString();
            }
            assertTrue(raw.length() >= i + size + 2, "truncated chunk in " + raw);
            body.append(raw, i, i + size);
            assertEquals("\r\n", raw.substring(i + size, i + size + 2), "chunk data must end with CRLF");
            i += size + 2;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed after: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
