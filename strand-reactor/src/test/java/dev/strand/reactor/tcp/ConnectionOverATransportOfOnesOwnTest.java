package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Tcp#attach(EventLoop, dev.strand.reactor.spi.Transport, Optional, ConnectionHandler)}: the
 * same connection over a byte stream of one's own, which is how protocols (HTTP/1.1 included) are
 * tested without sockets; and what the connection does for them: small sends coalesce into one
 * write from a lent buffer, large ones go as they are, a half-closed peer can still be answered.
 */
class ConnectionOverATransportOfOnesOwnTest {

    private Reactor reactor;
    private EventLoop loop;
    private Tcp tcp;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(1).name("memory").build();
        loop = reactor.loops().getFirst();
        tcp = Tcp.create(reactor);
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    private <T> T onLoop(Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(action.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(5, SECONDS);
    }

    @Test
    void aSocketAcceptedElsewhereBecomesAConnection() throws Exception {
        Recorder recorder = new Recorder() {
            @Override
            public void receiveData(Connection connection, ByteBuffer data) {
                connection.sendData(data.duplicate()); // echo
                super.receiveData(connection, data);
            }
        };
        try (java.nio.channels.ServerSocketChannel listener = java.nio.channels.ServerSocketChannel.open()) {
            listener.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            try (PlainClient client = PlainClient.connect("127.0.0.1", ((java.net.InetSocketAddress) listener.getLocalAddress()).getPort())) {
                java.nio.channels.SocketChannel accepted = listener.accept(); // blocking, on the test thread
                Connection connection = onLoop(() -> tcp.attach(loop, accepted, Optional.empty(), recorder));
                assertEquals(loop, connection.loop());
                client.write("ping".getBytes(US_ASCII));
                assertEquals("ping", new String(client.readExactly(4), US_ASCII));
                assertTrue(recorder.offLoop.isEmpty(), "callbacks off the loop: " + recorder.offLoop);
            }
            assertEquals(CloseReason.Kind.PEER_CLOSED, recorder.awaitUnbind().kind());
        }
    }

    @Test
    void attachIsRefusedOffTheLoop() {
        assertThrows(IllegalStateException.class,
                () -> tcp.attach(loop, new MemoryTransport(), Optional.empty(), (c, data) -> { }));
    }

    @Test
    void anEchoRunsOverMemoryAndSmallSendsOfOneTurnLeaveInOneWrite() throws Exception {
        MemoryTransport transport = new MemoryTransport();
        Recorder recorder = new Recorder() {
            @Override
            public void receiveData(Connection connection, ByteBuffer data) {
                // Echo each byte with a send of its own: forty sends in one turn.
                while (data.hasRemaining()) {
                    connection.sendData(new byte[] {data.get()});
                }
            }
        };
        onLoop(() -> tcp.attach(loop, transport, Optional.empty(), recorder));
        onLoop(() -> {
            transport.send("0123456789012345678901234567890123456789".getBytes(US_ASCII));
            return transport.pump();
        });
        // The flush runs at the end of the turn that read: the next task sees it done.
        int writes = onLoop(() -> transport.writeCalls);
        assertEquals("0123456789012345678901234567890123456789", new String(onLoop(transport::written), US_ASCII));
        assertEquals(1, writes, "forty small sends of one turn leave in one write");
    }

    @Test
    void aLargeBufferIsQueuedAsItIsAndWrittenAfterWhatCameBefore() throws Exception {
        MemoryTransport transport = new MemoryTransport();
        byte[] large = new byte[200_000];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i % 251);
        }
        ByteBuffer handedOver = ByteBuffer.wrap(large);
        Connection connection = onLoop(() -> tcp.attach(loop, transport, Optional.empty(), (c, data) -> { }));
        boolean over = onLoop(() -> {
            connection.sendData("head".getBytes(US_ASCII));
            return connection.sendWithoutCopy(handedOver);
        });
        assertTrue(over, "200,000 bytes are over the 64 KiB high watermark: the caller is told to stop");
        onLoop(() -> null); // the end-of-turn flush has run
        byte[] written = onLoop(transport::written);
        assertEquals(4 + large.length, written.length);
        assertEquals("head", new String(written, 0, 4, US_ASCII));
        assertArrayEquals(large, java.util.Arrays.copyOfRange(written, 4, written.length));
        assertEquals(large.length, handedOver.position(), "the buffer itself was written, not a copy");
        assertEquals(0L, (long) onLoop(connection::queuedBytes));
    }

    @Test
    void aHandlerThatKeepsWritingAfterThePeersEndIsHalfClosedUntilItCloses() throws Exception {
        MemoryTransport transport = new MemoryTransport();
        CompletableFuture<Connection> ended = new CompletableFuture<>();
        Recorder recorder = new Recorder() {
            @Override
            public boolean inputEnded(Connection connection) {
                ended.complete(connection);
                return true;
            }
        };
        onLoop(() -> tcp.attach(loop, transport, Optional.empty(), recorder));
        onLoop(() -> {
            transport.send("question".getBytes(US_ASCII));
            transport.endInput();
            transport.pump(); // reads the question
            return transport.pump(); // and then the end
        });
        Connection connection = ended.get(5, SECONDS);
        assertTrue(connection.isOpen(), "still open for writing after the peer's end");
        onLoop(() -> {
            connection.sendData("answer".getBytes(US_ASCII));
            connection.closeAfterWriting();
            return null;
        });
        assertEquals(CloseReason.Kind.CLOSED, recorder.unbound.get(5, SECONDS).kind());
        assertEquals("answer", new String(onLoop(transport::written), US_ASCII));
        assertTrue(onLoop(transport::closed));
    }

    @Test
    void byDefaultThePeersEndClosesOnceTheQueueIsWritten() throws Exception {
        MemoryTransport transport = new MemoryTransport();
        Recorder recorder = new Recorder();
        onLoop(() -> tcp.attach(loop, transport, Optional.empty(), recorder));
        onLoop(() -> {
            transport.endInput();
            return transport.pump();
        });
        assertEquals(CloseReason.Kind.PEER_CLOSED, recorder.unbound.get(5, SECONDS).kind());
    }

    @Test
    void whenDrainedCompletesAtOnceWhenNothingWaitsAndFailsOnceClosed() throws Exception {
        MemoryTransport transport = new MemoryTransport();
        Connection connection = onLoop(() -> tcp.attach(loop, transport, Optional.empty(), (c, data) -> { }));
        connection.whenDrained().get(5, SECONDS);
        connection.close();
        var failed = connection.whenDrained();
        var thrown = assertThrows(java.util.concurrent.ExecutionException.class, () -> failed.get(5, SECONDS));
        assertTrue(thrown.getCause() instanceof ConnectionClosedException, "failed with " + thrown.getCause());
    }
}
