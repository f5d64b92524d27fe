package dev.strand.reactor.tcp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Reactor;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Connection#closeAfterWriting()} writes everything queued, files included, then closes;
 * {@link Connection#sendFile} sends a file intact, in order with the sends around it.
 */
class CloseAfterWritingDeliversEverythingTest {

    @TempDir
    Path dir;
    private Reactor reactor;
    private Tcp tcp;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(2).name("close-after-writing").build();
        tcp = Tcp.create(reactor);
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    @RepeatedTest(3)
    void aMebibyteQueuedThenCloseAfterWritingArrivesWholeThenTheStreamEnds() throws Exception {
        byte[] payload = random(1024 * 1024);
        CompletableFuture<CloseReason> unbound = new CompletableFuture<>();
        // More than the hard limit would allow at once: sent in pieces as it drains.
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> new ConnectionHandler() {
                 int offset;

                 @Override
                 public void postInit(Connection c) {
                     drained(c);
                 }

                 @Override
                 public void drained(Connection c) {
                     while (offset < payload.length) {
                         int n = Math.min(16 * 1024, payload.length - offset);
                         boolean stop = c.sendData(ByteBuffer.wrap(payload, offset, n));
                         offset += n;
                         if (stop) {
                             return;
                         }
                     }
                     c.closeAfterWriting();
                     c.closeAfterWriting(); // idempotent
                     assertTrue(c.sendData(new byte[] {1}), "sends after closeAfterWriting are refused");
                 }

                 @Override
                 public void receiveData(Connection c, ByteBuffer data) {
                 }

                 @Override
                 public void unbind(Connection c, CloseReason reason) {
                     unbound.complete(reason);
                 }
             });
             PlainClient client = PlainClient.connect("127.0.0.1", server.port())) {
            assertArrayEquals(payload, client.readToEnd());
            assertEquals(CloseReason.of(CloseReason.Kind.CLOSED), unbound.get(5, SECONDS));
        }
    }

    @Test
    void aFileOfSomeMebibytesArrivesIntactBetweenTheSendsAroundIt() throws Exception {
        byte[] content = random(3 * 1024 * 1024 + 17);
        Path file = Files.write(dir.resolve("payload.bin"), content);
        CompletableFuture<Long> sent = new CompletableFuture<>();
        CompletableFuture<CloseReason> unbound = new CompletableFuture<>();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> new ConnectionHandler() {
                 @Override
                 public void postInit(Connection c) {
                     c.sendData("header\n".getBytes(US_ASCII));
                     c.sendFile(file).whenComplete((n, e) -> {
                         if (e != null) {
                             sent.completeExceptionally(e);
                         } else {
                             sent.complete(n);
                         }
                     });
                     c.sendData("trailer\n".getBytes(US_ASCII));
                     c.closeAfterWriting();
                 }

                 @Override
                 public void receiveData(Connection c, ByteBuffer data) {
                 }

                 @Override
                 public void unbind(Connection c, CloseReason reason) {
                     unbound.complete(reason);
                 }
             });
             PlainClient client = PlainClient.connect("127.0.0.1", server.port(), 8192)) {
            byte[] all = client.readToEnd();
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes("header\n".getBytes(US_ASCII));
            expected.writeBytes(content);
            expected.writeBytes("trailer\n".getBytes(US_ASCII));
            assertArrayEquals(expected.toByteArray(), all);
            assertEquals(content.length, sent.get(5, SECONDS));
            assertEquals(CloseReason.Kind.CLOSED, unbound.get(5, SECONDS).kind());
        }
    }

    @Test
    void aFileStillQueuedWhenTheConnectionClosesFailsItsFuture() throws Exception {
        Path file = Files.write(dir.resolve("big.bin"), random(8 * 1024 * 1024));
        CompletableFuture<CompletableFuture<Long>> sending = new CompletableFuture<>();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> new ConnectionHandler() {
                 @Override
                 public void postInit(Connection c) {
                     sending.complete(c.sendFile(file));
                     c.sendFile(file);
                     c.close(); // before any of it is written
                 }

                 @Override
                 public void receiveData(Connection c, ByteBuffer data) {
                 }
             });
             PlainClient client = PlainClient.connect("127.0.0.1", server.port(), 4096)) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> sending.get(5, SECONDS).get(5, SECONDS));
            ConnectionClosedException closed = assertInstanceOf(ConnectionClosedException.class, failed.getCause());
            assertEquals(CloseReason.Kind.CLOSED, closed.reason().kind());
        }
    }

    @Test
    void aFileThatCannotBeOpenedFailsAtOnce() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> new ConnectionHandler() {
                 @Override
                 public void postInit(Connection c) {
                     try {
                         c.sendFile(dir.resolve("missing.bin"));
                         thrown.complete(null);
                     } catch (RuntimeException e) {
                         thrown.complete(e);
                     }
                 }

                 @Override
                 public void receiveData(Connection c, ByteBuffer data) {
                 }
             });
             PlainClient client = PlainClient.connect("127.0.0.1", server.port())) {
            assertInstanceOf(UncheckedIOException.class, thrown.get(5, SECONDS));
        }
    }
}
