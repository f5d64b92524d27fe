package dev.strand.http.internal;

import dev.strand.admission.QosClass;
import dev.strand.http.Handler;
import dev.strand.http.RouteOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole request path of the pipelined plaintext shape on one connection, per request: parse,
 * route, dispatch a non-blocking handler on the loop, encode, flush (into memory). {@code route}
 * picks what the dispatch stage has to do: {@code bare} (a plain non-blocking route, the hot path
 * that must cost what it did before routes had options), {@code filter} (one global filter) or
 * {@code context} (a route with a deadline and a QoS class: a context bound per request).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class DispatchBenchmark {

    static final int ROUNDS = 64;
    static final int PER_BATCH = ROUNDS * ParserBenchmark.DEPTH;
    private static final String PLAINTEXT = "Hello, World!";
    /** The plaintext response's size as encoded, for the check that every request was answered. */
    private static final int MIN_RESPONSE = 100;

    @Param({"bare", "filter", "context"})
    public String route;

    private PipelinedConnection connection;

    @Setup
    public void setUp() throws Exception {
        Handler plaintext = Handler.nonBlocking((req, res) -> res.contentType("text/plain").send(PLAINTEXT));
        connection = new PipelinedConnection(r -> {
            switch (route) {
                case "bare" -> r.get("/plaintext", plaintext);
                case "filter" -> r.filter((req, res, next) -> next.proceed()).get("/plaintext", plaintext);
                case "context" -> r.get("/plaintext", RouteOptions.builder().deadline(Duration.ofSeconds(5))
                        .qos(QosClass.CRITICAL).build(), plaintext);
                default -> throw new IllegalArgumentException(route);
            }
        }, ParserBenchmark.PIPELINED, ROUNDS);
        long bytes = connection.batch();
        if (bytes < (long) PER_BATCH * MIN_RESPONSE) {
            throw new IllegalStateException("only " + bytes + " bytes for " + PER_BATCH + " requests");
        }
        String check = new String(ParserBenchmark.PIPELINED, StandardCharsets.ISO_8859_1);
        if (!check.startsWith("GET /plaintext ")) {
            throw new IllegalStateException("unexpected requests: " + check);
        }
    }

    @TearDown
    public void tearDown() {
        connection.close();
    }

    /** Per request: a batch of 64 × 16 pipelined requests, answered into memory. */
    @Benchmark
    @OperationsPerInvocation(PER_BATCH)
    public long pipelinedPlaintext() throws Exception {
        return connection.batch();
    }
}
