package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.FiberMode;
import dev.strand.reactor.Reactor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * TLS with the loop kept free: fibers drive TLS connections through the blocking view, and the
 * handshake's slow steps (delegated tasks) run off the loop while it goes on serving others.
 */
class TlsOnFibersAndOffTheLoopTest {

    private Reactor reactor;

    @AfterEach
    void stop() {
        if (reactor != null) {
            reactor.close();
        }
    }

    @Test
    void fibersOnBothSidesReadAndWriteThroughTheBlockingViewOverTls() throws Exception {
        Assumptions.assumeTrue(Reactor.carrierHookAvailable(), "java.lang is not opened in this JVM");
        reactor = Reactor.builder().loops(2).fiberMode(FiberMode.LOOP_CARRIER).name("tls-fibers").build();
        Tcp tcp = Tcp.create(reactor);
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, TestTls.server().build(), () -> new ConnectionHandler() {
            @Override
            public void postInit(Connection connection) {
                BlockingConnection blocking = connection.blocking();
                connection.loop().startFiber(() -> {
                    try (blocking) {
                        blocking.input().transferTo(blocking.output()); // echo until the peer's close_notify
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }

            @Override
            public void receiveData(Connection connection, ByteBuffer data) {
                throw new AssertionError("the fiber reads");
            }
        })) {
            byte[] message = new byte[300_000]; // more than the watermarks: the writer parks on the way
            new Random(3).nextBytes(message);
            Recorder client = new Recorder();
            Connection connection = tcp.connect("127.0.0.1", server.port(), TestTls.client().build(), client);
            BlockingConnection blocking = connection.blocking();
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            connection.loop().startFiber(() -> {
                try {
                    Thread writer = connection.loop().startFiber(() -> {
                        try {
                            blocking.output().write(message);
                        } catch (IOException e) {
                            echoed.completeExceptionally(e);
                        }
                    });
                    echoed.complete(blocking.input().readNBytes(message.length));
                    writer.join();
                    blocking.close();
                } catch (Throwable t) {
                    echoed.completeExceptionally(t);
                }
            });
            assertArrayEquals(message, echoed.get(10, SECONDS));
            assertEquals(CloseReason.Kind.CLOSED, client.awaitUnbind().kind());
            assertTrue(connection.tlsSession().isPresent());
        }
    }

    @Test
    void aHandshakeWaitingOnItsDelegatedTaskDoesNotHoldUpTheLoopsOtherConnections() throws Exception {
        reactor = Reactor.builder().loops(1).name("tls-tasks").build();
        EventLoop loop = reactor.loops().getFirst();
        Tcp tcp = Tcp.create(reactor);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CopyOnWriteArrayList<String> taskThreads = new CopyOnWriteArrayList<>();
        Executor slowTasks = task -> Thread.ofPlatform().name("slow-tls-task").start(() -> {
            taskThreads.add(Thread.currentThread().getName() + (loop.inLoop() ? " (the loop!)" : ""));
            entered.countDown();
            try {
                if (!release.await(5, SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            task.run();
        });
        TlsOptions slow = TestTls.server().taskExecutor(slowTasks).build();
        try (TcpServer tlsServer = tcp.startServer("127.0.0.1", 0, slow, () -> (c, data) -> c.sendData(data));
             TcpServer plainServer = tcp.startServer("127.0.0.1", 0, () -> (c, data) -> c.sendData(data))) {
            CompletableFuture<String> tlsEcho = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket client = TestTls.jdkClient(tlsServer.port())) {
                    client.getOutputStream().write("late".getBytes(US_ASCII));
                    return new String(client.getInputStream().readNBytes(4), US_ASCII);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, r -> Thread.ofPlatform().start(r));
            assertTrue(entered.await(5, SECONDS), "the handshake never ran a delegated task");
            assertFalse(tlsEcho.isDone());
            // The handshake is parked on its task: the same (only) loop still echoes for others.
            for (int i = 0; i < 3; i++) {
                try (PlainClient other = PlainClient.connect("127.0.0.1", plainServer.port())) {
                    other.write(("ping" + i).getBytes(US_ASCII));
                    assertEquals("ping" + i, new String(other.readExactly(5), US_ASCII));
                }
            }
            assertFalse(tlsEcho.isDone(), "the handshake cannot have finished: its task is held");
            release.countDown();
            assertEquals("late", tlsEcho.get(5, SECONDS));
            assertFalse(taskThreads.isEmpty());
            taskThreads.forEach(name -> assertEquals("slow-tls-task", name));
        } finally {
            release.countDown();
        }
    }
}
