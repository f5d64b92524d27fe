package dev.strand.examples.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deferred;
import dev.strand.reactor.Reactor;
import dev.strand.reactor.tcp.CloseReason;
import dev.strand.reactor.tcp.Connection;
import dev.strand.reactor.tcp.ConnectionHandler;
import dev.strand.reactor.tcp.Tcp;
import dev.strand.reactor.tcp.TcpServer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Against fake servers on the toolkit (no Redis needed): an error reply fails one command, while a
 * malformed reply, a reply over a limit, a lost or refused connection and {@code close()} fail every
 * waiting command, and the later ones, with a clear exception. None is left pending.
 */
class RedisClientFailsEveryWaitingCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private Reactor reactor;
    private Tcp tcp;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(2).name("redis-fake").build();
        tcp = Tcp.create(reactor);
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    /** A server that answers each piece of a request with {@code answer.apply(piece)}. */
    private TcpServer fakeServer(Function<String, String> answer) {
        return tcp.startServer("127.0.0.1", 0, () -> (connection, data) -> {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            String reply = answer.apply(new String(bytes, UTF_8));
            if (reply == null) {
                connection.close();
            } else {
                connection.sendData(reply.getBytes(UTF_8));
            }
        });
    }

    private static Throwable failure(Deferred<?> deferred) {
        return assertThrows(CompletionException.class, () -> deferred.await(WAIT)).getCause();
    }

    @Test
    void anErrorReplyFailsThatCommandWithTheServersMessageAndTheNextOneStillWorks() {
        try (TcpServer server = fakeServer(request -> request.contains("NOPE") ? "-ERR unknown command 'NOPE'\r\n" : "+OK\r\n")) {
            RedisClient client = RedisClient.connect(tcp, "127.0.0.1", server.port());
            RedisException e = assertInstanceOf(RedisException.class, failure(client.command("NOPE")));
            assertEquals("ERR unknown command 'NOPE'", e.getMessage());
            assertEquals("OK", client.command("PING").await(WAIT));
            assertTrue(client.isOpen());
            client.close();
        }
    }

    @RepeatedTest(5)
    void aMalformedReplyFailsEveryWaitingCommandAndClosesTheConnection() throws Exception {
        Deferred<CloseReason> serverSaw = Deferred.create(reactor.loops().getFirst());
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> new ConnectionHandler() {
            private boolean answered;

            @Override
            public void receiveData(Connection connection, ByteBuffer data) {
                data.position(data.limit());
                if (!answered) { // once: unread bytes at the client's close would make it a reset
                    answered = true;
                    connection.sendData("?what is this\r\n".getBytes(UTF_8));
                }
            }

            @Override
            public void unbind(Connection connection, CloseReason reason) {
                serverSaw.trySucceed(reason);
            }
        })) {
            RedisClient client = RedisClient.connect(tcp, "127.0.0.1", server.port());
            // Queued on the loop in one task, so all three are waiting when the bad reply comes.
            List<Deferred<Optional<String>>> gets = new java.util.ArrayList<>();
            Deferred<Void> queued = Deferred.create(client.loop());
            client.loop().execute(() -> {
                for (int i = 0; i < 3; i++) {
                    gets.add(client.get("k" + i));
                }
                queued.succeed(null);
            });
            queued.await(WAIT);
            for (Deferred<Optional<String>> get : gets) {
                RedisProtocolException e = assertInstanceOf(RedisProtocolException.class, failure(get));
                assertTrue(e.getMessage().contains("not a RESP2 reply type"), e.getMessage());
            }
            assertInstanceOf(RedisProtocolException.class, failure(client.get("later")), "later commands fail at once");
            assertFalse(client.isOpen());
            assertEquals(CloseReason.Kind.PEER_CLOSED, serverSaw.await(WAIT).kind(), "the client closed the connection");
        }
    }

    @Test
    void aBulkStringOverTheLimitFailsTheConnectionWithoutReadingIt() {
        try (TcpServer server = fakeServer(request -> "$1048576\r\n" + "x".repeat(1000))) {
            RedisClient client = RedisClient.builder(tcp).maxBulkBytes(1024).connect("127.0.0.1", server.port());
            RedisProtocolException e = assertInstanceOf(RedisProtocolException.class, failure(client.get("big")));
            assertTrue(e.getMessage().contains("over the limit of 1024"), e.getMessage());
        }
    }

    @Test
    void aLostConnectionFailsEveryWaitingCommand() {
        try (TcpServer server = fakeServer(request -> null)) { // closes on the first bytes
            RedisClient client = RedisClient.connect(tcp, "127.0.0.1", server.port());
            Deferred<Object> first = client.command("PING");
            Deferred<Object> second = client.command("PING");
            RedisConnectionException e = assertInstanceOf(RedisConnectionException.class, failure(first));
            assertTrue(e.reason().isPresent(), "the toolkit's reason is kept: " + e);
            assertSame(e, failure(second));
            assertInstanceOf(RedisConnectionException.class, failure(client.subscribe("news", message -> { })),
                    "a client whose connection is lost subscribes no more");
        }
    }

    @Test
    void aRefusedConnectionFailsTheCommandsSentBeforeIt() {
        int port;
        try (TcpServer server = fakeServer(request -> "+OK\r\n")) {
            port = server.port(); // closed at once: nothing listens there any more
        }
        RedisClient client = RedisClient.connect(tcp, "127.0.0.1", port);
        RedisConnectionException e = assertInstanceOf(RedisConnectionException.class, failure(client.set("k", "v")));
        assertEquals(CloseReason.Kind.CONNECT_FAILED, e.reason().orElseThrow().kind());
    }

    @Test
    void closeFailsTheWaitingCommandsAndTheLaterOnes() {
        try (TcpServer server = fakeServer(request -> "")) { // never answers
            RedisClient client = RedisClient.connect(tcp, "127.0.0.1", server.port());
            Deferred<Object> waiting = client.command("PING");
            client.close();
            assertInstanceOf(RedisConnectionException.class, failure(waiting));
            assertInstanceOf(RedisConnectionException.class, failure(client.command("PING")));
            client.close(); // idempotent
        }
    }

    @Test
    void commandsBeyondTheUnsentLimitFailAtOnceAndTheConnectionGoesOn() throws Exception {
        // A server that never reads: the kernel's buffers fill, then the toolkit's queue, then the client's.
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> new ConnectionHandler() {
            @Override
            public void postInit(Connection connection) {
                connection.pause();
            }

            @Override
            public void receiveData(Connection connection, ByteBuffer data) {
            }
        })) {
            Tcp small = Tcp.builder(reactor).lowWatermark(512).highWatermark(1024).maxQueuedBytes(4096).build();
            RedisClient client = RedisClient.builder(small).maxUnsentBytes(64 * 1024).connect("127.0.0.1", server.port());
            String value = "x".repeat(1000);
            Deferred<IllegalStateException> refused = Deferred.create(client.loop());
            // One command at a time from the loop, until one is refused: the kernel's buffers may take megabytes.
            Runnable[] next = new Runnable[1];
            int[] sent = {0};
            next[0] = () -> {
                if (sent[0]++ > 100_000) {
                    refused.tryFail(new AssertionError("100,000 commands were never refused"));
                    return;
                }
                client.set("k", value).errback(failure -> {
                    if (failure instanceof IllegalStateException e) {
                        refused.trySucceed(e);
                    }
                });
                client.loop().execute(next[0]);
            };
            client.loop().execute(next[0]);
            IllegalStateException e = refused.await(Duration.ofSeconds(10));
            assertTrue(e.getMessage().contains("wait for the server to read"), e.getMessage());
            assertTrue(client.isOpen(), "refusing a command does not cut the connection");
            client.close();
        }
    }

    @Test
    void aReplyNoCommandAskedForIsAProtocolError() {
        try (TcpServer server = fakeServer(request -> "+OK\r\n+OK\r\n")) {
            RedisClient client = RedisClient.connect(tcp, "127.0.0.1", server.port());
            assertEquals("OK", client.command("PING").await(WAIT));
            assertInstanceOf(RedisConnectionException.class, failure(client.command("PING")),
                    "the extra reply broke the stream, so the connection was closed");
        }
    }
}
