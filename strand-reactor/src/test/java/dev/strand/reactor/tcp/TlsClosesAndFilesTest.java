package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Reactor;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ends over TLS: closeAfterWriting sends a close_notify after the data; a peer's close_notify is
 * PEER_CLOSED without a cause, a cut without one says so. And files sent over TLS arrive intact,
 * in order with the data around them.
 */
class TlsClosesAndFilesTest {

    private Reactor reactor;
    private Tcp tcp;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(1).name("tls-close").build();
        tcp = Tcp.create(reactor);
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    @Test
    void closeAfterWritingSendsTheDataThenACloseNotifyWhichThePeerSeesAsAnOrderlyEnd() throws Exception {
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, TestTls.server().build(), () -> new ConnectionHandler() {
            @Override
            public void handshakeCompleted(Connection connection) {
                connection.sendData("bye".getBytes(US_ASCII));
                connection.closeAfterWriting();
            }

            @Override
            public void receiveData(Connection connection, ByteBuffer data) {
            }
        })) {
            Recorder client = new Recorder();
            tcp.connect("127.0.0.1", server.port(), TestTls.client().build(), client);
            assertEquals("bye", new String(client.awaitBytes(3), US_ASCII));
            CloseReason reason = client.awaitUnbind();
            assertEquals(CloseReason.Kind.PEER_CLOSED, reason.kind());
            assertTrue(reason.cause().isEmpty(), "a close_notify, not a cut: " + reason);
        }
    }

    @Test
    void aJdkClientsCloseIsPeerClosedAndACutWithoutCloseNotifySaysSo() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<CloseReason> reasons = new java.util.concurrent.LinkedBlockingQueue<>();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, TestTls.server().build(), () -> new ConnectionHandler() {
            @Override
            public void receiveData(Connection connection, ByteBuffer data) {
                connection.sendData(data);
            }

            @Override
            public void unbind(Connection connection, CloseReason reason) {
                reasons.add(reason);
            }
        })) {
            try (SSLSocket orderly = TestTls.jdkClient(server.port())) {
                orderly.getOutputStream().write('x');
                assertEquals('x', orderly.getInputStream().read());
            } // close() sends a close_notify
            CloseReason first = reasons.poll(5, SECONDS);
            assertEquals(CloseReason.Kind.PEER_CLOSED, first.kind());
            assertTrue(first.cause().isEmpty(), "an orderly end: " + first);

            Socket plain = new Socket();
            plain.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            SSLSocket cut = (SSLSocket) TestTls.jdkContext().getSocketFactory().createSocket(plain, "127.0.0.1", server.port(), false);
            cut.setSoTimeout(5_000);
            cut.getOutputStream().write('y');
            assertEquals('y', cut.getInputStream().read());
            plain.close(); // TCP ends with no close_notify: as an attacker truncating the stream would
            CloseReason second = reasons.poll(5, SECONDS);
            assertEquals(CloseReason.Kind.PEER_CLOSED, second.kind());
            assertInstanceOf(SSLException.class, second.cause().orElseThrow(), "the cut is told apart");
        }
    }

    @Test
    void aFileSentOverTlsArrivesIntactBetweenTheDataAroundIt(@TempDir Path dir) throws Exception {
        byte[] content = new byte[1_000_003];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("payload.bin"), content);
        CompletableFuture<Long> sent = new CompletableFuture<>();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, TestTls.server().build(), () -> new ConnectionHandler() {
            @Override
            public void postInit(Connection connection) {
                // Queued before the handshake: encrypted once it is done, in this order.
                connection.sendData("<".getBytes(US_ASCII));
                connection.sendFile(file).whenComplete((n, failure) -> {
                    if (failure != null) {
                        sent.completeExceptionally(failure);
                    } else {
                        sent.complete(n);
                    }
                });
                connection.sendData(">".getBytes(US_ASCII));
                connection.closeAfterWriting();
            }

            @Override
            public void receiveData(Connection connection, ByteBuffer data) {
            }
        });
             SSLSocket client = TestTls.jdkClient(server.port())) {
            InputStream in = client.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all); // until the close_notify
            byte[] received = all.toByteArray();
            assertEquals(content.length + 2, received.length);
            assertEquals('<', received[0]);
            assertEquals('>', received[received.length - 1]);
            assertArrayEquals(content, java.util.Arrays.copyOfRange(received, 1, received.length - 1));
            assertEquals(content.length, sent.get(5, SECONDS));
        }
    }
}
