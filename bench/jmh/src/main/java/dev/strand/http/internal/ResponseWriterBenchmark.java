package dev.strand.http.internal;

import dev.strand.http.Method;
import dev.strand.http.ServerConfig;
import dev.strand.reactor.FiberMode;
import dev.strand.reactor.Reactor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Encoding a response: {@code Http1Connection.encodeHead} (status line, the handler's fields,
 * {@code Server}, {@code Date}, connection handling) on a real, unstarted connection, then what
 * {@code Http1Connection.respond} appends for a small whole body ({@code Content-Length}, the blank
 * line, the body) into the same {@link ByteSink}. Queueing and the socket write are not included.
 *
 * <p>{@code encodeHead} is private, so it is reached through a method handle from a private lookup
 * (the benchmark shares the package and, on the class path, the module).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResponseWriterBenchmark {

    private static final MethodHandle ENCODE_HEAD;
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final byte[] JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.UTF_8);

    static {
        try {
            ENCODE_HEAD = MethodHandles.privateLookupIn(Http1Connection.class, MethodHandles.lookup())
                    .findVirtual(Http1Connection.class, "encodeHead", MethodType.methodType(ByteSink.class,
                            Exchange.class, Http1Response.ResponseHead.class, boolean.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Http1Response.ResponseHead plaintextHead =
            new Http1Response.ResponseHead(200, new String[] {"Content-Type", "text/plain"}, -1);
    private final Http1Response.ResponseHead jsonHead =
            new Http1Response.ResponseHead(200, new String[] {"Content-Type", "application/json"}, -1);

    private Reactor reactor;
    private StrandServer server;
    private Http1Connection connection;
    private Exchange exchange;
    private DateHeader date;

    @Setup
    public void setUp() throws Throwable {
        reactor = Reactor.builder().loops(1).fiberMode(FiberMode.JDK_SCHEDULER).name("jmh-writer").build();
        server = new StrandServer(ServerConfig.builder().host("127.0.0.1").port(0).build(), Router.build(routing -> { }),
                new Json(null), Optional.of(reactor));
        server.start(); // its loop's encoding buffer; no connection is attached: nothing is written
        connection = new Http1Connection(server, reactor.loops().getFirst());
        ServerConfig c = server.config();
        Http1Parser parser = new Http1Parser(c.maxRequestLine(), c.maxHeaderSize(), c.maxHeaderCount(), c.maxBodySize());
        ByteBuffer request = ByteBuffer.wrap("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        if (parser.next(request) != Http1Parser.Event.HEAD) {
            throw new IllegalStateException("the request did not parse");
        }
        exchange = new Exchange(connection, parser.head(),
                Router.build(r -> { }).find(Method.GET, "/plaintext").route(), Map.of());
        date = new DateHeader();

        String encoded = StandardCharsets.ISO_8859_1.decode(plaintextResponse()).toString();
        if (!encoded.startsWith("HTTP/1.1 200 OK\r\n") || !encoded.contains("\r\nServer: ")
                || !encoded.contains("\r\nDate: ") || !encoded.endsWith("\r\nContent-Length: 13\r\n\r\nHello, World!")) {
            throw new IllegalStateException("unexpected encoding: " + encoded);
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        server.close();
        reactor.close();
    }

    /** The head alone. */
    @Benchmark
    public ByteSink head() throws Throwable {
        return (ByteSink) ENCODE_HEAD.invokeExact(connection, exchange, plaintextHead, false);
    }

    /** A whole {@code /plaintext} response into one buffer, as {@code respond} builds it. */
    @Benchmark
    public ByteBuffer plaintextResponse() throws Throwable {
        return whole(plaintextHead, PLAINTEXT);
    }

    /** A whole {@code /json} response (the body already serialized). */
    @Benchmark
    public ByteBuffer jsonResponse() throws Throwable {
        return whole(jsonHead, JSON);
    }

    /** The {@code Date} line's per-call check, which reformats only when the second changed. */
    @Benchmark
    public byte[] dateLine() {
        date.refresh(reactor.clock());
        return date.line();
    }

    private ByteBuffer whole(Http1Response.ResponseHead responseHead, byte[] body) throws Throwable {
        ByteSink sink = (ByteSink) ENCODE_HEAD.invokeExact(connection, exchange, responseHead, false);
        sink.put(CONTENT_LENGTH).putDecimal(body.length).crlf();
        sink.crlf();
        sink.put(body);
        return sink.toBuffer();
    }
}
