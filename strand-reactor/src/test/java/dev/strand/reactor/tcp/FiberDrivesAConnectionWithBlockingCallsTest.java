package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.FiberMode;
import dev.strand.reactor.Reactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * {@link Connection#blocking()}: a connection read and written top to bottom by a fiber, which parks
 * on its loop instead of blocking it; the loop's own thread is refused; both directions stay bounded.
 */
class FiberDrivesAConnectionWithBlockingCallsTest {

    private static final int LOW = 32 * 1024;
    private static final int HIGH = 64 * 1024;

    private Reactor reactor;

    @BeforeEach
    void start() {
        Assumptions.assumeTrue(Reactor.carrierHookAvailable(), "java.lang is not opened in this JVM");
        reactor = Reactor.builder().loops(2).fiberMode(FiberMode.LOOP_CARRIER).name("blocking").build();
    }

    @AfterEach
    void stop() {
        if (reactor != null) {
            reactor.close();
        }
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    private static <T> T onFiber(EventLoop loop, Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.startFiber(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(10, SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Serves each connection with a fiber on its loop that echoes until the peer ends. */
    private TcpServer fiberEchoServer(Tcp tcp, AtomicInteger offLoop) {
        return tcp.startServer("127.0.0.1", 0, () -> new ConnectionHandler() {
            @Override
            public void postInit(Connection connection) {
                BlockingConnection blocking = connection.blocking();
                connection.loop().startFiber(() -> {
                    try (blocking) {
                        byte[] buffer = new byte[8192];
                        int n;
                        while ((n = blocking.input().read(buffer)) > 0) {
                            if (!connection.loop().inLoop()) {
                                offLoop.incrementAndGet();
                            }
                            blocking.output().write(buffer, 0, n);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }

            @Override
            public void receiveData(Connection connection, ByteBuffer data) {
                throw new AssertionError("receiveData called on a blocking connection");
            }
        });
    }

    @RepeatedTest(3)
    void aFiberPerConnectionEchoesAMebibyteAndResumesOnItsLoop() throws Exception {
        AtomicInteger offLoop = new AtomicInteger();
        // A tight hard limit: a blocking writer waits for room, it never overflows.
        Tcp tcp = Tcp.builder(reactor).lowWatermark(LOW).highWatermark(HIGH).maxQueuedBytes(2L * HIGH).build();
        byte[] message = random(1024 * 1024);
        try (TcpServer server = fiberEchoServer(tcp, offLoop);
             PlainClient client = PlainClient.connect("127.0.0.1", server.port())) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    client.write(message);
                    client.socket.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertArrayEquals(message, client.readToEnd(), "echoed whole, then closed after the peer's end");
            writer.join(5_000);
            assertEquals(0, offLoop.get(), "the fiber resumed off its loop");
        }
    }

    @Test
    void aFiberConnectsWritesAndReadsOnItsOwnLoop() throws Exception {
        Tcp tcp = Tcp.create(reactor);
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> (c, data) -> {
            c.sendData("pong:".getBytes(US_ASCII));
            c.sendData(data);
        })) {
            EventLoop loop = reactor.loops().get(1);
            String reply = onFiber(loop, () -> {
                Connection connection = tcp.connect("127.0.0.1", server.port(), (c, data) -> { });
                assertSame(loop, connection.loop(), "a connection made on a loop stays on it");
                try (BlockingConnection blocking = connection.blocking()) {
                    blocking.output().write("ping".getBytes(US_ASCII));
                    byte[] answer = blocking.input().readNBytes(9);
                    assertTrue(loop.inLoop(), "resumed off its loop");
                    return new String(answer, US_ASCII);
                }
            });
            assertEquals("pong:ping", reply);
        }
    }

    @Test
    void aPlatformThreadMayBlockAndSeesTheEndOfTheStream() throws Exception {
        Tcp tcp = Tcp.create(reactor);
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> (c, data) -> {
            c.sendData(data);
            c.closeAfterWriting();
        })) {
            Connection connection = tcp.connect("127.0.0.1", server.port(), (c, data) -> { });
            BlockingConnection blocking = connection.blocking();
            assertSame(blocking, connection.blocking());
            blocking.output().write("once".getBytes(US_ASCII));
            InputStream in = blocking.input();
            assertEquals("once", new String(in.readNBytes(4), US_ASCII));
            assertEquals(-1, in.read(), "the peer's end is -1, after the bytes");
        }
    }

    @Test
    void aLoopsOwnThreadIsRefused() throws Exception {
        Tcp tcp = Tcp.create(reactor);
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> (c, data) -> { })) {
            Connection connection = tcp.connect("127.0.0.1", server.port(), (c, data) -> { });
            BlockingConnection blocking = connection.blocking();
            CompletableFuture<Throwable> read = new CompletableFuture<>();
            CompletableFuture<Throwable> write = new CompletableFuture<>();
            connection.loop().execute(() -> {
                read.complete(assertThrows(IllegalStateException.class, () -> blocking.input().read()));
                write.complete(assertThrows(IllegalStateException.class, () -> blocking.output().write(1)));
            });
            assertTrue(read.get(5, SECONDS).getMessage().contains("would block"));
            assertInstanceOf(IllegalStateException.class, write.get(5, SECONDS));
            connection.close();
        }
    }

    @Test
    void aWaitingReaderLearnsWhyTheConnectionClosed() throws Exception {
        Tcp tcp = Tcp.builder(reactor).inactivityTimeout(Duration.ofMillis(100)).build();
        // The server has no timeout: the client's must end it, not the server's close.
        try (TcpServer server = Tcp.create(reactor).startServer("127.0.0.1", 0, () -> (c, data) -> { })) {
            ConnectionClosedException closed = assertThrows(ConnectionClosedException.class,
                    () -> onFiber(reactor.loops().getFirst(), () -> {
                        Connection connection = tcp.connect("127.0.0.1", server.port(), (c, data) -> { });
                        return connection.blocking().input().read(); // nothing comes: the timeout ends it
                    }));
            assertEquals(CloseReason.Kind.INACTIVITY_TIMEOUT, closed.reason().kind());
        }
    }

    @Test
    void aFiberThatDoesNotReadMakesTheLoopStopReadingAtTheHighWatermark() throws Exception {
        int readBuffer = 16 * 1024;
        Tcp tcp = Tcp.builder(reactor).lowWatermark(LOW).highWatermark(HIGH).readBufferSize(readBuffer).build();
        CompletableFuture<BlockingConnection> accepted = new CompletableFuture<>();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> new ConnectionHandler() {
                 @Override
                 public void postInit(Connection c) {
                     accepted.complete(c.blocking());
                 }

                 @Override
                 public void receiveData(Connection c, ByteBuffer data) {
                 }
             });
             PlainClient client = PlainClient.connect("127.0.0.1", server.port())) {
            byte[] message = random(1024 * 1024);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    client.write(message);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            BlockingConnection blocking = accepted.get(5, SECONDS);
            InputStream in = blocking.input();
            long deadline = System.nanoTime() + SECONDS.toNanos(5);
            while (in.available() < HIGH) {
                assertTrue(System.nanoTime() < deadline, "the inbox never filled");
                CompletableFuture.runAsync(() -> { }, blocking.connection().loop()).get(5, SECONDS);
            }
            for (int i = 0; i < 3; i++) { // turns of the loop in which it could read on, if it did
                CompletableFuture.runAsync(() -> { }, blocking.connection().loop()).get(5, SECONDS);
            }
            assertTrue(in.available() <= HIGH + readBuffer, "buffered " + in.available() + " bytes unread");
            assertArrayEquals(message, in.readNBytes(message.length), "then everything arrives as the fiber reads");
            writer.join(5_000);
            blocking.close();
            assertEquals(-1, client.readOne());
        }
    }
}
