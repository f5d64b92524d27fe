package dev.strand.reactor.tcp;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Reactor;
import dev.strand.reactor.Timer;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Several MiB over TLS, each way, to a reader that holds back: the writer is stopped at the high
 * watermark (plaintext not yet encrypted), is told when it drained, and every byte arrives in order.
 */
class TlsWatermarksHoldForSlowReadersTest {

    private static final int LOW = 32 * 1024;
    private static final int HIGH = 64 * 1024;
    private static final int CHUNK = 8 * 1024;
    private static final long TOTAL = 4L * 1024 * 1024;

    private Reactor reactor;
    private Tcp tcp;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(2).name("tls-watermarks").build();
        tcp = Tcp.builder(reactor).lowWatermark(LOW).highWatermark(HIGH).build();
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    private static byte pattern(long index) {
        return (byte) (index % 251);
    }

    /** Sends the pattern as fast as the watermarks allow, then closes after writing. */
    private static final class Pump implements ConnectionHandler {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong maxQueued = new AtomicLong();
        final AtomicInteger overSignals = new AtomicInteger();
        final AtomicInteger drains = new AtomicInteger();
        final CompletableFuture<Long> stalled = new CompletableFuture<>();
        final CompletableFuture<CloseReason> unbound = new CompletableFuture<>();
        private long sentAtLastTick = -1;
        private Timer watch;

        @Override
        public void postInit(Connection c) {
            // A stall: a tick with nothing sent, the queue above low, the writer told to stop.
            watch = c.loop().addPeriodicTimer(Duration.ofMillis(20), () -> {
                long now = sent.get();
                if (now == sentAtLastTick && c.queuedBytes() > LOW && overSignals.get() > 0) {
                    stalled.complete(now);
                }
                sentAtLastTick = now;
            });
        }

        @Override
        public void handshakeCompleted(Connection c) {
            pump(c);
        }

        private void pump(Connection c) {
            while (sent.get() < TOTAL) {
                byte[] chunk = new byte[(int) Math.min(CHUNK, TOTAL - sent.get())];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = pattern(sent.get() + i);
                }
                boolean stop = c.sendData(chunk);
                sent.addAndGet(chunk.length);
                maxQueued.accumulateAndGet(c.queuedBytes(), Math::max);
                if (stop) {
                    overSignals.incrementAndGet();
                    return;
                }
            }
            c.closeAfterWriting();
        }

        @Override
        public void drained(Connection c) {
            drains.incrementAndGet();
            pump(c);
        }

        @Override
        public void receiveData(Connection c, ByteBuffer data) {
        }

        @Override
        public void unbind(Connection c, CloseReason reason) {
            watch.cancel();
            unbound.complete(reason);
        }
    }

    /** Checks the pattern as it comes; paused until told to read. */
    private static final class Checker implements ConnectionHandler {
        final AtomicLong received = new AtomicLong();
        final CompletableFuture<Connection> connection = new CompletableFuture<>();
        final CompletableFuture<CloseReason> unbound = new CompletableFuture<>();
        volatile String wrong;

        @Override
        public void postInit(Connection c) {
            c.pause();
            connection.complete(c);
        }

        @Override
        public void receiveData(Connection c, ByteBuffer data) {
            long at = received.get();
            int n = data.remaining();
            for (int i = 0; i < n; i++) {
                if (data.get() != pattern(at + i) && wrong == null) {
                    wrong = "byte " + (at + i) + " is wrong";
                }
            }
            received.addAndGet(n);
        }

        @Override
        public void unbind(Connection c, CloseReason reason) {
            unbound.complete(reason);
        }
    }

    private static void assertHeldAtTheWatermark(Pump pump) throws Exception {
        long sentBeforeReading = pump.stalled.get(5, SECONDS);
        assertTrue(sentBeforeReading < TOTAL, "everything was taken: nothing was held back");
        assertTrue(pump.overSignals.get() > 0, "sendData never said stop");
    }

    @RepeatedTest(2)
    void aToolkitServerSendingToASlowJdkClientStopsAtTheHighWatermarkThenDeliversItAll() throws Exception {
        Pump pump = new Pump();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, TestTls.server().build(), () -> pump);
             SSLSocket client = TestTls.jdkClientWithWindow(server.port(), 32 * 1024)) {
            client.startHandshake();
            assertHeldAtTheWatermark(pump);
            int drainsBeforeReading = pump.drains.get();

            InputStream in = client.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != pattern(read + i)) {
                        throw new AssertionError("byte " + (read + i) + " is wrong");
                    }
                }
                read += n;
            }
            assertEquals(TOTAL, read, "the stream ended with a close_notify after the last byte");
            assertEquals(CloseReason.Kind.CLOSED, pump.unbound.get(5, SECONDS).kind());
            assertTrue(pump.drains.get() > drainsBeforeReading, "no drained callback after the peer read");
            assertTrue(pump.maxQueued.get() <= HIGH + CHUNK,
                    "queued " + pump.maxQueued.get() + " bytes, more than the high watermark and one send");
        }
    }

    @RepeatedTest(2)
    void aToolkitClientSendingToAPausedToolkitServerStopsAtTheHighWatermarkThenDeliversItAll() throws Exception {
        Checker checker = new Checker();
        Pump pump = new Pump();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, TestTls.server().build(), () -> checker)) {
            tcp.connect("127.0.0.1", server.port(), TestTls.client().build(), pump);
            assertHeldAtTheWatermark(pump);
            checker.connection.get(5, SECONDS).resume();
            CloseReason serverSaw = checker.unbound.get(5, SECONDS);
            assertEquals(CloseReason.Kind.PEER_CLOSED, serverSaw.kind());
            assertTrue(serverSaw.cause().isEmpty(), "the client's close_notify came: " + serverSaw);
            assertEquals(null, checker.wrong);
            assertEquals(TOTAL, checker.received.get());
            assertEquals(CloseReason.Kind.CLOSED, pump.unbound.get(5, SECONDS).kind());
            assertTrue(pump.maxQueued.get() <= HIGH + CHUNK,
                    "queued " + pump.maxQueued.get() + " bytes, more than the high watermark and one send");
        }
    }
}
