package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Reactor;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Every connection's end is one {@code unbind}, with the reason: peer, us, timeouts, refusals, the reactor's stop. */
class UnbindSaysWhyTheConnectionEndedTest {

    private Reactor reactor;
    private final CountDownLatch releaseResolver = new CountDownLatch(1);

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(2).name("unbind").build();
    }

    @AfterEach
    void stop() {
        releaseResolver.countDown();
        reactor.close();
    }

    /** A server whose connections are recorded, the first one in {@code first}. */
    private TcpServer recordingServer(Tcp tcp, CompletableFuture<Recorder> first) {
        return tcp.startServer("127.0.0.1", 0, () -> {
            Recorder recorder = new Recorder();
            first.complete(recorder);
            return recorder;
        });
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    @RepeatedTest(3)
    void thePeerClosingIsPeerClosedOnce() throws Exception {
        CompletableFuture<Recorder> accepted = new CompletableFuture<>();
        try (TcpServer server = recordingServer(Tcp.create(reactor), accepted)) {
            try (PlainClient client = PlainClient.connect("127.0.0.1", server.port())) {
                client.write("bye".getBytes(US_ASCII));
                accepted.get(5, SECONDS).awaitBytes(3);
            }
            Recorder recorder = accepted.get(5, SECONDS);
            assertEquals(CloseReason.of(CloseReason.Kind.PEER_CLOSED), recorder.awaitUnbind());
            assertEquals(1, recorder.unbinds.get());
            assertFalse(recorder.initialised.get().isOpen());
            assertEquals(List.of(), recorder.offLoop);
        }
    }

    @Test
    void closingItOurselvesIsClosedAndThePeerSeesTheEnd() throws Exception {
        CompletableFuture<Recorder> accepted = new CompletableFuture<>();
        try (TcpServer server = recordingServer(Tcp.create(reactor), accepted);
             PlainClient client = PlainClient.connect("127.0.0.1", server.port())) {
            Connection connection = accepted.get(5, SECONDS).initialised.get(5, SECONDS);
            connection.close();
            connection.close(); // idempotent
            assertEquals(CloseReason.of(CloseReason.Kind.CLOSED), accepted.get().awaitUnbind());
            assertEquals(-1, client.readOne());
            assertTrue(connection.sendData(new byte[] {1}), "a send after the close says stop");
            assertEquals(0, connection.queuedBytes());
            assertEquals(1, accepted.get().unbinds.get());
        }
    }

    @Test
    void anIdleConnectionTimesOutNotBeforeItsTimeoutCountedFromTheLastRead() throws Exception {
        Duration timeout = Duration.ofMillis(400);
        CompletableFuture<Recorder> accepted = new CompletableFuture<>();
        try (TcpServer server = recordingServer(Tcp.builder(reactor).inactivityTimeout(timeout).build(), accepted);
             PlainClient client = PlainClient.connect("127.0.0.1", server.port())) {
            Recorder recorder = accepted.get(5, SECONDS);
            Connection connection = recorder.initialised.get(5, SECONDS);
            // A quarter of the way in (a loop timer, not a sleep), one byte: the timeout restarts from it.
            CountDownLatch quarter = new CountDownLatch(1);
            connection.loop().addTimer(timeout.dividedBy(4), quarter::countDown);
            assertTrue(quarter.await(5, SECONDS));
            long sentAt = System.nanoTime();
            client.write("x".getBytes(US_ASCII));
            recorder.awaitBytes(1);
            assertEquals(CloseReason.of(CloseReason.Kind.INACTIVITY_TIMEOUT), recorder.awaitUnbind());
            assertTrue(recorder.unboundAt - sentAt >= timeout.toNanos(), "the read did not push the deadline back");
            assertEquals(-1, client.readOne());
        }
    }

    @Test
    void aRefusedConnectIsConnectFailedWithTheRefusalAsCause() throws Exception {
        Recorder client = new Recorder();
        Tcp.create(reactor).connect("127.0.0.1", freePort(), client);
        CloseReason reason = client.awaitUnbind();
        assertEquals(CloseReason.Kind.CONNECT_FAILED, reason.kind());
        assertInstanceOf(ConnectException.class, reason.cause().orElseThrow());
        assertTrue(client.initialised.isDone(), "postInit runs before the connect");
        assertFalse(client.completed.isDone(), "never completed");
        assertEquals(1, client.unbinds.get());
    }

    @Test
    void aNameThatDoesNotResolveIsConnectFailed() throws Exception {
        Recorder client = new Recorder();
        Tcp.builder(reactor).resolver(host -> {
            throw new UnknownHostException(host);
        }).build().connect("nowhere.invalid", 80, client);
        CloseReason reason = client.awaitUnbind();
        assertEquals(CloseReason.Kind.CONNECT_FAILED, reason.kind());
        assertInstanceOf(UnknownHostException.class, reason.cause().orElseThrow());
    }

    @Test
    void theAddressesOfANameAreTriedOneByOne() throws Exception {
        CompletableFuture<Recorder> accepted = new CompletableFuture<>();
        try (TcpServer server = recordingServer(Tcp.create(reactor), accepted)) {
            // 127.0.0.2 is loopback too, but nothing listens there: refused, then the next address.
            Tcp tcp = Tcp.builder(reactor).resolver(host -> List.of(
                    InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1"))).build();
            Recorder client = new Recorder();
            Connection connection = tcp.connect("two.test", server.port(), client);
            client.completed.get(5, SECONDS);
            assertEquals(new InetSocketAddress("127.0.0.1", server.port()), connection.remoteAddress().orElseThrow());
            connection.close();
            assertEquals(CloseReason.Kind.CLOSED, client.awaitUnbind().kind());
        }
    }

    @Test
    void whenEveryAddressRefusesTheLastFailureIsTheCauseWithTheEarlierSuppressed() throws Exception {
        int port = freePort();
        Tcp tcp = Tcp.builder(reactor).resolver(host -> List.of(
                InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1"))).build();
        Recorder client = new Recorder();
        tcp.connect("two.test", port, client);
        CloseReason reason = client.awaitUnbind();
        assertEquals(CloseReason.Kind.CONNECT_FAILED, reason.kind());
        Throwable last = reason.cause().orElseThrow();
        assertTrue(last.getMessage().contains("127.0.0.1"), last.getMessage());
        assertEquals(1, last.getSuppressed().length);
        assertTrue(last.getSuppressed()[0].getMessage().contains("127.0.0.2"), last.getSuppressed()[0].getMessage());
    }

    @Test
    void aConnectStillPendingAtItsTimeoutIsConnectTimeout() throws Exception {
        // Deterministic offline: the name's resolution never ends, so the connect stays pending.
        Duration timeout = Duration.ofMillis(150);
        Tcp tcp = Tcp.builder(reactor).connectTimeout(timeout).resolver(host -> {
            try {
                releaseResolver.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host + " (released by the test's end)");
        }).build();
        Recorder client = new Recorder();
        Connection connection = tcp.connect("blackhole.test", 80, client);
        CloseReason reason = client.awaitUnbind();
        assertEquals(CloseReason.Kind.CONNECT_TIMEOUT, reason.kind());
        assertInstanceOf(SocketTimeoutException.class, reason.cause().orElseThrow());
        assertTrue(client.unboundAt - client.initialisedAt >= timeout.toNanos(), "timed out early");
        assertFalse(connection.isOpen());
        releaseResolver.countDown(); // a late answer must not unbind twice
        assertEquals(1, client.unbinds.get());
    }

    @Test
    void aConnectToAListenerWithAFullBacklogTimesOut() throws Exception {
        // Linux drops SYNs while a listener's accept queue is full: a real pending connect, offline.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> fillers = new ArrayList<>();
            boolean pending = false;
            try {
                for (int i = 0; i < 16 && !pending; i++) {
                    Socket probe = new Socket();
                    try {
                        probe.connect(full.getLocalSocketAddress(), 300);
                        fillers.add(probe);
                    } catch (SocketTimeoutException e) {
                        probe.close();
                        pending = true;
                    }
                }
                Assumptions.assumeTrue(pending,
                        "this kernel completed every handshake to a full backlog: no pending connect to time out");
                Recorder client = new Recorder();
                Tcp.builder(reactor).connectTimeout(Duration.ofMillis(300)).build()
                        .connect("127.0.0.1", full.getLocalPort(), client);
                CloseReason reason = client.awaitUnbind();
                assertEquals(CloseReason.Kind.CONNECT_TIMEOUT, reason.kind());
                assertTrue(reason.cause().orElseThrow().getMessage().contains(String.valueOf(full.getLocalPort())));
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void stoppingTheReactorUnbindsItsConnectionsWithStopped() throws Exception {
        CompletableFuture<Recorder> accepted = new CompletableFuture<>();
        Tcp tcp = Tcp.create(reactor);
        TcpServer server = recordingServer(tcp, accepted);
        try (PlainClient client = PlainClient.connect("127.0.0.1", server.port())) {
            accepted.get(5, SECONDS).initialised.get(5, SECONDS);
            assertTrue(reactor.stop(Duration.ofSeconds(5)));
            assertEquals(CloseReason.of(CloseReason.Kind.STOPPED), accepted.get().awaitUnbind());
            assertFalse(server.isOpen());
            assertEquals(-1, client.readOne());
        }
    }
}
