package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deferred;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import dev.strand.reactor.Simulation;
import dev.strand.reactor.spi.MemoryPipe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@link MemoryPipe}: two connections back to back, the whole conversation in memory — across two
 * loops of a real reactor, and deterministically in a simulation; a writer is held to the pipe's
 * capacity and nothing is lost or reordered; each end's close and half-close reach the other.
 */
class MemoryPipeJoinsTwoConnectionsTest {

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    @Test
    void aMegabyteCrossesA16BytePipeBetweenTwoLoopsWholeAndInOrder() throws Exception {
        byte[] sent = randomBytes(1 << 20);
        try (Reactor reactor = Reactor.builder().loops(2).name("pipe").build()) {
            EventLoop serverLoop = reactor.loops().get(0);
            EventLoop clientLoop = reactor.loops().get(1);
            Tcp tcp = Tcp.create(reactor);
            MemoryPipe pipe = MemoryPipe.create(16, "tiny");
            CompletableFuture<Connection> server = new CompletableFuture<>();
            // The server echoes each piece back as it comes.
            serverLoop.execute(() -> server.complete(tcp.attach(serverLoop, pipe.serverSide(), Optional.empty(), new ConnectionHandler() {
                @Override
                public void receiveData(Connection connection, ByteBuffer data) {
                    connection.sendData(data);
                }
            })));
            server.get(5, SECONDS);
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            clientLoop.execute(() -> {
                Connection client = tcp.attach(clientLoop, pipe.clientSide(), Optional.empty(), (c, data) -> { });
                BlockingConnection blocking = client.blocking();
                clientLoop.startFiber(() -> {
                    try {
                        Thread writer = clientLoop.startFiber(() -> {
                            try {
                                blocking.output().write(sent);
                                blocking.output().flush();
                            } catch (IOException e) {
                                echoed.completeExceptionally(e);
                            }
                        });
                        byte[] received = blocking.input().readNBytes(sent.length);
                        writer.join();
                        client.close();
                        echoed.complete(received);
                    } catch (Throwable t) {
                        echoed.completeExceptionally(t);
                    }
                });
            });
            assertArrayEquals(sent, echoed.get(30, SECONDS));
            assertEquals("tiny-server", server.get().localAddress().orElseThrow().getHostString());
            assertEquals("tiny-client", server.get().remoteAddress().orElseThrow().getHostString());
        }
    }

    @Test
    void inASimulationTheSameConversationIsDeterministic() {
        byte[] sent = randomBytes(100_000);
        long[] hashes = new long[2];
        for (int run = 0; run < 2; run++) {
            try (Simulation sim = Simulation.create(5)) {
                byte[] echoed = sim.run(() -> {
                    Tcp tcp = Tcp.create(sim.reactor());
                    MemoryPipe pipe = MemoryPipe.create(1000, "sim");
                    tcp.attach(sim.loop(), pipe.serverSide(), Optional.empty(), (connection, data) -> connection.sendData(data));
                    Connection client = tcp.attach(sim.loop(), pipe.clientSide(), Optional.empty(), (c, data) -> { });
                    BlockingConnection blocking = client.blocking();
                    Deferred<Void> written = Deferred.create(sim.loop());
                    sim.loop().startFiber(() -> {
                        try {
                            blocking.output().write(sent);
                            written.succeed(null);
                        } catch (IOException e) {
                            written.fail(e);
                        }
                    });
                    byte[] received = blocking.input().readNBytes(sent.length);
                    written.await();
                    return received;
                });
                assertArrayEquals(sent, echoed);
                hashes[run] = sim.trace().hash();
            }
        }
        assertEquals(hashes[0], hashes[1]);
    }

    @Test
    void aClosedEndFailsThePeersWritesAndEndsItsReads() {
        try (Simulation sim = Simulation.create(6)) {
            String outcome = sim.run(() -> {
                Tcp tcp = Tcp.create(sim.reactor());
                MemoryPipe pipe = MemoryPipe.create();
                Deferred<CloseReason> serverUnbound = Deferred.create(sim.loop());
                Connection server = tcp.attach(sim.loop(), pipe.serverSide(), Optional.empty(), new ConnectionHandler() {
                    @Override
                    public void receiveData(Connection connection, ByteBuffer data) {
                        connection.sendData("bye".getBytes(US_ASCII));
                        connection.closeAfterWriting();
                    }

                    @Override
                    public void unbind(Connection connection, CloseReason reason) {
                        serverUnbound.succeed(reason);
                    }
                });
                Connection client = tcp.attach(sim.loop(), pipe.clientSide(), Optional.empty(), (c, data) -> { });
                BlockingConnection blocking = client.blocking();
                blocking.output().write("hello".getBytes(US_ASCII));
                String answer = new String(readAll(blocking.input()), US_ASCII); // "bye", then the server's end
                assertEquals(CloseReason.Kind.CLOSED, serverUnbound.await().kind());
                assertTrue(!server.isOpen());
                // The server's end is closed: a raw write to it from the client's end fails, as after a reset.
                IOException refused = assertThrows(IOException.class,
                        () -> pipe.clientSide().write(ByteBuffer.wrap(new byte[] {1})));
                return answer + "|" + refused.getMessage();
            });
            assertEquals("bye|the other end of the pipe closed", outcome);
        }
    }
}
