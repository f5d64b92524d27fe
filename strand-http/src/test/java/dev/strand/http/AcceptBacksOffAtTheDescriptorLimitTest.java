package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server out of file descriptors stays up and useful: connections it holds keep being served,
 * newcomers are refused at once (503, or a close) rather than left waiting in silence, it serves
 * new connections again as soon as descriptors free up, and it does not flood its log. The child's
 * first log record comes at the limit: on a server without containment that record killed both
 * loops (java.util.logging could not open its time-zone data) and the process exited.
 *
 * <p>The server runs in a child JVM under {@code ulimit -n}; the test floods it from 127.0.0.1.
 */
class AcceptBacksOffAtTheDescriptorLimitTest {

    /** The child's open-file limit: its JVM needs about 40 of them before it serves anyone. */
    private static final int LIMIT = 200;
    /** Flood connections: well past the child's limit, well below this JVM's. */
    private static final int FLOOD = 400;
    private static final int HELD = 3;
    private static final int NEWCOMERS = 5;
    /** How long a client waits for an answer before calling it silence. */
    private static final int READ_TIMEOUT_MILLIS = 3_000;
    private static final String PING = "GET /ping HTTP/1.1\r\nHost: a\r\n\r\n";

    @Test
    void atTheLimitHeldConnectionsAreServedNewcomersRefusedAndServiceReturnsWhenTheFloodEnds() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        Path stderr = Files.createTempFile("strand-descriptor-limit", ".err");
        Process child = startChild(stderr);
        List<RawConnection> held = new ArrayList<>();
        List<Socket> flood = new ArrayList<>();
        try {
            int port = readPort(child);
            for (int i = 0; i < HELD; i++) {
                RawConnection c = new RawConnection(port, READ_TIMEOUT_MILLIS);
                held.add(c);
                assertAnswers(c, "a held connection before the flood");
            }
            assertEquals(0, Files.size(stderr), "the child logged before the flood: " + Files.readString(stderr));

            for (int i = 0; i < FLOOD; i++) {
                Socket s = new Socket();
                flood.add(s);
                s.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
            }

            long cpuBefore = cpuNanos(child);
            long wallBefore = System.nanoTime();
            for (int i = 0; i < NEWCOMERS; i++) {
                long start = System.nanoTime();
                String outcome = outcome(port);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(outcome.equals("503") || outcome.equals("closed") || outcome.equals("reset"),
                        () -> "newcomer at the limit: " + outcome + " after " + millis + " ms; the child's log:\n" + read(stderr));
            }
            for (RawConnection c : held) {
                assertAnswers(c, "a held connection at the limit");
            }
            // Still at the limit: the child lives on, and its loops sleep rather than spin.
            assertFalse(child.waitFor(1, TimeUnit.SECONDS), "the server exited at the limit:\n" + Files.readString(stderr));
            long cpu = cpuNanos(child) - cpuBefore;
            long wall = System.nanoTime() - wallBefore;
            assertTrue(cpu < wall / 2, "the child used " + cpu / 1_000_000 + " ms of CPU in " + wall / 1_000_000 + " ms");

            for (Socket s : flood) {
                s.close();
            }
            long closedAt = System.nanoTime();
            String last = "";
            while (!last.equals("200") && System.nanoTime() - closedAt < 2_000_000_000L) {
                last = outcome(port);
            }
            assertEquals("200", last, "no new connection served within 2 s of the flood closing");

            for (RawConnection c : held) {
                assertAnswers(c, "a held connection after the flood");
            }
            assertTrue(child.isAlive());
            String log = Files.readString(stderr);
            assertTrue(log.lines().count() < 100, "the log grew to " + log.lines().count() + " lines:\n" + log);
            // The TCP layer's listener says it: "strand-tcp: accept failed on /127.0.0.1:<port> (out of file descriptors?)".
            assertTrue(log.contains("accept failed on /127.0.0.1:" + port + " (out of file descriptors?)"),
                    "the cause never reached the log:\n" + log);
        } finally {
            for (Socket s : flood) {
                s.close();
            }
            for (RawConnection c : held) {
                c.close();
            }
            stop(child);
            Files.deleteIfExists(stderr);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The child server, under the limit, its standard error in {@code stderr}. */
    private static Process startChild(Path stderr) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -n " + LIMIT + " && exec '" + java + "' " + System.getProperty("strand.test.opens", "")
                + " -cp '" + System.getProperty("java.class.path") + "' " + DescriptorLimitServerMain.class.getName();
        return new ProcessBuilder("bash", "-c", command).redirectError(stderr.toFile()).start();
    }

    private static int readPort(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(20, TimeUnit.SECONDS);
        assertTrue(line != null && line.startsWith("PORT "), "the child did not start: " + line);
        return Integer.parseInt(line.substring(5));
    }

    /**
     * What a new connection asking for /ping gets: "200", "503", "closed", "reset", "timeout", or
     * "connection refused" (no listener).
     */
    private static String outcome(int port) {
        try (RawConnection c = new RawConnection(port, READ_TIMEOUT_MILLIS)) {
            return String.valueOf(c.send(PING).read().status());
        } catch (ConnectException e) {
            return "connection refused";
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (EOFException e) {
            return "closed";
        } catch (IOException e) {
            return "reset";
        }
    }

    private static void assertAnswers(RawConnection c, String what) {
        try {
            assertEquals(200, c.send(PING).read().status(), what);
        } catch (IOException e) {
            fail(what + " got no answer: " + e);
        }
    }

    private static long cpuNanos(Process child) {
        return child.toHandle().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }

    /** Closing its stdin halts the child; force it if it lingers. */
    private static void stop(Process child) throws InterruptedException {
        try {
            child.getOutputStream().close();
        } catch (IOException e) {
            // it is gone
        }
        if (!child.waitFor(5, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
