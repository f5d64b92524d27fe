package dev.strand.reactor.tcp;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Reactor;
import dev.strand.reactor.Timer;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A fast writer to a peer that does not read: the queue stays within the high watermark (plus the
 * send that crossed it), the writer is told to stop, and {@code drained} comes once the peer reads.
 * A writer that ignores the signal is cut off at the hard limit.
 */
class WatermarksBoundWhatASlowReaderCostsTest {

    private static final int LOW = 32 * 1024;
    private static final int HIGH = 64 * 1024;
    private static final int CHUNK = 8 * 1024;

    private Reactor reactor;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(1).name("watermarks").build();
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    /** Sends a counting pattern of {@code total} bytes, as fast as the watermarks allow. */
    private static final class Pump implements ConnectionHandler {
        final long total;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong maxQueued = new AtomicLong();
        final AtomicInteger overSignals = new AtomicInteger();
        final AtomicInteger drains = new AtomicInteger();
        final CompletableFuture<Connection> connection = new CompletableFuture<>();
        final CompletableFuture<Long> stalled = new CompletableFuture<>();
        final CompletableFuture<CloseReason> unbound = new CompletableFuture<>();
        private long sentAtLastTick = -1;
        private Timer watch;

        Pump(long total) {
            this.total = total;
        }

        @Override
        public void postInit(Connection c) {
            connection.complete(c);
            // A stall: a tick with nothing sent, the queue above low, the writer told to stop.
            watch = c.loop().addPeriodicTimer(Duration.ofMillis(20), () -> {
                long now = sent.get();
                if (now == sentAtLastTick && c.queuedBytes() > LOW && overSignals.get() > 0) {
                    stalled.complete(now);
                }
                sentAtLastTick = now;
            });
            pump(c);
        }

        private void pump(Connection c) {
            while (sent.get() < total) {
                byte[] chunk = new byte[(int) Math.min(CHUNK, total - sent.get())];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) ((sent.get() + i) % 251);
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

    @RepeatedTest(2)
    void aNeverReadingPeerHoldsTheWriterAtTheHighWatermarkUntilItReads() throws Exception {
        long total = 16L * 1024 * 1024;
        Pump pump = new Pump(total);
        Tcp tcp = Tcp.builder(reactor).lowWatermark(LOW).highWatermark(HIGH).build();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> pump);
             PlainClient client = PlainClient.connect("127.0.0.1", server.port(), 4096)) {
            long sentBeforeReading = pump.stalled.get(5, SECONDS);
            assertTrue(sentBeforeReading < total, "the kernel took everything: nothing was held back");
            assertTrue(pump.overSignals.get() > 0, "sendData never said stop");
            int drainsBeforeReading = pump.drains.get();
            assertTrue(pump.connection.get().queuedBytes() <= HIGH + CHUNK);

            // Now read everything: the writer drains, goes on, and closes after writing.
            InputStream in = client.socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != (byte) ((read + i) % 251)) {
                        throw new AssertionError("byte " + (read + i) + " is wrong");
                    }
                }
                read += n;
            }
            assertEquals(total, read);
            assertEquals(CloseReason.Kind.CLOSED, pump.unbound.get(5, SECONDS).kind());
            assertTrue(pump.drains.get() > drainsBeforeReading, "no drained callback after the peer read");
            assertTrue(pump.maxQueued.get() <= HIGH + CHUNK,
                    "queued " + pump.maxQueued.get() + " bytes, more than the high watermark and one send");
        }
    }

    @Test
    void sendDataFromAnotherThreadCountsBytesOnTheirWayToTheLoop() throws Exception {
        CompletableFuture<Connection> accepted = new CompletableFuture<>();
        Tcp tcp = Tcp.builder(reactor).lowWatermark(LOW).highWatermark(HIGH).build();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> new ConnectionHandler() {
                 @Override
                 public void postInit(Connection c) {
                     accepted.complete(c);
                 }

                 @Override
                 public void receiveData(Connection c, ByteBuffer data) {
                 }
             });
             PlainClient client = PlainClient.connect("127.0.0.1", server.port(), 4096)) {
            Connection connection = accepted.get(5, SECONDS);
            // Hold the loop so nothing is written meanwhile: every byte sent is still counted.
            CompletableFuture<Void> held = new CompletableFuture<>();
            CompletableFuture<Void> holding = new CompletableFuture<>();
            connection.loop().execute(() -> {
                holding.complete(null);
                held.join();
            });
            holding.get(5, SECONDS);
            int sends = 0;
            while (!connection.sendData(new byte[CHUNK])) {
                sends++;
            }
            long queued = connection.queuedBytes();
            held.complete(null);
            assertEquals(HIGH / CHUNK, sends, "stop is said by the send that crosses the high watermark");
            assertEquals(HIGH + CHUNK, queued);
            assertTrue(connection.isOpen());
        }
    }

    @Test
    void aWriterThatIgnoresTheSignalIsClosedAtTheHardLimit() throws Exception {
        long limit = 4L * HIGH;
        AtomicLong maxQueued = new AtomicLong();
        CompletableFuture<CloseReason> unbound = new CompletableFuture<>();
        AtomicInteger accepted = new AtomicInteger();
        Tcp tcp = Tcp.builder(reactor).highWatermark(HIGH).maxQueuedBytes(limit).build();
        try (TcpServer server = tcp.startServer("127.0.0.1", 0, () -> new ConnectionHandler() {
                 @Override
                 public void postInit(Connection c) {
                     accepted.incrementAndGet();
                     for (int i = 0; i < 100 && c.isOpen(); i++) {
                         c.sendData(new byte[CHUNK * 4]); // the answer is ignored
                         maxQueued.accumulateAndGet(c.queuedBytes(), Math::max);
                     }
                 }

                 @Override
                 public void receiveData(Connection c, ByteBuffer data) {
                 }

                 @Override
                 public void unbind(Connection c, CloseReason reason) {
                     unbound.complete(reason);
                 }
             });
             PlainClient client = PlainClient.connect("127.0.0.1", server.port(), 4096)) {
            assertEquals(CloseReason.of(CloseReason.Kind.OVERFLOW), unbound.get(5, SECONDS));
            assertTrue(maxQueued.get() <= limit, "queued " + maxQueued.get() + " past the limit " + limit);
            assertEquals(1, accepted.get());
            client.socket.getInputStream().readAllBytes(); // the peer sees the end, not a hang
            assertFalse(client.socket.isInputShutdown());
        }
    }
}
