package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Reactor;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A TLS echo: plaintext in, plaintext out, encrypted between; with TLS 1.3 by default and 1.2 when
 * forced, ALPN agreed, and against the JDK's own TLS sockets on either side.
 */
class TlsEchoRoundTripsTest {

    private Reactor reactor;
    private Tcp tcp;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(2).name("tls-echo").build();
        tcp = Tcp.create(reactor);
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    private TcpServer echo(TlsOptions options) {
        return tcp.startServer("127.0.0.1", 0, options, () -> (connection, data) -> connection.sendData(data));
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    @RepeatedTest(3)
    void aToolkitClientRoundTripsThroughAToolkitServerOverTls13AndCompletesAfterTheHandshake() throws Exception {
        try (TcpServer server = echo(TestTls.server().build())) {
            Recorder client = new Recorder();
            Connection connection = tcp.connect("127.0.0.1", server.port(), TestTls.client().build(), client);
            connection.sendData("sent before the handshake, ".getBytes(US_ASCII));
            client.handshaken.get(5, SECONDS);
            assertEquals(List.of("postInit", "connectionCompleted", "handshakeCompleted"), client.events);
            assertEquals("TLSv1.3", connection.tlsSession().orElseThrow().getProtocol());
            byte[] big = random(300_000); // many records, more than the watermarks
            connection.sendData(big);
            byte[] back = client.awaitBytes(27 + big.length);
            assertEquals("sent before the handshake, ", new String(back, 0, 27, US_ASCII));
            assertArrayEquals(big, java.util.Arrays.copyOfRange(back, 27, back.length));
            connection.close();
            assertEquals(CloseReason.Kind.CLOSED, client.awaitUnbind().kind());
            assertEquals(List.of(), client.offLoop);
        }
    }

    @Test
    void tls12IsSpokenWhenForcedOnTheServer() throws Exception {
        try (TcpServer server = echo(TestTls.server().protocols("TLSv1.2").build())) {
            Recorder client = new Recorder();
            Connection connection = tcp.connect("127.0.0.1", server.port(), TestTls.client().build(), client);
            connection.sendData("twelve".getBytes(US_ASCII));
            assertEquals("twelve", new String(client.awaitBytes(6), US_ASCII));
            assertEquals("TLSv1.2", connection.tlsSession().orElseThrow().getProtocol());
            connection.close();
        }
    }

    @Test
    void alpnAgreesOnTheServersPreferenceAmongTheClientsOffers() throws Exception {
        CompletableFuture<Optional<String>> serverSaw = new CompletableFuture<>();
        TlsOptions serverTls = TestTls.server().applicationProtocols("h2", "http/1.1").build();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, serverTls, () -> new ConnectionHandler() {
            @Override
            public void handshakeCompleted(Connection connection) {
                serverSaw.complete(connection.applicationProtocol());
            }

            @Override
            public void receiveData(Connection connection, java.nio.ByteBuffer data) {
            }
        })) {
            Recorder client = new Recorder();
            Connection connection = tcp.connect("127.0.0.1", server.port(),
                    TestTls.client().applicationProtocols("http/1.1").build(), client);
            client.handshaken.get(5, SECONDS);
            assertEquals(Optional.of("http/1.1"), connection.applicationProtocol());
            assertEquals(Optional.of("http/1.1"), serverSaw.get(5, SECONDS));
            connection.close();
        }
    }

    @Test
    void aJdkSslSocketOnAPlatformThreadTalksToTheToolkitServer() throws Exception {
        Recorder serverSide = new Recorder() {
            @Override
            public void receiveData(Connection connection, java.nio.ByteBuffer data) {
                connection.sendData(data);
            }
        };
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, TestTls.server().build(), () -> serverSide)) {
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                try (SSLSocket socket = TestTls.jdkClient(server.port(), protocol)) {
                    byte[] message = random(100_000);
                    Thread writer = Thread.ofPlatform().start(() -> {
                        try {
                            socket.getOutputStream().write(message);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    assertArrayEquals(message, socket.getInputStream().readNBytes(message.length));
                    writer.join(5_000);
                    assertEquals(protocol, socket.getSession().getProtocol());
                }
            }
        }
    }

    @Test
    void theToolkitClientTalksToAJdkSslServerSocketAndVerifiesItsHostName() throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) TestTls.jdkContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread serverThread = Thread.ofPlatform().start(() -> {
                try (SSLSocket peer = (SSLSocket) listener.accept()) {
                    peer.setSoTimeout(5_000);
                    InputStream in = peer.getInputStream();
                    OutputStream out = peer.getOutputStream();
                    byte[] line = in.readNBytes(5);
                    out.write(("jdk:" + new String(line, US_ASCII)).getBytes(US_ASCII));
                    out.flush();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Recorder client = new Recorder();
            // "localhost" is in the certificate: the name is what is verified, whatever address it resolves to.
            Connection connection = tcp.connect("127.0.0.1", listener.getLocalPort(),
                    TestTls.client().peerHost("localhost").build(), client);
            connection.sendData("hello".getBytes(US_ASCII));
            assertEquals("jdk:hello", new String(client.awaitBytes(9), US_ASCII));
            // The JDK server closes its socket (with a close_notify) when its thread ends.
            CloseReason reason = client.awaitUnbind();
            assertEquals(CloseReason.Kind.PEER_CLOSED, reason.kind());
            assertTrue(reason.cause().isEmpty(), "a close_notify came first: " + reason);
            serverThread.join(5_000);
        }
    }
}
