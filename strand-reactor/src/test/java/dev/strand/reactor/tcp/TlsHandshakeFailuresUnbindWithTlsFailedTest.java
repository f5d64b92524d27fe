package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Reactor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A handshake that fails ends the connection with {@link CloseReason.Kind#TLS_FAILED} and the
 * {@link SSLException} as its cause, on the side that failed it; nothing hangs, and a server goes
 * on serving others.
 */
class TlsHandshakeFailuresUnbindWithTlsFailedTest {

    private Reactor reactor;
    private Tcp tcp;
    private final LinkedBlockingQueue<CloseReason> serverUnbinds = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(1).name("tls-fail").build();
        tcp = Tcp.create(reactor);
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    private TcpServer echo(TlsOptions options) {
        return tcp.startServer("127.0.0.1", 0, options, () -> new ConnectionHandler() {
            @Override
            public void receiveData(Connection connection, java.nio.ByteBuffer data) {
                connection.sendData(data);
            }

            @Override
            public void unbind(Connection connection, CloseReason reason) {
                serverUnbinds.add(reason);
            }
        });
    }

    private static void assertTlsFailed(CloseReason reason, String because) {
        assertEquals(CloseReason.Kind.TLS_FAILED, reason.kind(), because + ": " + reason);
        assertInstanceOf(SSLException.class, reason.cause().orElseThrow(), because);
    }

    @Test
    void aClientRejectsACertificateItDoesNotTrust() throws Exception {
        try (TcpServer server = echo(TestTls.server().build())) {
            Recorder client = new Recorder();
            // The JDK's default trust store: a self-signed certificate is not in it.
            Connection connection = tcp.connect("127.0.0.1", server.port(), TlsOptions.builder().build(), client);
            connection.sendData("secret".getBytes(US_ASCII));
            assertTlsFailed(client.awaitUnbind(), "an untrusted certificate");
            assertTrue(client.completed.isDone() == false, "connectionCompleted must wait for a good handshake");
            assertEquals(List.of("postInit", "unbind"), client.events);
            assertEquals(0, client.receivedSize());
            assertEquals(CloseReason.Kind.TLS_FAILED, serverUnbinds.poll(5, SECONDS).kind(), "the server hears the alert");
        }
    }

    @Test
    void aClientRejectsATrustedCertificateForAnotherHostName() throws Exception {
        try (TcpServer server = echo(TestTls.server().build())) {
            Recorder client = new Recorder();
            Connection connection = tcp.connect("127.0.0.1", server.port(),
                    TestTls.client().peerHost("elsewhere.example").build(), client);
            CloseReason reason = client.awaitUnbind();
            assertTlsFailed(reason, "a wrong host name");
            assertTrue(connection.tlsSession().isEmpty());
        }
    }

    @Test
    void insecureTrustAllAcceptsAnyCertificateAndName() throws Exception {
        try (TcpServer server = echo(TestTls.server().build())) {
            Recorder client = new Recorder();
            Connection connection = tcp.connect("127.0.0.1", server.port(),
                    TlsOptions.builder().insecureTrustAll().peerHost("elsewhere.example").build(), client);
            connection.sendData("ok".getBytes(US_ASCII));
            assertEquals("ok", new String(client.awaitBytes(2), US_ASCII));
            connection.close();
        }
    }

    @RepeatedTest(3)
    void aPlaintextClientIsClosedByTheServerWhichGoesOnServingOthers() throws Exception {
        try (TcpServer server = echo(TestTls.server().build());
             PlainClient plain = PlainClient.connect("127.0.0.1", server.port())) {
            plain.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
            // The server answers with an alert at most, then ends the stream: the read ends, within its 5 s timeout.
            byte[] answer = plain.readToEnd();
            assertTrue(answer.length < 100, "the server sent " + answer.length + " bytes to a plaintext client");
            assertTlsFailed(serverUnbinds.poll(5, SECONDS), "a client that does not speak TLS");

            Recorder client = new Recorder();
            Connection connection = tcp.connect("127.0.0.1", server.port(), TestTls.client().build(), client);
            connection.sendData("still here".getBytes(US_ASCII));
            assertEquals("still here", new String(client.awaitBytes(10), US_ASCII));
            connection.close();
        }
    }

    @Test
    void aSilentPeerIsCutOffAtTheHandshakeTimeout() throws Exception {
        Duration limit = Duration.ofMillis(300);
        try (TcpServer server = echo(TestTls.server().handshakeTimeout(limit).build());
             PlainClient silent = PlainClient.connect("127.0.0.1", server.port())) {
            long start = System.nanoTime();
            byte[] alert = silent.readToEnd(); // an alert record at most, then the end (within the 5 s read timeout)
            assertTrue(alert.length < 100, "the server sent " + alert.length + " bytes to a silent peer");
            CloseReason reason = serverUnbinds.poll(5, SECONDS);
            assertTrue(System.nanoTime() - start >= limit.toNanos() - 5_000_000, "not before the limit");
            assertTlsFailed(reason, "no handshake");
            assertInstanceOf(SSLHandshakeException.class, reason.cause().orElseThrow());
        }
    }

    @Test
    void aServerRequiringClientCertificatesRefusesAClientWithout() throws Exception {
        CompletableFuture<CloseReason> serverSide = new CompletableFuture<>();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0,
                TestTls.server().trustStore(TestTls.trustStore()).clientAuth(TlsOptions.ClientAuth.REQUIRED).build(),
                () -> new ConnectionHandler() {
                    @Override
                    public void receiveData(Connection connection, java.nio.ByteBuffer data) {
                        connection.sendData(data);
                    }

                    @Override
                    public void unbind(Connection connection, CloseReason reason) {
                        serverSide.complete(reason);
                    }
                })) {
            Recorder anonymous = new Recorder();
            tcp.connect("127.0.0.1", server.port(), TestTls.client().build(), anonymous).sendData(new byte[] {1});
            assertTlsFailed(serverSide.get(5, SECONDS), "no client certificate");
            assertEquals(0, anonymous.receivedSize());
            anonymous.awaitUnbind();

            Recorder known = new Recorder();
            Connection connection = tcp.connect("127.0.0.1", server.port(),
                    TestTls.client().keyStore(TestTls.keyStore(), TestTls.PASSWORD).build(), known);
            connection.sendData("me".getBytes(US_ASCII));
            assertEquals("me", new String(known.awaitBytes(2), US_ASCII));
            connection.close();
        }
    }

    @Test
    void combiningAContextWithKeyMaterialIsRefused() throws IOException {
        TlsOptions.Builder builder = TlsOptions.builder().context(TestTls.jdkContext()).insecureTrustAll();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, builder::build);
    }
}
