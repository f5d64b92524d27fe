package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed and ambiguous requests, sent as raw bytes to a running server: each must get exactly
 * its status, with {@code Connection: close}, and then the server must close the connection.
 *
 * <p>Vectors are our own, written after RFC 9112 / RFC 9110 and the ideas of the published parser
 * suites of llhttp (test/request/*.md), Puma (test_request_invalid.rb, test_http11.rb) and Netty
 * (HttpRequestDecoderTest, HttpInvalidMessageTest). A positive control list checks that valid but
 * unusual requests are served and keep the connection open.
 */
class MalformedRequestsAreRejectedTest {

    private static final int MAX_BODY = 1024;
    private static HttpServer server;

    @BeforeAll
    static void startServer() {
        Handler bodyLength = (req, res) -> res.send(String.valueOf(req.body().bytes().length));
        server = HttpServer.builder().port(0).host("127.0.0.1")
                .config(c -> c.maxBodySize(MAX_BODY).loops(2))
                .routing(r -> r.get("/", (req, res) -> res.send("root"))
                        .post("/", bodyLength)
                        .get("/echo", bodyLength)
                        .post("/echo", bodyLength))
                .build().start();
    }

    @AfterAll
    static void serverIsStillHealthy() throws Exception {
        try (RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply reply = c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(200, reply.status());
            assertEquals("root", reply.text());
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    // ---- building blocks -------------------------------------------------------------------

    private static final String HOST = "Host: x\r\n";

    /** A request line, then a Host, then the end of the head. */
    private static String line(String requestLine) {
        return requestLine + "\r\n" + HOST + "\r\n";
    }

    /** GET / with extra field lines (each ending in CRLF). */
    private static String get(String fields) {
        return "GET / HTTP/1.1\r\n" + HOST + fields + "\r\n";
    }

    /** GET / with the given field lines only (no Host added). */
    private static String getNoHost(String fields) {
        return "GET / HTTP/1.1\r\n" + fields + "\r\n";
    }

    /** POST /echo with extra field lines and a body. */
    private static String post(String fields, String body) {
        return "POST /echo HTTP/1.1\r\n" + HOST + fields + "\r\n" + body;
    }

    /** POST /echo with a chunked body as given. */
    private static String chunked(String body) {
        return post("Transfer-Encoding: chunked\r\n", body);
    }

    private static String fields(int n, int valueLength) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("X-F").append(i).append(": ").append("v".repeat(valueLength)).append("\r\n");
        }
        return b.toString();
    }

    // ---- the malformed vectors -------------------------------------------------------------

    static Stream<Arguments> malformed() {
        List<Arguments> v = new ArrayList<>();

        // Request line: method (RFC 9112 §3, §3.1; RFC 9110 §9.1).
        v.add(argumentSet("empty method", line(" / HTTP/1.1"), 400));
        v.add(argumentSet("leading space before the method", line(" GET / HTTP/1.1"), 400));
        v.add(argumentSet("method with a non-token char '('", line("GE(T / HTTP/1.1"), 400));
        v.add(argumentSet("method with '@'", line("G@T / HTTP/1.1"), 400));
        v.add(argumentSet("space inside the method", line("G ET / HTTP/1.1"), 400));
        v.add(argumentSet("method with a NUL", line("GE\u0000T / HTTP/1.1"), 400));
        v.add(argumentSet("tabs instead of spaces", line("GET\t/\tHTTP/1.1"), 400));
        v.add(argumentSet("unknown method", line("FOO / HTTP/1.1"), 501));
        v.add(argumentSet("unknown method ANNOUNCE", line("ANNOUNCE / HTTP/1.1"), 501));
        v.add(argumentSet("lower-case get (methods are case-sensitive)", line("get / HTTP/1.1"), 501));
        v.add(argumentSet("CONNECT", line("CONNECT example.com:443 HTTP/1.1"), 501));

        // Request line: separators and version (RFC 9112 §2.3, §3).
        v.add(argumentSet("two spaces after the method", line("GET  / HTTP/1.1"), 400));
        v.add(argumentSet("two spaces before the version", line("GET /  HTTP/1.1"), 400));
        v.add(argumentSet("missing version", line("GET /"), 400));
        v.add(argumentSet("method only", line("GET"), 400));
        v.add(argumentSet("trailing space after the version", line("GET / HTTP/1.1 "), 400));
        v.add(argumentSet("extra token after the version", line("GET / HTTP/1.1 extra"), 400));
        v.add(argumentSet("version HTTP/1", line("GET / HTTP/1"), 400));
        v.add(argumentSet("version HTTP/1.1.1", line("GET / HTTP/1.1.1"), 400));
        v.add(argumentSet("version HTTP/1.11", line("GET / HTTP/1.11"), 400));
        v.add(argumentSet("lower-case version http/1.1", line("GET / http/1.1"), 400));
        v.add(argumentSet("version HTTP/01.1", line("GET / HTTP/01.1"), 400));
        v.add(argumentSet("version HTTP/A.1", line("GET / HTTP/A.1"), 400));
        v.add(argumentSet("version HTP/1.1", line("GET / HTP/1.1"), 400));
        v.add(argumentSet("protocol ICE/1.0", line("GET / ICE/1.0"), 400));
        v.add(argumentSet("version HTTP/2.0", line("GET / HTTP/2.0"), 505));
        v.add(argumentSet("version HTTP/0.9", line("GET / HTTP/0.9"), 505));
        v.add(argumentSet("version HTTP/3.0", line("GET / HTTP/3.0"), 505));
        v.add(argumentSet("request line over the limit", line("GET /" + "a".repeat(9000) + " HTTP/1.1"), 414));

        // Request target (RFC 9112 §3.2, RFC 3986).
        v.add(argumentSet("target without a leading slash", line("GET a/b HTTP/1.1"), 400));
        v.add(argumentSet("asterisk-form with GET", line("GET * HTTP/1.1"), 400));
        v.add(argumentSet("space inside the target", line("GET /a b HTTP/1.1"), 400));
        v.add(argumentSet("fragment in the target", line("GET /a#frag HTTP/1.1"), 400));
        v.add(argumentSet("control char in the target", line("GET /a\u0001b HTTP/1.1"), 400));
        v.add(argumentSet("NUL in the target", line("GET /a\u0000 HTTP/1.1"), 400));
        v.add(argumentSet("DEL in the target", line("GET /a\u007f HTTP/1.1"), 400));
        v.add(argumentSet("non-ASCII byte in the target", line("GET /caf\u00e9 HTTP/1.1"), 400));
        v.add(argumentSet("backslash in the target", line("GET /a\\b HTTP/1.1"), 400));
        v.add(argumentSet("double quote in the target", line("GET /a\"b HTTP/1.1"), 400));
        v.add(argumentSet("'<' in the target", line("GET /<script> HTTP/1.1"), 400));
        v.add(argumentSet("'{' in the target", line("GET /{x} HTTP/1.1"), 400));
        v.add(argumentSet("'|' in the target", line("GET /a|b HTTP/1.1"), 400));
        v.add(argumentSet("'`' in the query", line("GET /a?b=`c` HTTP/1.1"), 400));
        v.add(argumentSet("malformed percent-encoding %zz", line("GET /a%zz HTTP/1.1"), 400));
        v.add(argumentSet("truncated percent-encoding %4", line("GET /a%4 HTTP/1.1"), 400));
        v.add(argumentSet("lone % at the end", line("GET /a% HTTP/1.1"), 400));
        v.add(argumentSet("bad percent-encoding in the query", line("GET /a?b=%4g HTTP/1.1"), 400));
        v.add(argumentSet("absolute-form with an unsupported scheme", line("GET ftp://x/a HTTP/1.1"), 400));
        v.add(argumentSet("absolute-form with an empty authority", line("GET http:///a HTTP/1.1"), 400));
        v.add(argumentSet("absolute-form with userinfo", line("GET http://user:pw@x/a HTTP/1.1"), 400));
        v.add(argumentSet("absolute-form without //", line("GET http:x/a HTTP/1.1"), 400));
        v.add(argumentSet("absolute-form with an empty host and a port", line("GET http://:80/a HTTP/1.1"), 400));
        v.add(argumentSet("absolute-form with a non-numeric port", line("GET http://x:8o/a HTTP/1.1"), 400));

        // Empty lines before the request line (RFC 9112 §2.2).
        v.add(argumentSet("nine empty lines before the request line", "\r\n".repeat(9) + line("GET / HTTP/1.1"), 400));
        v.add(argumentSet("bare LF empty line before the request line", "\n" + line("GET / HTTP/1.1"), 400));
        v.add(argumentSet("whitespace-only line before the request line", " \r\n" + line("GET / HTTP/1.1"), 400));

        // Line endings (RFC 9112 §2.2: bare CR is invalid; this server also refuses bare LF).
        v.add(argumentSet("bare LF after the request line", "GET / HTTP/1.1\n" + HOST + "\r\n", 400));
        v.add(argumentSet("bare LF after a field line", "GET / HTTP/1.1\r\nHost: x\n\r\n", 400));
        v.add(argumentSet("bare LF ending the header section", "GET / HTTP/1.1\r\nHost: x\r\n\n", 400));
        v.add(argumentSet("bare LF everywhere", "GET / HTTP/1.1\nHost: x\n\n", 400));
        v.add(argumentSet("bare CR as line ending", "GET / HTTP/1.1\rHost: x\r\r\n", 400));
        v.add(argumentSet("CR NUL LF after the request line", "GET / HTTP/1.1\r\u0000\nHost: x\r\n\r\n", 400));
        v.add(argumentSet("fields separated by CR", get("A: 1\rB: 2\r\n"), 400));
        v.add(argumentSet("fields separated by LF hiding Transfer-Encoding",
                post("X: x\nTransfer-Encoding: chunked\r\n", "1\r\nA\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("empty value then LF hiding Transfer-Encoding",
                post("X:\nTransfer-Encoding: chunked\r\n", "1\r\nA\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("CR before CRLF at the end of a value", get("X: v\r\r\n"), 400));

        // Field lines (RFC 9112 §5, §5.1, §5.2; RFC 9110 §5.1, §5.5).
        v.add(argumentSet("space between field name and colon", getNoHost("Host : x\r\n"), 400));
        v.add(argumentSet("tab between field name and colon", get("X\t: v\r\n"), 400));
        v.add(argumentSet("space before colon on Transfer-Encoding",
                post("Transfer-Encoding : chunked\r\n", "0\r\n\r\n"), 400));
        v.add(argumentSet("obs-fold with a space", get("X: a\r\n b\r\n"), 400));
        v.add(argumentSet("obs-fold with a tab", get("X: a\r\n\tb\r\n"), 400));
        v.add(argumentSet("leading whitespace on the first field line", getNoHost(" Host: x\r\n"), 400));
        v.add(argumentSet("leading tab on the first field line", "POST /echo HTTP/1.1\r\n\tContent-Length: 1\r\n" + HOST + "\r\nX", 400));
        v.add(argumentSet("Content-Length continued by obs-fold", post("Content-Length: 5\r\nContent-Length:\r\n\t6\r\n", "123456"), 400));
        v.add(argumentSet("'@' in a field name", get("Fo@: x\r\n"), 400));
        v.add(argumentSet("space inside a field name", get("Fo o: x\r\n"), 400));
        v.add(argumentSet("non-ASCII byte in a field name", get("F\u00f6o: x\r\n"), 400));
        v.add(argumentSet("'(' in a field name", get("X(y): z\r\n"), 400));
        v.add(argumentSet("empty field name", get(": x\r\n"), 400));
        v.add(argumentSet("field line without a colon", get("NoColon\r\n"), 400));
        v.add(argumentSet("value on its own line after an empty Host", "GET / HTTP/1.1\r\nHost:\r\nexample.com\r\n\r\n", 400));
        v.add(argumentSet("control char inside a field name", get("X\u0001Y: v\r\n"), 400));
        v.add(argumentSet("field name ending in 0x1f", post("Transfer-Encoding\u001f: chunked\r\n", "0\r\n\r\n"), 400));
        v.add(argumentSet("field name starting with form feed", post("\u000cTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400));
        v.add(argumentSet("NUL in a value", get("X: a\u0000b\r\n"), 400));
        v.add(argumentSet("0x01 in a value", get("X: a\u0001b\r\n"), 400));
        v.add(argumentSet("DEL in a value", get("X: a\u007fb\r\n"), 400));
        v.add(argumentSet("vertical tab in a value", get("X: a\u000bb\r\n"), 400));
        v.add(argumentSet("form feed at the end of a value", get("X: ab\u000c\r\n"), 400));
        v.add(argumentSet("ESC in a value", get("X: \u001b[0m\r\n"), 400));

        // Host (RFC 9112 §3.2: missing, repeated or invalid Host MUST get 400).
        v.add(argumentSet("missing Host on HTTP/1.1", getNoHost(""), 400));
        v.add(argumentSet("absolute-form without Host on HTTP/1.1", "GET http://x/ HTTP/1.1\r\n\r\n", 400));
        v.add(argumentSet("repeated Host", get("Host: y\r\n"), 400));
        v.add(argumentSet("repeated identical Host", get(HOST), 400));
        v.add(argumentSet("repeated Host on HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400));
        v.add(argumentSet("space inside Host", getNoHost("Host: a b\r\n"), 400));
        v.add(argumentSet("tab inside Host", getNoHost("Host: a\tb\r\n"), 400));
        v.add(argumentSet("'/' in Host", getNoHost("Host: a/b\r\n"), 400));
        v.add(argumentSet("userinfo '@' in Host", getNoHost("Host: user@a\r\n"), 400));
        v.add(argumentSet("Host with a path", getNoHost("Host: a.example/evil\r\n"), 400));
        v.add(argumentSet("Host with a non-numeric port", getNoHost("Host: example.com:8o\r\n"), 400));
        v.add(argumentSet("Host with a stray '['", getNoHost("Host: exa[mple.com\r\n"), 400));
        v.add(argumentSet("Host with malformed percent-encoding", getNoHost("Host: a%zz.example\r\n"), 400));

        // Content-Length (RFC 9112 §6.3, RFC 9110 §8.6).
        v.add(argumentSet("Content-Length with Transfer-Encoding", post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400));
        v.add(argumentSet("Transfer-Encoding with Content-Length", post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n"), 400));
        v.add(argumentSet("empty Transfer-Encoding with Content-Length", post("Transfer-Encoding:\r\nContent-Length: 5\r\n", "hello"), 400));
        v.add(argumentSet("duplicate identical Content-Length", post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"), 400));
        v.add(argumentSet("conflicting Content-Length", post("Content-Length: 1\r\nContent-Length: 0\r\n", "b"), 400));
        v.add(argumentSet("negative Content-Length", post("Content-Length: -1\r\n", ""), 400));
        v.add(argumentSet("Content-Length with a plus sign", post("Content-Length: +5\r\n", "hello"), 400));
        v.add(argumentSet("hex Content-Length", post("Content-Length: 0x5\r\n", "hello"), 400));
        v.add(argumentSet("space inside Content-Length", post("Content-Length: 1 0\r\n", "0123456789"), 400));
        v.add(argumentSet("Content-Length list", post("Content-Length: 5, 5\r\n", "hello"), 400));
        v.add(argumentSet("Content-Length list without spaces", post("Content-Length: 5,5\r\n", "hello"), 400));
        v.add(argumentSet("decimal Content-Length", post("Content-Length: 5.0\r\n", "hello"), 400));
        v.add(argumentSet("Content-Length with trailing text", post("Content-Length: 5 test\r\n", "hello"), 400));
        v.add(argumentSet("empty Content-Length", post("Content-Length:\r\n", ""), 400));
        v.add(argumentSet("blank Content-Length", post("Content-Length: \t \r\n", ""), 400));
        v.add(argumentSet("vertical tab before Content-Length", post("Content-Length:\u000b5\r\n", "hello"), 400));
        v.add(argumentSet("huge Content-Length (overflow)", post("Content-Length: 100000000000000000000\r\n", ""), 400));
        v.add(argumentSet("Content-Length of Long.MAX_VALUE + 1", post("Content-Length: 9223372036854775808\r\n", ""), 400));
        v.add(argumentSet("Content-Length over the body limit", post("Content-Length: " + (MAX_BODY + 1) + "\r\n", "x".repeat(MAX_BODY + 1)), 413));
        v.add(argumentSet("18-digit Content-Length over the body limit", post("Content-Length: 999999999999999999\r\n", ""), 413));

        // Transfer-Encoding (RFC 9112 §6.1, §6.3, §7).
        v.add(argumentSet("Transfer-Encoding gzip alone", post("Transfer-Encoding: gzip\r\n", "0\r\n\r\n"), 400));
        v.add(argumentSet("Transfer-Encoding identity", post("Transfer-Encoding: identity\r\n", "hello"), 400));
        v.add(argumentSet("Transfer-Encoding gzip, chunked", post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), 501));
        v.add(argumentSet("Transfer-Encoding x_gzip, gzip, chunked over three lines",
                post("Transfer-Encoding: x_gzip\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 501));
        v.add(argumentSet("Transfer-Encoding chunked, gzip", post("Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n"), 400));
        v.add(argumentSet("Transfer-Encoding chunked, chunked", post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"), 400));
        v.add(argumentSet("Transfer-Encoding chunked on two lines", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400));
        v.add(argumentSet("Transfer-Encoding chunked then gzip on two lines", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", "0\r\n\r\n"), 400));
        v.add(argumentSet("Transfer-Encoding chunked then an empty line", post("Transfer-Encoding: chunked\r\nTransfer-Encoding:\r\n", "0\r\n\r\n"), 400));
        v.add(argumentSet("Transfer-Encoding in HTTP/1.0", "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
        v.add(argumentSet("empty Transfer-Encoding", post("Transfer-Encoding:\r\n", ""), 400));
        v.add(argumentSet("Transfer-Encoding xchunked", post("Transfer-Encoding: xchunked\r\n", "0\r\n\r\n"), 400));
        v.add(argumentSet("Transfer-Encoding chunkedchunked", post("Transfer-Encoding: chunkedchunked\r\n", "0\r\n\r\n"), 400));
        v.add(argumentSet("Transfer-Encoding chunked with parameters", post("Transfer-Encoding: chunked;q=1\r\n", "0\r\n\r\n"), 400));
        v.add(argumentSet("Transfer-Encoding with a non-token coding", post("Transfer-Encoding: g(zip), chunked\r\n", "0\r\n\r\n"), 400));

        // Chunked body (RFC 9112 §7.1).
        v.add(argumentSet("chunk size line ending in bare LF", chunked("5\nhello\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("junk after the chunk size", chunked("5x\r\nhello\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("word after the chunk size without ';'", chunked("2 erfrferferf\r\naa\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("chunk size with 0x prefix", chunked("0x5\r\nhello\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("negative chunk size", chunked("-5\r\nhello\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("chunk size with a plus sign", chunked("+5\r\nhello\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("decimal chunk size", chunked("1\r\nh\r\n5.01\r\nhello\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("space before the chunk size", chunked(" 5\r\nhello\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("space after the chunk size", chunked("5 \r\nhello\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("';' without an extension name", chunked("5;\r\nhello\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("extension '=' without a value", chunked("5;a=\r\nhello\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("unbalanced quote in a chunk extension", chunked("5;a=\"abc\";b=\"def; ghi\r\nhello\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("control char in a chunk extension", chunked("5;a=\"x\u0001\"\r\nhello\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("chunk extension over 4 KiB", chunked("5;e=" + "x".repeat(5000) + "\r\nhello\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("bad chunk size for a path without a route",
                "POST /nowhere HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n", 400));
        v.add(argumentSet("bad chunk size for a route of another method",
                "PUT /echo HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400));
        v.add(argumentSet("CR CR after the chunk size", chunked("5\r\r;ABCD\r\n34\r\nE\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("chunk data not followed by CRLF", chunked("5\r\nhelloX\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("chunk data longer than its size", chunked("5\r\nHello\r\n4\r\nWorld\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("chunk data shorter than its size", chunked("5\r\nHello\r\n6\r\nWorld\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("chunk size overflow", chunked("10000000000000000\r\nx\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("empty chunk size line", chunked("\r\nhello\r\n0\r\n\r\n"), 400));
        v.add(argumentSet("trailer with obs-fold", chunked("1\r\na\r\n0\r\nX: a\r\n b\r\n\r\n"), 400));
        v.add(argumentSet("trailer with a space in the name", chunked("1\r\na\r\n0\r\nX Y: a\r\n\r\n"), 400));
        v.add(argumentSet("trailer ending in bare LF", chunked("1\r\na\r\n0\r\nX: a\n\r\n"), 400));
        v.add(argumentSet("trailer section over the limit", chunked("1\r\na\r\n0\r\nX: " + "t".repeat(17_000) + "\r\n\r\n"), 431));
        v.add(argumentSet("one chunk over the body limit", chunked(Integer.toHexString(MAX_BODY + 1) + "\r\n" + "x".repeat(MAX_BODY + 1) + "\r\n0\r\n\r\n"), 413));
        v.add(argumentSet("chunks adding up over the body limit",
                chunked("200\r\n" + "x".repeat(512) + "\r\n200\r\n" + "y".repeat(512) + "\r\n1\r\nz\r\n0\r\n\r\n"), 413));
        v.add(argumentSet("huge chunk size within 15 hex digits", chunked("8ccccccc\r\nx\r\n0\r\n\r\n"), 413));

        // Header limits (RFC 6585 §5).
        v.add(argumentSet("one field over the header limit", get("X: " + "h".repeat(17_000) + "\r\n"), 431));
        v.add(argumentSet("header section over the limit in many fields", get(fields(80, 200)), 431));
        v.add(argumentSet("101 fields", get(fields(100, 1)), 431));

        // Expect (RFC 9110 §10.1.1).
        v.add(argumentSet("Expect: something-else", post("Expect: something-else\r\nContent-Length: 1\r\n", "x"), 417));
        v.add(argumentSet("Expect: 100-continue with a Content-Length over the limit",
                post("Expect: 100-continue\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n", ""), 413));
        v.add(argumentSet("Expect: 100-continue plus another expectation", post("Expect: 100-continue, foo\r\nContent-Length: 1\r\n", "x"), 417));

        return v.stream();
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void isRejectedAndTheConnectionClosed(String raw, int status) throws Exception {
        try (RawConnection c = new RawConnection(server.port(), 3_000)) {
            c.send(raw);
            RawConnection.Reply reply = c.read();
            c.socket().setSoTimeout(1_000); // a correct server closes at once; don't wait long for a wrong one
            boolean closed = c.closedByServer();
            assertAll(
                    () -> assertEquals(status, reply.status(), "status; body: " + reply.text()),
                    () -> assertEquals("close", reply.header("Connection"), "Connection header"),
                    () -> assertTrue(closed, "the server closes the connection"));
        }
    }

    @Test
    void anErrorAfterAPipelinedRequestAnswersBothThenCloses() throws Exception {
        try (RawConnection c = new RawConnection(server.port(), 3_000)) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n");
            RawConnection.Reply first = c.read();
            assertEquals(200, first.status());
            assertEquals("root", first.text());
            RawConnection.Reply second = c.read();
            assertEquals(400, second.status());
            assertEquals("close", second.header("Connection"));
            assertTrue(c.closedByServer());
        }
    }

    // ---- positive controls -----------------------------------------------------------------

    /** Valid but unusual requests: the statuses of their responses, in order. */
    static Stream<Arguments> unusualButValid() {
        List<Arguments> v = new ArrayList<>();
        v.add(argumentSet("absolute-form", "GET http://example.com/echo?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n", List.of(200)));
        v.add(argumentSet("absolute-form, upper-case scheme, port", "GET HTTPS://Example.COM:8443/echo HTTP/1.1\r\nHost: other\r\n\r\n", List.of(200)));
        v.add(argumentSet("absolute-form with an IPv6 literal", "GET http://[::1]:8080/echo HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", List.of(200)));
        v.add(argumentSet("OPTIONS * (no route: 404, not 400)", "OPTIONS * HTTP/1.1\r\n" + HOST + "\r\n", List.of(404)));
        v.add(argumentSet("HTTP/1.0 without Host, keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", List.of(200)));
        v.add(argumentSet("HTTP/1.2 served as 1.1", "GET / HTTP/1.2\r\n" + HOST + "\r\n", List.of(200)));
        v.add(argumentSet("obs-text in a value", get("X-Name: caf\u00e9 \u00ff\r\n"), List.of(200)));
        v.add(argumentSet("tabs and spaces around values", "GET / HTTP/1.1\r\nHost:\tx\t\r\nX-T: \t v \t\r\nX-Empty:\r\n\r\n", List.of(200)));
        v.add(argumentSet("empty Host value", "GET / HTTP/1.1\r\nHost:\r\n\r\n", List.of(200)));
        v.add(argumentSet("IPv6 literal Host with port", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", List.of(200)));
        v.add(argumentSet("eight empty lines before the request line", "\r\n".repeat(8) + get(""), List.of(200)));
        v.add(argumentSet("query with every sub-delim", "GET /echo?a=1&b=%20;c=(x)*!$'+,:@/?d~e HTTP/1.1\r\n" + HOST + "\r\n", List.of(200)));
        v.add(argumentSet("Content-Length with leading zeros", post("Content-Length: 0005\r\n", "hello"), List.of(200)));
        v.add(argumentSet("body exactly at the limit", post("Content-Length: " + MAX_BODY + "\r\n", "b".repeat(MAX_BODY)), List.of(200)));
        v.add(argumentSet("chunk extensions", chunked("5;a=b\r\nhello\r\n6;a=\"q\\\"x\";flag\r\n world\r\n3 ; n = v\r\n!!!\r\n0\r\n\r\n"), List.of(200)));
        v.add(argumentSet("trailers", chunked("3\r\nabc\r\n0\r\nX-Checksum: 1\r\nX-Other:\tb \r\n\r\n"), List.of(200)));
        v.add(argumentSet("Transfer-Encoding in upper case with OWS", post("Transfer-Encoding:  CHUNKED \r\n", "1\r\na\r\n0\r\n\r\n"), List.of(200)));
        v.add(argumentSet("chunked body exactly at the limit", chunked("400\r\n" + "c".repeat(MAX_BODY) + "\r\n0\r\n\r\n"), List.of(200)));
        v.add(argumentSet("Expect: 100-continue", post("Expect: 100-continue\r\nContent-Length: 3\r\n", "xyz"), List.of(200)));
        v.add(argumentSet("HEAD", "HEAD / HTTP/1.1\r\n" + HOST + "\r\n", List.of(200)));
        v.add(argumentSet("exactly 100 fields", get(fields(99, 1)), List.of(200)));
        v.add(argumentSet("request line exactly at the limit",
                line("GET /echo?" + "q".repeat(8192 - "GET /echo? HTTP/1.1".length()) + " HTTP/1.1"), List.of(200)));
        v.add(argumentSet("pipelined requests in one write", get("") + post("Content-Length: 2\r\n", "ok") + "HEAD / HTTP/1.1\r\n" + HOST + "\r\n",
                List.of(200, 200, 200)));
        return v.stream();
    }

    @ParameterizedTest
    @MethodSource("unusualButValid")
    void isServedAndTheConnectionStaysOpen(String raw, List<Integer> statuses) throws Exception {
        boolean head = raw.contains("HEAD /");
        try (RawConnection c = new RawConnection(server.port(), 3_000)) {
            c.send(raw);
            for (int i = 0; i < statuses.size(); i++) {
                RawConnection.Reply reply = c.read(head && i == statuses.size() - 1);
                while (reply.status() == 100) {
                    reply = c.read();
                }
                RawConnection.Reply r = reply;
                int expected = statuses.get(i);
                assertAll(
                        () -> assertEquals(expected, r.status(), "status; body: " + r.text()),
                        () -> assertTrue(r.header("Connection") == null || !r.header("Connection").equalsIgnoreCase("close"),
                                "no Connection: close"));
                if (expected == 200 && raw.startsWith("POST")) {
                    assertTrue(r.text().matches("\\d+"), "body length: " + r.text());
                }
            }
            // The connection is still usable.
            RawConnection.Reply again = c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertEquals(200, again.status());
            assertEquals("root", again.text());
        }
    }
}
