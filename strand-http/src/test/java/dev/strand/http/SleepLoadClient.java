package dev.strand.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load client run in a child JVM by {@link TenThousandSleepersTest} (the test JVM's file limit
 * cannot hold both ends of 10,000 connections). Opens {@code n} connections on virtual threads,
 * then sends {@code GET /sleep?ms=...} on all of them at once and waits for every response.
 *
 * <p>Arguments: port, connections, sleep millis. Prints one line:
 * {@code RESULT ok=<n> failed=<n> connectMs=<ms> requestMs=<ms>} plus {@code ERROR ...} lines
 * for the first few failures. A connection that cannot be opened after a few attempts, or a
 * response that is not a complete 200 with the expected body, counts as failed.
 */
public final class SleepLoadClient {

    private static final int CONNECT_ATTEMPTS = 5;
    /** Connection attempts in flight at once: keeps the server's accept queues from overflowing. */
    private static final int CONNECTING_AT_ONCE = 512;

    private SleepLoadClient() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int sleepMillis = Integer.parseInt(args[2]);
        byte[] request = ("GET /sleep?ms=" + sleepMillis + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        Semaphore connecting = new Semaphore(CONNECTING_AT_ONCE);
        CountDownLatch connected = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);

        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread.ofVirtual().start(() -> {
                Socket socket = null;
                try {
                    socket = connect(port, connecting, errors);
                    connected.countDown();
                    if (socket == null) {
                        failed.incrementAndGet();
                        return;
                    }
                    go.await();
                    socket.setSoTimeout(30_000);
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                    String response = readResponse(socket.getInputStream());
                    if (response.startsWith("HTTP/1.1 200 ") && response.endsWith("\r\n\r\nslept " + sleepMillis)) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        note(errors, "connection " + index + ": unexpected response " + response);
                    }
                } catch (IOException | RuntimeException e) {
                    failed.incrementAndGet();
                    note(errors, "connection " + index + ": " + e);
                } catch (InterruptedException e) {
                    failed.incrementAndGet();
                    Thread.currentThread().interrupt();
                } finally {
                    if (socket != null) {
                        try {
                            socket.close();
                        } catch (IOException e) {
                            // closing
                        }
                    }
                    done.countDown();
                }
            });
        }
        if (!connected.await(60, TimeUnit.SECONDS)) {
            System.out.println("ERROR connecting did not finish within 60 s");
        }
        long connectMillis = (System.nanoTime() - t0) / 1_000_000;
        long requestStart = System.nanoTime();
        go.countDown();
        if (!done.await(60, TimeUnit.SECONDS)) {
            System.out.println("ERROR requests did not finish within 60 s");
        }
        long requestMillis = (System.nanoTime() - requestStart) / 1_000_000;
        for (String error : errors) {
            System.out.println("ERROR " + error);
        }
        System.out.println("RESULT ok=" + ok.get() + " failed=" + (n - ok.get()) + " connectMs=" + connectMillis
                + " requestMs=" + requestMillis);
        System.out.flush();
        System.exit(0);
    }

    private static Socket connect(int port, Semaphore connecting, ConcurrentLinkedQueue<String> errors)
            throws InterruptedException {
        IOException last = null;
        for (int attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
            connecting.acquire();
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                return socket;
            } catch (IOException e) {
                last = e;
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a failed socket
                }
            } finally {
                connecting.release();
            }
            Thread.sleep(50L * attempt); // back off before retrying a refused or timed-out connect
        }
        note(errors, "cannot connect after " + CONNECT_ATTEMPTS + " attempts: " + last);
        return null;
    }

    /** Reads one response with a Content-Length body; the whole text, head and body. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        int contentLength = -1;
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed in the head after: " + text);
            }
            text.append((char) c);
            if (c == '\n') {
                String l = line.toString().strip();
                if (l.isEmpty()) {
                    break;
                }
                if (l.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    contentLength = Integer.parseInt(l.substring(15).strip());
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        if (contentLength < 0) {
            throw new IOException("no Content-Length in: " + text);
        }
        byte[] body = in.readNBytes(contentLength);
        if (body.length != contentLength) {
            throw new IOException("truncated body in: " + text);
        }
        return text + new String(body, StandardCharsets.ISO_8859_1);
    }

    private static void note(ConcurrentLinkedQueue<String> errors, String error) {
        if (errors.size() < 10) {
            errors.add(error);
        }
    }
}
