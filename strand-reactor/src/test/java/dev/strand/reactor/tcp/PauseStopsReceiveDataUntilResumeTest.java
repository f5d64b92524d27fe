package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Reactor;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/** {@link Connection#pause()} stops {@code receiveData}, also within the current read; {@link Connection#resume()} delivers what waited. */
class PauseStopsReceiveDataUntilResumeTest {

    private Reactor reactor;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(1).name("pause").build();
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    @RepeatedTest(3)
    void noDataArrivesWhilePausedAndAllArrivesAfterResume() throws Exception {
        AtomicInteger callsWhilePaused = new AtomicInteger();
        CompletableFuture<Recorder> accepted = new CompletableFuture<>();
        Tcp tcp = Tcp.builder(reactor).readBufferSize(16).build(); // many reads per message
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> {
                 Recorder recorder = new Recorder() {
                     @Override
                     public void receiveData(Connection connection, ByteBuffer data) {
                         if (connection.isPaused()) {
                             callsWhilePaused.incrementAndGet();
                         }
                         // Before the piece is recorded: the test resumes once it sees it.
                         connection.pause();
                         super.receiveData(connection, data); // and no further piece may follow
                     }
                 };
                 accepted.complete(recorder);
                 return recorder;
             });
             PlainClient client = PlainClient.connect("127.0.0.1", server.port())) {
            byte[] message = "0123456789abcdefghijklmnopqrstuvwxyz".repeat(100).getBytes(US_ASCII);
            client.write(message);
            Recorder recorder = accepted.get(5, SECONDS);
            Connection connection = recorder.initialised.get(5, SECONDS);
            recorder.awaitBytes(16);
            // A paused connection still gets work from its loop: once a task queued after the
            // bytes has run, a further read would already have happened.
            for (int i = 0; i < 3; i++) {
                CompletableFuture.runAsync(() -> { }, connection.loop()).get(5, SECONDS);
            }
            assertEquals(16, recorder.receivedSize(), "receiveData ran while paused");
            assertTrue(connection.isPaused());

            // Resume piece by piece from another thread: each resume lets exactly one piece in.
            while (recorder.receivedSize() < message.length) {
                int before = recorder.receivedSize();
                connection.resume();
                recorder.awaitBytes(Math.min(message.length, before + 1));
            }
            assertEquals(new String(message, US_ASCII), new String(recorder.awaitBytes(message.length), US_ASCII));
            assertEquals(0, callsWhilePaused.get());
            connection.resume();
            assertFalse(connection.isPaused());
            connection.close();
            assertEquals(CloseReason.Kind.CLOSED, recorder.awaitUnbind().kind());
        }
    }
}
