package dev.strand.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.Await;
import dev.strand.http.Handler;
import dev.strand.http.HttpServer;
import dev.strand.http.RawConnection;
import dev.strand.http.Request;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Output back-pressure: a client that pipelines requests and never reads its responses makes the
 * connection stop reading and dispatching once its unwritten output passes the high watermark, so
 * a stalled connection holds a bounded amount whatever the client sends; the write timeout then
 * closes it; and a client that only reads late still gets every response, in order.
 */
class ClientsThatPipelineAndNeverReadAreBoundedTest {

    private static final int CLIENTS = 20;
    /** Per client: without back-pressure the server would answer them all into its queue (~6 MB each). */
    private static final int REQUESTS_PER_CLIENT = 40_000;
    private static final byte[] REQUEST = "GET /json HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String BODY = "{\"message\":\"Hello, World!\",\"padding\":\"" + "x".repeat(64) + "\"}";

    private static HttpServer server(boolean fiber, Duration writeTimeout, int low, int high) {
        Handler json = (req, res) -> res.header("Content-Type", "application/json").send(BODY);
        return HttpServer.builder().host("127.0.0.1").port(0)
                .config(c -> c.loops(2).writeTimeout(writeTimeout).writeWatermarks(low, high))
                .routing(r -> r.get("/json", fiber ? json : Handler.nonBlocking(json))
                        .get("/n/{i}", fiber ? (req, res) -> res.send(numbered(req))
                                : Handler.nonBlocking((req, res) -> res.send(numbered(req)))))
                .build().start();
    }

    /** 2 KiB that start with the request's number: 5,000 of them overflow the kernel's socket buffers. */
    private static String numbered(Request req) {
        String n = req.pathParam("i");
        return n + " ".repeat(2048 - n.length());
    }

    private static SocketChannel stalledClient(int port) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096); // before connect: a small window
        channel.connect(new InetSocketAddress("127.0.0.1", port));
        channel.configureBlocking(false);
        return channel;
    }

    /**
     * Writes up to {@code count} pipelined requests to every channel without ever reading, until all
     * are sent or the server has stopped taking them for a while (its reads paused).
     */
    private static long pipelineUntilStalled(List<SocketChannel> channels, int count) throws IOException {
        ByteBuffer batch = ByteBuffer.allocate(REQUEST.length * 1000);
        while (batch.hasRemaining()) {
            batch.put(REQUEST);
        }
        long[] left = new long[channels.size()];
        java.util.Arrays.fill(left, (long) count * REQUEST.length);
        ByteBuffer[] views = new ByteBuffer[channels.size()];
        long sent = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < channels.size(); i++) {
                channels.get(i).register(selector, SelectionKey.OP_WRITE, i);
            }
            long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!selector.keys().isEmpty() && System.nanoTime() < giveUpAt) {
                // No channel writable for a second: every server-side connection stopped reading.
                if (selector.select(1_000) == 0) {
                    break;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    int i = (Integer) key.attachment();
                    if (views[i] == null || !views[i].hasRemaining()) {
                        views[i] = batch.duplicate().clear().limit((int) Math.min(batch.capacity(), left[i]));
                    }
                    int n = channels.get(i).write(views[i]);
                    left[i] -= n;
                    sent += n;
                    if (left[i] == 0) {
                        key.cancel();
                    }
                }
                selector.selectedKeys().clear();
            }
        }
        return sent / REQUEST.length;
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @ParameterizedTest(name = "fiber handler: {0}")
    @ValueSource(booleans = {false, true})
    void stalledPipeliningClientsHoldAtMostTheWatermarkEachWhileOthersAreServed(boolean fiber) throws Exception {
        int high = 64 * 1024;
        try (HttpServer server = server(fiber, Duration.ofSeconds(60), 32 * 1024, high)) {
            StrandServer strand = (StrandServer) server;
            long heapBefore = usedHeapAfterGc();
            List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(stalledClient(server.port()));
                }
                long sent = pipelineUntilStalled(clients, REQUESTS_PER_CLIENT);
                assertTrue(sent > CLIENTS * 100L, "the clients got requests through: " + sent);

                // Another client is served meanwhile, promptly.
                try (RawConnection other = new RawConnection(server.port())) {
                    RawConnection.Reply reply = other.send(new String(REQUEST, StandardCharsets.US_ASCII)).read();
                    assertEquals(200, reply.status());
                    assertEquals(BODY, reply.text());
                }

                long[] state = strand.connectionsAndQueuedOutput();
                long perResponse = 200 + BODY.length();
                assertTrue(state[1] <= CLIENTS * (high + perResponse),
                        "queued output " + state[1] + " bytes for " + CLIENTS + " stalled clients, watermark " + high);
                long heapGrowth = usedHeapAfterGc() - heapBefore;
                assertTrue(heapGrowth < 48L * 1024 * 1024, "heap grew by " + heapGrowth + " bytes");
            } finally {
                for (SocketChannel client : clients) {
                    client.close();
                }
            }
        }
    }

    @ParameterizedTest(name = "fiber handler: {0}")
    @ValueSource(booleans = {false, true})
    void aStalledPipeliningConnectionIsClosedByTheWriteTimeout(boolean fiber) throws Exception {
        try (HttpServer server = server(fiber, Duration.ofMillis(300), 32 * 1024, 64 * 1024);
             SocketChannel client = stalledClient(server.port())) {
            StrandServer strand = (StrandServer) server;
            pipelineUntilStalled(List.of(client), REQUESTS_PER_CLIENT);
            Await.until(Duration.ofSeconds(15), () -> strand.connectionsAndQueuedOutput()[0] == 0,
                    "the stalled connection is closed");
            assertEquals(0, strand.connectionsAndQueuedOutput()[1], "and its queued output dropped");
        }
    }

    @ParameterizedTest(name = "fiber handler: {0}")
    @ValueSource(booleans = {false, true})
    void aClientThatReadsLateGetsEveryResponseInOrder(boolean fiber) throws Exception {
        int count = 5_000;
        // Tiny watermarks: the connection pauses and resumes hundreds of times.
        try (HttpServer server = server(fiber, Duration.ofSeconds(30), 1024, 4096);
             Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(10_000);
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    StringBuilder all = new StringBuilder();
                    for (int i = 0; i < count; i++) {
                        all.append("GET /n/").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
                    }
                    socket.getOutputStream().write(all.toString().getBytes(StandardCharsets.US_ASCII));
                    socket.shutdownOutput(); // the client is done: the server must still answer all
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, task -> Thread.ofVirtual().start(task));
            // Read only once the server holds output for us (or took every request without stalling).
            Await.until(Duration.ofSeconds(10), () -> written.isDone()
                    || ((StrandServer) server).connectionsAndQueuedOutput()[1] >= 1024, "the server stalls on the client");
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < count; i++) {
                String status = readLine(in);
                assertEquals("HTTP/1.1 200 OK", status, "response " + i);
                int length = -1;
                String line;
                while (!(line = readLine(in)).isEmpty()) {
                    if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                byte[] body = in.readNBytes(length);
                assertEquals(String.valueOf(i), new String(body, StandardCharsets.US_ASCII).strip(), "responses stay in order");
            }
            written.get(10, TimeUnit.SECONDS);
            assertEquals(-1, in.read(), "after the last response the server closes");
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed after " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
