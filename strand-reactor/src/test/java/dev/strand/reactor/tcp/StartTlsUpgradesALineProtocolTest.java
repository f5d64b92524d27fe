package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Reactor;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * STARTTLS: a line protocol talks in plaintext, both sides upgrade in the middle with
 * {@link Connection#startTls}, and the rest of the conversation is encrypted.
 */
class StartTlsUpgradesALineProtocolTest {

    private Reactor reactor;
    private Tcp tcp;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(2).name("starttls").build();
        tcp = Tcp.create(reactor);
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    /** Answers each line: "STARTTLS" with "GO" then upgrades; anything else with "echo:" and whether it was encrypted. */
    private static final class LineServer implements ConnectionHandler {
        private final StringBuilder line = new StringBuilder();
        final CompletableFuture<Boolean> handshaken = new CompletableFuture<>();

        @Override
        public void receiveData(Connection connection, ByteBuffer data) {
            while (data.hasRemaining()) {
                char c = (char) data.get();
                if (c != '\n') {
                    line.append(c);
                    continue;
                }
                String command = line.toString();
                line.setLength(0);
                if (command.equals("STARTTLS")) {
                    connection.sendData("GO\n".getBytes(US_ASCII)); // queued before: written in plaintext
                    connection.startTls(TestTls.server().build());
                    return; // what follows the command in this read came in plaintext: dropped
                }
                String secure = connection.tlsSession().isPresent() ? "tls" : "plain";
                connection.sendData(("echo:" + command + ":" + secure + "\n").getBytes(US_ASCII));
            }
        }

        @Override
        public void handshakeCompleted(Connection connection) {
            handshaken.complete(true);
        }
    }

    @RepeatedTest(3)
    void bothSidesUpgradeInTheMiddleAndTheRestIsEncrypted() throws Exception {
        LineServer serverSide = new LineServer();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> serverSide)) {
            StringBuilder seen = new StringBuilder();
            CompletableFuture<String> firstEcho = new CompletableFuture<>();
            CompletableFuture<String> secureEcho = new CompletableFuture<>();
            Recorder client = new Recorder() {
                @Override
                public void receiveData(Connection connection, ByteBuffer data) {
                    super.receiveData(connection, data.duplicate());
                    seen.append(US_ASCII.decode(data));
                    String text = seen.toString();
                    if (!firstEcho.isDone() && text.contains("echo:hello:plain\n")) {
                        firstEcho.complete(text);
                        connection.sendData("STARTTLS\n".getBytes(US_ASCII));
                    }
                    if (text.endsWith("GO\n") && connection.tlsSession().isEmpty()) {
                        connection.startTls(TestTls.client().build());
                        connection.sendData("secret\n".getBytes(US_ASCII)); // encrypted once the handshake is done
                    }
                    if (text.contains("echo:secret:tls\n")) {
                        secureEcho.complete(text);
                    }
                }
            };
            Connection connection = tcp.connect("127.0.0.1", server.port(), client);
            connection.sendData("hello\n".getBytes(US_ASCII));
            assertEquals("echo:hello:plain\n", firstEcho.get(5, SECONDS));
            assertEquals("echo:hello:plain\nGO\necho:secret:tls\n", secureEcho.get(5, SECONDS));
            assertTrue(serverSide.handshaken.get(5, SECONDS));
            client.handshaken.get(5, SECONDS);
            assertEquals("TLSv1.3", connection.tlsSession().orElseThrow().getProtocol());
            connection.closeAfterWriting();
            assertEquals(CloseReason.Kind.CLOSED, client.awaitUnbind().kind());
            assertEquals(java.util.List.of(), client.offLoop);
        }
    }

    @Test
    void startTlsOffTheLoopOrTwiceIsRefused() throws Exception {
        CompletableFuture<Throwable> twice = new CompletableFuture<>();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, TestTls.server().build(), () -> new ConnectionHandler() {
            @Override
            public void postInit(Connection connection) {
                try {
                    connection.startTls(TestTls.server().build());
                    twice.complete(null);
                } catch (IllegalStateException e) {
                    twice.complete(e);
                }
            }

            @Override
            public void receiveData(Connection connection, ByteBuffer data) {
            }
        })) {
            Recorder client = new Recorder();
            Connection connection = tcp.connect("127.0.0.1", server.port(), TestTls.client().build(), client);
            assertTrue(twice.get(5, SECONDS) instanceof IllegalStateException, "a TLS connection cannot start TLS again");
            assertThrows(IllegalStateException.class, () -> connection.startTls(TestTls.client().build()));
            connection.close();
        }
    }
}
