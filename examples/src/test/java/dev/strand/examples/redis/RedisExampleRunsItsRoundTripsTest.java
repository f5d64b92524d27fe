package dev.strand.examples.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.examples.RedisExample;
import dev.strand.reactor.Reactor;
import dev.strand.reactor.tcp.TcpServer;
import dev.strand.reactor.tcp.Tcp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The runnable example does what its README says, against the local Redis, and says why when it cannot. */
class RedisExampleRunsItsRoundTripsTest {

    @Test
    void theExampleSetsGetsPipelinesAndRoundTripsAMessage() {
        LocalRedis.assumeAvailable();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Reactor reactor = Reactor.builder().loops(1).name("redis-example").build()) {
            RedisExample.run(reactor, LocalRedis.HOST, LocalRedis.PORT, new PrintStream(printed, true, UTF_8));
        }
        String output = printed.toString(UTF_8);
        assertTrue(output.contains("-> hello from strand"), output);
        assertTrue(output.contains("1000 values read back as written"), output);
        assertTrue(output.contains(": hello, subscribers"), output);
        assertTrue(output.contains("DEL 1001 keys"), output);
    }

    @Test
    void withoutAServerTheExampleFailsWithTheConnectionsReason() {
        try (Reactor reactor = Reactor.builder().loops(1).name("redis-example").build()) {
            int port;
            try (TcpServer server = Tcp.create(reactor).startServer("127.0.0.1", 0, () -> (c, d) -> { })) {
                port = server.port(); // closed at once: nothing listens there any more
            }
            CompletionException e = assertThrows(CompletionException.class,
                    () -> RedisExample.run(reactor, "127.0.0.1", port, new PrintStream(new ByteArrayOutputStream(), true, UTF_8)));
            RedisConnectionException cause = assertInstanceOf(RedisConnectionException.class, e.getCause());
            assertEquals(dev.strand.reactor.tcp.CloseReason.Kind.CONNECT_FAILED, cause.reason().orElseThrow().kind());
        }
    }
}
