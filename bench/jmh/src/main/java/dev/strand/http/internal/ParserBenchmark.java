package dev.strand.http.internal;

import dev.strand.http.ServerConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link Http1Parser}: one browser-like GET with eight header fields, and sixteen pipelined
 * plaintext requests in one buffer (TechEmpower's plaintext shape). One parser is reused across
 * requests, as a connection reuses it; each request yields its {@link RequestHead}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ParserBenchmark {

    static final byte[] BROWSER_GET = ("GET /articles/2025/strand-benchmarks?ref=home&lang=en HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Connection: keep-alive\r\n"
            + "Cookie: session=4f1c2b7e9a8d46b1b0c3e2f5a6d7c8b9; theme=dark\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "\r\n").getBytes(StandardCharsets.ISO_8859_1);

    static final int DEPTH = 16;
    /** TechEmpower's plaintext request, as its wrk script sends it. */
    static final byte[] PIPELINED = ("GET /plaintext HTTP/1.1\r\n"
            + "Host: 127.0.0.1:8080\r\n"
            + "Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n").repeat(DEPTH).getBytes(StandardCharsets.ISO_8859_1);

    private Http1Parser parser;
    private ByteBuffer browser;
    private ByteBuffer pipelined;

    @Setup
    public void setUp() {
        ServerConfig c = ServerConfig.builder().build();
        parser = new Http1Parser(c.maxRequestLine(), c.maxHeaderSize(), c.maxHeaderCount(), c.maxBodySize());
        browser = ByteBuffer.wrap(BROWSER_GET);
        pipelined = ByteBuffer.wrap(PIPELINED);
        // Prove the inputs parse as intended before measuring.
        RequestHead head = parseOne(browser.rewind());
        if (head.headers().size() != 8 || !head.path().equals("/articles/2025/strand-benchmarks")) {
            throw new IllegalStateException("unexpected parse of the browser GET: " + head);
        }
        int heads = parseAll(pipelined.rewind(), null);
        if (heads != DEPTH) {
            throw new IllegalStateException("parsed " + heads + " of " + DEPTH + " pipelined requests");
        }
    }

    @Benchmark
    public RequestHead browserGet() {
        return parseOne(browser.rewind());
    }

    /** Per request: sixteen pipelined requests parsed out of one buffer. */
    @Benchmark
    @OperationsPerInvocation(DEPTH)
    public int pipelined16(Blackhole bh) {
        return parseAll(pipelined.rewind(), bh);
    }

    private RequestHead parseOne(ByteBuffer in) {
        if (parser.next(in) != Http1Parser.Event.HEAD) {
            throw new IllegalStateException("no head");
        }
        RequestHead head = parser.head();
        if (parser.next(in) != Http1Parser.Event.MESSAGE_END) {
            throw new IllegalStateException("no message end");
        }
        return head;
    }

    private int parseAll(ByteBuffer in, Blackhole bh) {
        int heads = 0;
        while (true) {
            switch (parser.next(in)) {
                case HEAD -> {
                    heads++;
                    if (bh != null) {
                        bh.consume(parser.head());
                    }
                }
                case NEED_MORE -> {
                    return heads;
                }
                default -> {
                }
            }
        }
    }
}
