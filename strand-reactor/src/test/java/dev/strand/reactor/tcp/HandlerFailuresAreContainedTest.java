package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.strand.reactor.Failure;
import dev.strand.reactor.Reactor;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A callback that throws closes its own connection with {@code HANDLER_FAILED} and the failure is
 * counted on the loop; the loop, the server and other connections go on.
 */
class HandlerFailuresAreContainedTest {

    private Reactor reactor;
    private Tcp tcp;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(1).name("failing").build();
        tcp = Tcp.create(reactor);
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    @Test
    void aThrowingReceiveDataClosesItsConnectionAndTheServerServesTheNext() throws Exception {
        RuntimeException boom = new IllegalStateException("boom (expected by the test)");
        AtomicBoolean first = new AtomicBoolean(true);
        CompletableFuture<CloseReason> failedOne = new CompletableFuture<>();
        AtomicInteger unbinds = new AtomicInteger();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> {
            boolean failing = first.getAndSet(false);
            return new ConnectionHandler() {
                @Override
                public void receiveData(Connection c, ByteBuffer data) {
                    if (failing) {
                        throw boom;
                    }
                    c.sendData(data);
                }

                @Override
                public void unbind(Connection c, CloseReason reason) {
                    if (failing) {
                        unbinds.incrementAndGet();
                        failedOne.complete(reason);
                    }
                }
            };
        })) {
            try (PlainClient failing = PlainClient.connect("127.0.0.1", server.port())) {
                failing.write("x".getBytes(US_ASCII));
                CloseReason reason = failedOne.get(5, SECONDS);
                assertEquals(CloseReason.Kind.HANDLER_FAILED, reason.kind());
                assertSame(boom, reason.cause().orElseThrow());
                assertEquals(-1, failing.readOne(), "the failed handler's peer sees the end");
            }
            assertEquals(1, reactor.failures(Failure.CONNECTION_HANDLER));
            assertEquals(1, unbinds.get(), "unbind once, even after a failure");
            try (PlainClient next = PlainClient.connect("127.0.0.1", server.port())) {
                next.write("y".getBytes(US_ASCII));
                assertEquals('y', next.readOne(), "the loop and the server go on");
            }
        }
    }

    @Test
    void aThrowingFactoryClosesThatConnectionOnly() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> {
            if (first.getAndSet(false)) {
                throw new IllegalStateException("no handler (expected by the test)");
            }
            return (c, data) -> c.sendData(data);
        })) {
            try (PlainClient refused = PlainClient.connect("127.0.0.1", server.port())) {
                assertEquals(-1, refused.readOne());
            }
            assertEquals(1, reactor.failures(Failure.CONNECTION_HANDLER));
            try (PlainClient next = PlainClient.connect("127.0.0.1", server.port())) {
                next.write("z".getBytes(US_ASCII));
                assertEquals('z', next.readOne());
            }
        }
    }

    @Test
    void aThrowingPostInitAndAThrowingUnbindAreBothCountedAndUnbindRunsOnce() throws Exception {
        CompletableFuture<CloseReason> unbound = new CompletableFuture<>();
        AtomicInteger unbinds = new AtomicInteger();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> new ConnectionHandler() {
                 @Override
                 public void postInit(Connection c) {
                     throw new IllegalStateException("postInit (expected by the test)");
                 }

                 @Override
                 public void receiveData(Connection c, ByteBuffer data) {
                 }

                 @Override
                 public void unbind(Connection c, CloseReason reason) {
                     unbinds.incrementAndGet();
                     unbound.complete(reason);
                     throw new IllegalStateException("unbind (expected by the test)");
                 }
             });
             PlainClient client = PlainClient.connect("127.0.0.1", server.port())) {
            assertEquals(CloseReason.Kind.HANDLER_FAILED, unbound.get(5, SECONDS).kind());
            assertEquals(-1, client.readOne());
            // Both failures are counted by the time the loop has run a task queued after them.
            CompletableFuture.runAsync(() -> { }, reactor.loops().getFirst()).get(5, SECONDS);
            assertEquals(2, reactor.failures(Failure.CONNECTION_HANDLER));
            assertEquals(1, unbinds.get());
        }
    }

    @Test
    void aThrowingConnectionCompletedClosesTheClientConnection() throws Exception {
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> (c, data) -> { })) {
            Recorder client = new Recorder() {
                @Override
                public void connectionCompleted(Connection connection) {
                    super.connectionCompleted(connection);
                    throw new IllegalStateException("connectionCompleted (expected by the test)");
                }
            };
            tcp.connect("127.0.0.1", server.port(), client);
            assertEquals(CloseReason.Kind.HANDLER_FAILED, client.awaitUnbind().kind());
            assertEquals(1, reactor.failures(Failure.CONNECTION_HANDLER));
        }
    }
}
