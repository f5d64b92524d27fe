package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** An echo server: bytes round-trip over IPv4 and IPv6, one connection or many, from JDK sockets and from {@link Tcp#connect}. */
class EchoServerRoundTripsTest {

    private Reactor reactor;
    private Tcp tcp;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(2).name("echo").build();
        tcp = Tcp.create(reactor);
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    private TcpServer echo(String host) {
        return tcp.startServer(host, 0, () -> (connection, data) -> connection.sendData(data));
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    private static void assertEchoes(String host, int port) throws IOException {
        byte[] message = random(200_000); // larger than one read buffer and the watermarks
        try (PlainClient client = PlainClient.connect(host, port)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    client.write(message);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertArrayEquals(message, client.readExactly(message.length));
            writer.interrupt();
        }
    }

    @RepeatedTest(3)
    void bytesComeBackUnchangedOverIpv4() throws Exception {
        try (TcpServer server = echo("127.0.0.1")) {
            assertNotEquals(0, server.port(), "the real port is reported when 0 was asked for");
            assertEquals(InetAddress.getByName("127.0.0.1"), server.localAddress().getAddress());
            assertEchoes("127.0.0.1", server.port());
        }
    }

    @Test
    void bytesComeBackUnchangedOverIpv6() throws Exception {
        Assumptions.assumeTrue(ipv6Loopback(), "IPv6 is not available on this machine: ::1 cannot be bound");
        try (TcpServer server = echo("::1")) {
            assertTrue(server.localAddress().getAddress() instanceof Inet6Address);
            assertEchoes("::1", server.port());
        }
    }

    @Test
    void theWildcardServerTakesIpv4AndIpv6Peers() throws Exception {
        try (TcpServer server = tcp.startServer(0, () -> (connection, data) -> connection.sendData(data))) {
            assertEchoes("127.0.0.1", server.port());
            if (ipv6Loopback()) {
                assertEchoes("::1", server.port());
            }
        }
    }

    @Test
    void anIpv4WildcardServerRefusesIpv6Peers() throws Exception {
        Assumptions.assumeTrue(ipv6Loopback(), "IPv6 is not available on this machine: nothing to refuse");
        try (TcpServer server = echo("0.0.0.0")) {
            assertEchoes("127.0.0.1", server.port());
            assertThrows(ConnectException.class, () -> PlainClient.connect("::1", server.port()).close());
        }
    }

    @Test
    void aClientConnectionOfTcpEchoesThroughTheServerAndCompletesFirst() throws Exception {
        try (TcpServer server = echo("127.0.0.1")) {
            Recorder client = new Recorder();
            Connection connection = tcp.connect("127.0.0.1", server.port(), client);
            // Sent before the connection is established: queued, then written.
            connection.sendData("hello, ".getBytes(US_ASCII));
            assertEquals(connection, client.completed.get(5, SECONDS));
            connection.sendData("echo".getBytes(US_ASCII));
            assertEquals("hello, echo", new String(client.awaitBytes(11), US_ASCII));
            assertEquals(server.port(), connection.remoteAddress().orElseThrow().getPort());
            assertTrue(connection.localAddress().isPresent());
            assertTrue(client.initialisedAt <= System.nanoTime());
            connection.close();
            assertEquals(CloseReason.Kind.CLOSED, client.awaitUnbind().kind());
            assertEquals(List.of(), client.offLoop);
            assertEquals(1, client.unbinds.get());
        }
    }

    @Test
    void manyConnectionsAreServedAndSpreadOverTheLoops() throws Exception {
        int n = 64;
        Set<EventLoop> loops = ConcurrentHashMap.newKeySet();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> new ConnectionHandler() {
            @Override
            public void postInit(Connection connection) {
                loops.add(connection.loop());
            }

            @Override
            public void receiveData(Connection connection, java.nio.ByteBuffer data) {
                connection.sendData(data);
            }
        })) {
            List<Recorder> clients = new CopyOnWriteArrayList<>();
            List<Connection> connections = new CopyOnWriteArrayList<>();
            for (int i = 0; i < n; i++) {
                Recorder client = new Recorder();
                clients.add(client);
                Connection connection = tcp.connect("127.0.0.1", server.port(), client);
                connection.sendData(("message " + i).getBytes(US_ASCII));
                connections.add(connection);
            }
            for (int i = 0; i < n; i++) {
                String expected = "message " + i;
                assertEquals(expected, new String(clients.get(i).awaitBytes(expected.length()), US_ASCII));
            }
            assertEquals(Set.copyOf(reactor.loops()), loops, "accepted connections go to every loop");
            CountDownLatch closed = new CountDownLatch(n);
            clients.forEach(c -> c.unbound.thenRun(closed::countDown));
            connections.forEach(Connection::close);
            assertTrue(closed.await(5, SECONDS));
        }
    }

    @RepeatedTest(5)
    void aClosedServerRefusesNewPeersAndLeavesAcceptedOnesAlone() throws Exception {
        TcpServer server = echo("127.0.0.1");
        try (PlainClient before = PlainClient.connect("127.0.0.1", server.port())) {
            before.write("a".getBytes(US_ASCII));
            assertEquals('a', before.readOne());
            server.close();
            assertFalse(server.isOpen());
            assertThrows(ConnectException.class, () -> PlainClient.connect("127.0.0.1", server.port()).close());
            before.write("b".getBytes(US_ASCII));
            assertEquals('b', before.readOne(), "an accepted connection outlives its server");
        }
    }

    @Test
    void aPortInUseFailsAtOnce() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThrows(java.io.UncheckedIOException.class,
                    () -> tcp.startServer("127.0.0.1", taken.getLocalPort(), () -> (c, d) -> { }));
        }
    }

    static boolean ipv6Loopback() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return probe.getLocalPort() > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
