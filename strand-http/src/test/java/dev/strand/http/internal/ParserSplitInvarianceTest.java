package dev.strand.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.strand.http.Headers;
import dev.strand.http.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Any split of the same bytes must give the same events: each vector is parsed whole, then cut in
 * two at every index, then fed byte by byte (plus a few random multi-way cuts), and the canonical
 * transcripts ({@link ParserDriver}) must all be identical. Then specific parsed fields are checked.
 */
class ParserSplitInvarianceTest {

    private static final String H = "Host: x\r\n";

    private static String repeat(String s, int n) {
        return s.repeat(n);
    }

    private static String manyHeaders(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("X-Field-").append(i).append(": value ").append(i).append("\r\n");
        }
        return b.toString();
    }

    /** Valid inputs with the number of complete messages they hold. */
    static Stream<Arguments> valid() {
        return Stream.of(
                argumentSet("simple GET", "GET / HTTP/1.1\r\n" + H + "\r\n", 1),
                argumentSet("HTTP/1.0 without Host", "GET /index.html HTTP/1.0\r\n\r\n", 1),
                argumentSet("HTTP/1.0 keep-alive", "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 1),
                argumentSet("HTTP/1.2 served as 1.1", "GET / HTTP/1.2\r\n" + H + "\r\n", 1),
                argumentSet("absolute-form", "GET http://example.com:8080/a/b?c=d HTTP/1.1\r\nHost: example.com:8080\r\n\r\n", 1),
                argumentSet("absolute-form without path", "GET https://example.com?q HTTP/1.1\r\nHost: example.com\r\n\r\n", 1),
                argumentSet("OPTIONS *", "OPTIONS * HTTP/1.1\r\n" + H + "\r\n", 1),
                argumentSet("leading CRLFs", "\r\n\r\n\r\nGET / HTTP/1.1\r\n" + H + "\r\n", 1),
                argumentSet("Content-Length body", "POST /echo HTTP/1.1\r\n" + H + "Content-Length: 11\r\n\r\nhello world", 1),
                argumentSet("Content-Length 0", "POST /echo HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n", 1),
                argumentSet("Content-Length with leading zeros", "PUT /u HTTP/1.1\r\n" + H + "Content-Length: 003\r\n\r\nabc", 1),
                argumentSet("body that looks like a request",
                        "POST / HTTP/1.1\r\n" + H + "Content-Length: 29\r\n\r\n\r\n\r\nGET /admin HTTP/1.1\r\n\r\n\r\n", 1),
                argumentSet("chunked", "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", 1),
                argumentSet("chunked with extensions", "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                        + "5;a=b\r\nhello\r\n6;a=\"q\\\"x\";flag\r\n world\r\n3 ; n = v ;m\r\n!!!\r\n0;last=\"\"\r\n\r\n", 1),
                argumentSet("chunked with trailers", "POST /echo HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                        + "3\r\nabc\r\n0\r\nX-Checksum:  c0ffee \r\nX-Other:\tb\r\n\r\n", 1),
                argumentSet("chunked uppercase hex and 000 last chunk", "PUT /u HTTP/1.1\r\n" + H
                        + "Transfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n000\r\n\r\n", 1),
                argumentSet("lower-case framing field names",
                        "POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\nokPOST / HTTP/1.1\r\nHOST: x\r\n"
                        + "TRANSFER-ENCODING: CHUNKED\r\n\r\n1\r\na\r\n0\r\n\r\n", 2),
                argumentSet("pipelined mix", "GET /one HTTP/1.1\r\n" + H + "\r\n"
                        + "POST /two HTTP/1.1\r\n" + H + "Content-Length: 4\r\n\r\nbody"
                        + "POST /three HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2;x=y\r\nhi\r\n0\r\nT: 1\r\n\r\n"
                        + "\r\nHEAD /four HTTP/1.1\r\n" + H + "\r\n"
                        + "GET /five HTTP/1.0\r\n\r\n", 5),
                argumentSet("pipelined after Connection: close", "GET /a HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n"
                        + "GET /b HTTP/1.1\r\n" + H + "\r\n", 2),
                argumentSet("HEAD", "HEAD /h HTTP/1.1\r\n" + H + "\r\n", 1),
                argumentSet("Expect: 100-continue", "PUT /upload HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 3\r\n\r\nxyz", 1),
                argumentSet("obs-text in a value", "GET / HTTP/1.1\r\n" + H + "X-Name: caf\u00e9 \u00ff\u0080\r\n\r\n", 1),
                argumentSet("many headers", "GET / HTTP/1.1\r\n" + H + manyHeaders(60) + "\r\n", 1),
                argumentSet("query strings", "GET /search?q=a+b&x=%20&empty=&flag&list=1,2;3:@/?k HTTP/1.1\r\n" + H + "\r\n", 1),
                argumentSet("percent-encoded path", "GET /a%2Fb/%E2%82%AC/%7e HTTP/1.1\r\n" + H + "\r\n", 1),
                argumentSet("OWS around values", "GET / HTTP/1.1\r\nHost:x\r\nA:  \t a  b \t \r\nB:\r\nC: \t\r\n\r\n", 1),
                argumentSet("empty Host value", "GET / HTTP/1.1\r\nHost:\r\n\r\n", 1),
                argumentSet("IPv6 Host", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", 1),
                argumentSet("one-byte chunks", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                        + repeat("1\r\nz\r\n", 10) + "0\r\n\r\n", 1),
                argumentSet("input ends inside a body", "POST / HTTP/1.1\r\n" + H + "Content-Length: 10\r\n\r\nabc", 0),
                argumentSet("input ends inside a chunk", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nab", 0),
                argumentSet("input ends inside a head", "GET / HTTP/1.1\r\nHos", 0));
    }

    /** Invalid inputs with the status the parser must fail with. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                argumentSet("bare LF after request line", "GET / HTTP/1.1\n" + H + "\r\n", 400),
                argumentSet("bare CR in a value", "GET / HTTP/1.1\r\n" + H + "A: 1\rB: 2\r\n\r\n", 400),
                argumentSet("obs-fold", "GET / HTTP/1.1\r\n" + H + "A: 1\r\n 2\r\n\r\n", 400),
                argumentSet("Content-Length with Transfer-Encoding",
                        "POST / HTTP/1.1\r\n" + H + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                argumentSet("duplicate Content-Length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 1\r\nContent-Length: 1\r\n\r\na", 400),
                argumentSet("gzip only", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip\r\n\r\n", 400),
                argumentSet("gzip, chunked", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
                argumentSet("junk after chunk size", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n", 400),
                argumentSet("chunk data longer than its size, after content",
                        "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\nhello\r\n0\r\n\r\n", 400),
                argumentSet("missing Host", "GET / HTTP/1.1\r\n\r\n", 400),
                argumentSet("unknown method", "FOO / HTTP/1.1\r\n" + H + "\r\n", 501),
                argumentSet("HTTP/2.0", "GET / HTTP/2.0\r\n" + H + "\r\n", 505),
                argumentSet("request line too long", "GET /" + "a".repeat(8200) + " HTTP/1.1\r\n" + H + "\r\n", 414),
                argumentSet("header section too large", "GET / HTTP/1.1\r\n" + H + "X: " + "v".repeat(16400) + "\r\n\r\n", 431),
                argumentSet("101 fields", "GET / HTTP/1.1\r\n" + H + manyHeaders(100) + "\r\n", 431),
                argumentSet("valid request, then an invalid one", "GET / HTTP/1.1\r\n" + H + "\r\nGET / HTTP/1.1\r\nA : b\r\n\r\n", 400),
                argumentSet("Expect: something-else", "PUT / HTTP/1.1\r\n" + H + "Expect: teapot\r\nContent-Length: 1\r\n\r\nx", 417),
                argumentSet("too many leading empty lines", "\r\n".repeat(9) + "GET / HTTP/1.1\r\n" + H + "\r\n", 400),
                argumentSet("Content-Length over the limit", "POST / HTTP/1.1\r\n" + H + "Content-Length: 10485761\r\n\r\n", 413),
                argumentSet("NUL in a value", "GET / HTTP/1.1\r\n" + H + "A: x\u0000y\r\n\r\n", 400),
                argumentSet("malformed percent-encoding", "GET /a%zz HTTP/1.1\r\n" + H + "\r\n", 400),
                argumentSet("control char escaped in a quoted chunk extension (fuzzer finding)", "POST / HTTP/1.1\r\n" + H
                        + "Transfer-Encoding: chunked\r\n\r\n1;q=\"x\\\u001ay\"\r\na\r\n0\r\n\r\n", 400),
                argumentSet("bad trailer", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nBad Name: v\r\n\r\n", 400));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validInputParsesTheSameHoweverSplit(String raw, int messages) {
        byte[] input = raw.getBytes(StandardCharsets.ISO_8859_1);
        String expected = assertSplitInvariant(input);
        assertFalse(expected.contains("ERROR"), expected);
        assertEquals(messages, expected.lines().filter("END"::equals).count(), expected);
        if (messages > 0) {
            assertTrue(expected.endsWith("END\n"), expected);
        } else {
            assertTrue(expected.contains("INCOMPLETE"), expected);
        }
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidInputFailsTheSameHoweverSplit(String raw, int status) {
        byte[] input = raw.getBytes(StandardCharsets.ISO_8859_1);
        String expected = assertSplitInvariant(input);
        assertTrue(expected.endsWith("ERROR " + status + "\n"), expected);
    }

    /** Returns the whole-input transcript after checking every other split gives the same. */
    private static String assertSplitInvariant(byte[] input) {
        String whole = ParserDriver.whole(input);
        for (int at = 0; at <= input.length; at++) {
            String split = ParserDriver.split(input, at);
            if (!whole.equals(split)) {
                assertEquals(whole, split, "split before index " + at);
            }
        }
        assertEquals(whole, ParserDriver.byteByByte(input), "byte by byte");
        Random random = new Random(input.length * 31L + 7);
        for (int round = 0; round < 50; round++) {
            int[] cuts = random.ints(1 + random.nextInt(8), 0, input.length + 1).sorted().toArray();
            String multi = new ParserDriver().run(input, cuts);
            if (!whole.equals(multi)) {
                assertEquals(whole, multi, "cuts " + Arrays.toString(cuts));
            }
        }
        return whole;
    }

    // ---- parsed fields ---------------------------------------------------------------------

    private static RequestHead onlyHead(String raw) {
        ParserDriver driver = new ParserDriver();
        String transcript = driver.run(raw.getBytes(StandardCharsets.ISO_8859_1), new int[0]);
        assertEquals(1, driver.heads.size(), transcript);
        return driver.heads.get(0);
    }

    @Test
    void requestLineParts() {
        RequestHead head = onlyHead("GET /a/b%20c?x=1&y=%2F HTTP/1.1\r\n" + H + "\r\n");
        assertEquals(Method.GET, head.method());
        assertEquals("/a/b%20c?x=1&y=%2F", head.target());
        assertEquals("/a/b%20c", head.path());
        assertEquals(Optional.of("x=1&y=%2F"), head.rawQuery());
        assertTrue(head.http11());
        assertEquals("HTTP/1.1", head.version());

        head = onlyHead("DELETE /r HTTP/1.1\r\n" + H + "\r\n");
        assertEquals(Method.DELETE, head.method());
        assertEquals(Optional.empty(), head.rawQuery());

        assertEquals(Optional.of(""), onlyHead("GET /p? HTTP/1.1\r\n" + H + "\r\n").rawQuery());
        assertEquals("*", onlyHead("OPTIONS * HTTP/1.1\r\n" + H + "\r\n").path());
        assertFalse(onlyHead("GET / HTTP/1.0\r\n\r\n").http11());
        assertTrue(onlyHead("GET / HTTP/1.9\r\n" + H + "\r\n").http11());
    }

    @Test
    void absoluteFormIsReducedToPathAndQuery() {
        RequestHead head = onlyHead("GET http://example.com:81/p/q?r=s HTTP/1.1\r\nHost: example.com:81\r\n\r\n");
        assertEquals("http://example.com:81/p/q?r=s", head.target());
        assertEquals("/p/q", head.path());
        assertEquals(Optional.of("r=s"), head.rawQuery());

        head = onlyHead("GET HTTPS://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertEquals("/", head.path());
        assertEquals(Optional.empty(), head.rawQuery());

        head = onlyHead("GET http://example.com?k=v HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertEquals("/", head.path());
        assertEquals(Optional.of("k=v"), head.rawQuery());
    }

    @Test
    void keepAliveRules() {
        assertTrue(onlyHead("GET / HTTP/1.1\r\n" + H + "\r\n").keepAlive(), "1.1 persists by default");
        assertFalse(onlyHead("GET / HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n").keepAlive());
        assertFalse(onlyHead("GET / HTTP/1.1\r\n" + H + "Connection: CLOSE\r\n\r\n").keepAlive());
        assertFalse(onlyHead("GET / HTTP/1.1\r\n" + H + "Connection: keep-alive, close\r\n\r\n").keepAlive());
        assertFalse(onlyHead("GET / HTTP/1.1\r\n" + H + "Connection: upgrade\r\nConnection: close\r\n\r\n").keepAlive());
        assertTrue(onlyHead("GET / HTTP/1.1\r\n" + H + "Connection: upgrade\r\n\r\n").keepAlive());
        assertTrue(onlyHead("GET / HTTP/1.1\r\n" + H + "Connection: closed\r\n\r\n").keepAlive(), "'closed' is not 'close'");

        assertFalse(onlyHead("GET / HTTP/1.0\r\n\r\n").keepAlive(), "1.0 closes by default");
        assertTrue(onlyHead("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive());
        assertTrue(onlyHead("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive());
        assertTrue(onlyHead("GET / HTTP/1.0\r\nConnection: foo ,\tkeep-alive\r\n\r\n").keepAlive());
        assertFalse(onlyHead("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n").keepAlive());
    }

    @Test
    void bodyFraming() {
        RequestHead none = onlyHead("GET / HTTP/1.1\r\n" + H + "\r\n");
        assertEquals(-1, none.contentLength());
        assertFalse(none.chunked());
        assertFalse(none.hasBody());

        RequestHead zero = onlyHead("POST / HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n");
        assertEquals(0, zero.contentLength());
        assertFalse(zero.hasBody());

        RequestHead fixed = onlyHead("POST / HTTP/1.1\r\n" + H + "Content-Length:  0042 \r\n\r\n" + "b".repeat(42));
        assertEquals(42, fixed.contentLength());
        assertFalse(fixed.chunked());
        assertTrue(fixed.hasBody());

        RequestHead chunked = onlyHead("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assertEquals(-1, chunked.contentLength());
        assertTrue(chunked.chunked());
        assertTrue(chunked.hasBody());
    }

    @Test
    void expectContinueOnlyForHttp11WithABody() {
        String expect = "Expect: 100-continue\r\n";
        assertTrue(onlyHead("PUT / HTTP/1.1\r\n" + H + expect + "Content-Length: 1\r\n\r\nx").expectContinue());
        assertTrue(onlyHead("PUT / HTTP/1.1\r\n" + H + "Expect: 100-Continue\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").expectContinue());
        assertFalse(onlyHead("PUT / HTTP/1.1\r\n" + H + expect + "\r\n").expectContinue(), "no body");
        assertFalse(onlyHead("PUT / HTTP/1.1\r\n" + H + expect + "Content-Length: 0\r\n\r\n").expectContinue(), "empty body");
        assertFalse(onlyHead("PUT / HTTP/1.0\r\n" + expect + "Content-Length: 1\r\n\r\nx").expectContinue(), "HTTP/1.0");
    }

    @Test
    void headerValuesAreTrimmedOfOwsAndKeepTheirOrder() {
        RequestHead head = onlyHead("GET / HTTP/1.1\r\nHost:\texample.com \r\nX-A:   a  b\t\r\nx-a: second\r\n"
                + "X-Empty:\r\nX-Blank: \t \r\nX-Obs: caf\u00e9\r\n\r\n");
        Headers headers = head.headers();
        assertEquals(6, headers.size());
        assertEquals("Host", headers.name(0));
        assertEquals("example.com", headers.value(0));
        assertEquals("a  b", headers.value(1), "inner whitespace is kept");
        assertEquals(List.of("a  b", "second"), headers.all("X-A"));
        assertEquals("x-a", headers.name(2), "names keep their case");
        assertEquals("", headers.value(3));
        assertEquals("", headers.value(4));
        assertEquals("caf\u00e9", headers.first("x-obs").orElseThrow(), "obs-text read as ISO-8859-1");
    }

    @Test
    void trailersAndBodiesOfPipelinedMessages() {
        ParserDriver driver = new ParserDriver();
        String raw = "POST /a HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                + "4;ext=1\r\nwiki\r\n5\r\npedia\r\n0\r\nX-Sum:  abc \r\nX-Two: 2\r\n\r\n"
                + "POST /b HTTP/1.1\r\n" + H + "Content-Length: 2\r\n\r\nok";
        driver.run(raw.getBytes(StandardCharsets.ISO_8859_1), new int[] {70, 71, 100});
        assertEquals(2, driver.heads.size());
        assertEquals("wikipedia", new String(driver.bodies.get(0), StandardCharsets.ISO_8859_1));
        assertEquals("abc", driver.trailers.get(0).first("x-sum").orElseThrow());
        assertEquals("2", driver.trailers.get(0).first("X-Two").orElseThrow());
        assertFalse(driver.heads.get(0).headers().contains("X-Sum"), "trailers are not head fields");
        assertEquals("ok", new String(driver.bodies.get(1), StandardCharsets.ISO_8859_1));
        assertEquals(0, driver.trailers.get(1).size(), "no trailers on a Content-Length body");
        assertEquals("/b", driver.heads.get(1).path());
    }
}
