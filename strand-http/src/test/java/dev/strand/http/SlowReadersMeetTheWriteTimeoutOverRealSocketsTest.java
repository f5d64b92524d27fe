package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The write timeout over real sockets, where the kernel's buffers decide when the server's writes
 * stall: a client that stops reading is cut off, and slow but steady readers are not. The timing
 * itself (to the nanosecond), and the header-read and idle timeouts, are pinned on virtual time:
 * {@link WriteTimeoutCountsFromTheLastProgressOnVirtualTimeTest},
 * {@link HeaderTimeoutAnswers408AtItsDeadlineOnVirtualTimeTest}, {@link IdleTimeoutClosesAtItsDeadlineOnVirtualTimeTest}.
 */
class SlowReadersMeetTheWriteTimeoutOverRealSocketsTest {

    private static final int BLOCK = 64 * 1024;

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(32 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    @Test
    void aClientThatStopsReadingIsCutOffByTheWriteTimeout() throws Exception {
        CompletableFuture<Throwable> handlerFailure = new CompletableFuture<>();
        AtomicLong written = new AtomicLong();
        long total = 512L * 1024 * 1024;
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .config(c -> c.writeTimeout(Duration.ofMillis(500)))
                .routing(r -> r.get("/flood", (req, res) -> {
                    byte[] block = new byte[BLOCK];
                    try (OutputStream out = res.outputStream()) {
                        while (written.get() < total) {
                            out.write(block);
                            written.addAndGet(BLOCK);
                        }
                        handlerFailure.complete(null);
                    } catch (Throwable t) {
                        handlerFailure.complete(t);
                        throw t;
                    }
                }))
                .build().start();
             Socket socket = connect(server.port())) {
            long t0 = System.nanoTime();
            socket.getOutputStream().write("GET /flood HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // Never read: the server's writes stay pending until the write timeout.
            Throwable failure = handlerFailure.get(10, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertInstanceOf(IOException.class, failure, "the writing fiber must see an IOException, got " + failure);
            assertTrue(written.get() < total);
            assertTrue(millis >= 400, "cut off after " + millis + " ms, before the write timeout");
            assertTrue(millis < 5_000, "cut off only after " + millis + " ms");
            // The server closed the connection: draining what was buffered ends (EOF or reset).
            socket.setSoTimeout(5_000);
            long drained = 0;
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[BLOCK];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    drained += n;
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the connection was not closed", e);
            } catch (IOException e) {
                // reset: closed
            }
            assertTrue(drained < total, "drained " + drained);
        }
    }

    @Test
    void aSlowButSteadyReaderOfAStreamedResponseIsNotCutOffByTheWriteTimeout() throws Exception {
        steadyReaderGetsEverything(true);
    }

    /**
     * A body sent whole sits in the outbound queue until its last byte is written: the write
     * timeout must count from the last progress, not from when the queue first backed up.
     */
    @Test
    void aSlowButSteadyReaderOfAWholeBodyIsNotCutOffByTheWriteTimeout() throws Exception {
        steadyReaderGetsEverything(false);
    }

    private static void steadyReaderGetsEverything(boolean streamed) throws Exception {
        long total = 16L * 1024 * 1024;
        CompletableFuture<Throwable> handlerOutcome = new CompletableFuture<>();
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .config(c -> c.writeTimeout(Duration.ofMillis(600)))
                .routing(r -> r.get("/large", (req, res) -> {
                    if (!streamed) {
                        res.send(new byte[(int) total]);
                        handlerOutcome.complete(null);
                        return;
                    }
                    res.header("Content-Length", String.valueOf(total));
                    byte[] block = new byte[BLOCK];
                    try (OutputStream out = res.outputStream()) {
                        for (long sent = 0; sent < total; sent += BLOCK) {
                            out.write(block);
                        }
                        handlerOutcome.complete(null);
                    } catch (Throwable t) {
                        handlerOutcome.complete(t);
                        throw t;
                    }
                }))
                .build().start();
             Socket socket = connect(server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET /large HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            // Skip the head.
            int matched = 0;
            while (matched < 4) {
                int c = in.read();
                assertTrue(c >= 0, "closed in the head");
                matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
            }
            long t0 = System.nanoTime();
            long received = 0;
            byte[] buffer = new byte[32 * 1024];
            try {
                // Up to 32 KiB every 5 ms, about 6 MiB/s: beyond what the socket buffers hold (a few
                // MiB), the server's writes stay pending for twice the write timeout or more, yet
                // the client never stalls for more than a few milliseconds and the kernel lets the
                // server write again at least every ~250 ms.
                while (received < total) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    received += n;
                    Thread.sleep(5); // pacing the slow reader
                }
            } catch (IOException e) {
                // reset: reported below
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(total, received, "a reader making steady progress was cut off after " + millis
                    + " ms (write timeout 600 ms); the handler saw " + handlerOutcome.getNow(null));
            assertTrue(millis > 1_200, "the transfer should outlast the write timeout, took " + millis + " ms");
            try {
                assertEquals(null, handlerOutcome.get(5, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                throw new AssertionError(e);
            }
            assertFalse(socket.isClosed());
        }
    }
}
