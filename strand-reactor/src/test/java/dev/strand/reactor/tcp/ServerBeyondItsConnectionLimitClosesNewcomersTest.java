package dev.strand.reactor.tcp;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.reactor.Reactor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/** {@link Tcp.Builder#maxConnections}: a newcomer beyond the limit is closed at once; a closed connection frees its place. */
class ServerBeyondItsConnectionLimitClosesNewcomersTest {

    private Reactor reactor;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(2).name("limit").build();
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    private static int readFirst(Recorder recorder) {
        try {
            return recorder.awaitBytes(1)[0];
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @RepeatedTest(3)
    void theThirdOfTwoIsClosedAndGetsInOnceOneLeaves() throws Exception {
        List<Recorder> handlers = new CopyOnWriteArrayList<>();
        Tcp tcp = Tcp.builder(reactor).maxConnections(2).build();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> {
                 Recorder recorder = new Recorder() {
                     @Override
                     public void receiveData(Connection connection, java.nio.ByteBuffer data) {
                         connection.sendData(data.duplicate());
                         super.receiveData(connection, data);
                     }
                 };
                 handlers.add(recorder);
                 return recorder;
             });
             PlainClient first = PlainClient.connect("127.0.0.1", server.port());
             PlainClient second = PlainClient.connect("127.0.0.1", server.port())) {
            first.write(new byte[] {1});
            assertEquals(1, first.readOne());
            second.write(new byte[] {2});
            assertEquals(2, second.readOne());
            try (PlainClient third = PlainClient.connect("127.0.0.1", server.port())) {
                assertEquals(-1, third.readOne(), "the newcomer beyond the limit is closed");
            }
            assertEquals(2, handlers.size(), "no handler is made for a refused newcomer");

            first.close();
            Recorder firsts = handlers.stream().filter(h -> h.receivedSize() == 1 && readFirst(h) == 1).findFirst().orElseThrow();
            assertEquals(CloseReason.Kind.PEER_CLOSED, firsts.unbound.get(5, SECONDS).kind());
            try (PlainClient fourth = PlainClient.connect("127.0.0.1", server.port())) {
                fourth.write(new byte[] {4});
                assertEquals(4, fourth.readOne(), "a closed connection frees its place");
            }
        }
    }
}
