package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * {@link Tcp.Builder#refusal}: a newcomer a server turns away is told why before the close;
 * {@link Tcp.Builder#listenerPerLoop}: every loop listens on the same port (SO_REUSEPORT) and
 * keeps what it accepts, so connections land on every loop with no hand-off between them.
 */
class ListenersPerLoopAndRefusalsTest {

    private Reactor reactor;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(2).name("listeners").build();
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    @RepeatedTest(3)
    void aNewcomerBeyondTheLimitReadsTheRefusalThenTheEnd() throws Exception {
        byte[] refusal = "busy, try later\n".getBytes(US_ASCII);
        Tcp tcp = Tcp.builder(reactor).maxConnections(1).refusal(refusal).build();
        Recorder held = new Recorder();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> held);
             PlainClient first = PlainClient.connect("127.0.0.1", server.port())) {
            held.initialised.get(5, SECONDS);
            try (PlainClient second = PlainClient.connect("127.0.0.1", server.port())) {
                assertArrayEquals(refusal, second.readToEnd(), "the refusal, then the end of the stream");
            }
            assertEquals(1, held.events.stream().filter("postInit"::equals).count(), "no handler for the refused newcomer");
        }
    }

    @Test
    void theRefusalIsCopiedWhenTheBuilderIsGivenIt() throws Exception {
        byte[] refusal = "no\n".getBytes(US_ASCII);
        Tcp.Builder builder = Tcp.builder(reactor).maxConnections(1).refusal(refusal);
        refusal[0] = 'X'; // the caller's array changes after the call
        Tcp tcp = builder.build();
        Recorder held = new Recorder();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> held);
             PlainClient first = PlainClient.connect("127.0.0.1", server.port())) {
            held.initialised.get(5, SECONDS);
            try (PlainClient second = PlainClient.connect("127.0.0.1", server.port())) {
                assertEquals("no\n", new String(second.readToEnd(), US_ASCII));
            }
        }
    }

    @Test
    void everyLoopListensAndKeepsWhatItAccepts() throws Exception {
        Set<EventLoop> loopsThatAccepted = ConcurrentHashMap.newKeySet();
        Tcp tcp = Tcp.builder(reactor).listenerPerLoop(true).build();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> new Recorder() {
                 @Override
                 public void postInit(Connection connection) {
                     super.postInit(connection);
                     loopsThatAccepted.add(connection.loop());
                     connection.sendData(new byte[] {42});
                 }
             })) {
            List<PlainClient> clients = new ArrayList<>();
            try {
                // The kernel hashes each connection to one of the listeners; with 64 both get some
                // unless SO_REUSEPORT is missing (then one listener hands them round-robin: both too).
                for (int i = 0; i < 64 && loopsThatAccepted.size() < 2; i++) {
                    PlainClient client = PlainClient.connect("127.0.0.1", server.port());
                    clients.add(client);
                    assertEquals(42, client.readOne());
                }
            } finally {
                for (PlainClient c : clients) {
                    c.close();
                }
            }
            assertEquals(Set.copyOf(reactor.loops()), loopsThatAccepted, "every loop accepted connections");
        }
    }

    @Test
    void theBuilderRefusesANonPositiveAcceptBatch() {
        assertThrows(IllegalArgumentException.class, () -> Tcp.builder(reactor).acceptBatch(0));
        assertThrows(IllegalArgumentException.class, () -> Tcp.builder(reactor).acceptBatch(-1));
    }
}
