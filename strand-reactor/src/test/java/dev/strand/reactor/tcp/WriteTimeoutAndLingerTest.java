package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Reactor;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The write timeout ends a connection whose peer stopped reading; the linger lets a peer that is
 * still sending read the last answer (no reset), then the connection ends when the peer does.
 */
class WriteTimeoutAndLingerTest {

    private Reactor reactor;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(1).name("timeouts").build();
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    @Test
    void aPeerThatNeverReadsIsCutOffAtTheWriteTimeout() throws Exception {
        Tcp tcp = Tcp.builder(reactor).writeTimeout(Duration.ofMillis(200)).maxQueuedBytes(64L << 20).build();
        Recorder recorder = new Recorder() {
            @Override
            public void postInit(Connection connection) {
                super.postInit(connection);
                connection.sendData(new byte[32 << 20]); // far more than the kernel's buffers take
            }
        };
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> recorder);
             PlainClient client = PlainClient.connect("127.0.0.1", server.port(), 4096)) {
            CloseReason reason = recorder.unbound.get(10, SECONDS);
            assertEquals(CloseReason.Kind.WRITE_TIMEOUT, reason.kind(), "unbound with " + reason);
            assertTrue(reason.cause().isPresent(), "the cause says how long the peer took nothing");
        }
    }

    @Test
    void aSlowButSteadyReaderIsNotCutOff() throws Exception {
        Tcp tcp = Tcp.builder(reactor).writeTimeout(Duration.ofSeconds(2)).build();
        byte[] payload = new byte[1 << 20];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i % 251);
        }
        Recorder recorder = new Recorder() {
            @Override
            public void postInit(Connection connection) {
                super.postInit(connection);
                connection.sendWithoutCopy(ByteBuffer.wrap(payload));
                connection.closeAfterWriting();
            }
        };
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> recorder);
             PlainClient client = PlainClient.connect("127.0.0.1", server.port(), 4096)) {
            // Reads in small pieces: every write moves bytes, so the timeout never passes.
            byte[] read = client.readToEnd();
            assertArrayEquals(payload, read);
            assertEquals(CloseReason.Kind.CLOSED, recorder.awaitUnbind().kind());
        }
    }

    @RepeatedTest(3)
    void aLingeringCloseLetsAPeerThatStillSendsReadTheAnswerThenEndsWithThePeer() throws Exception {
        Tcp tcp = Tcp.builder(reactor).closeLinger(Duration.ofSeconds(30)).build();
        CompletableFuture<Connection> answered = new CompletableFuture<>();
        Recorder recorder = new Recorder() {
            @Override
            public void receiveData(Connection connection, ByteBuffer data) {
                super.receiveData(connection, data);
                if (!answered.isDone()) {
                    connection.sendData("bye".getBytes(US_ASCII)); // answers the first bytes, and closes
                    connection.closeAfterWriting();
                    answered.complete(connection);
                }
            }
        };
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> recorder);
             PlainClient client = PlainClient.connect("127.0.0.1", server.port())) {
            OutputStream out = client.socket.getOutputStream();
            out.write("hello".getBytes(US_ASCII));
            out.flush();
            answered.get(5, SECONDS);
            // The peer keeps sending after the server's close: without the linger, closing with these
            // bytes unread would answer with a reset that can destroy "bye" before it is read.
            for (int i = 0; i < 20; i++) {
                out.write(new byte[4096]);
            }
            out.flush();
            assertArrayEquals("bye".getBytes(US_ASCII), client.readToEnd(), "the answer, then the end of the stream");
            assertFalse(recorder.unbound.isDone(), "still lingering while the peer has not ended");
            client.socket.shutdownOutput();
            assertEquals(CloseReason.Kind.CLOSED, recorder.unbound.get(10, SECONDS).kind(),
                    "the peer's end ends the linger long before its 30 s");
        }
    }
}
