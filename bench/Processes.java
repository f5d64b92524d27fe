import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The servers' processes: which jar and command start each one (and its version), ports, starting it and
 * timing its first correct response, stopping it; and {@link #capture} for the short commands the sweep runs.
 */
final class Processes {

    private Processes() {
    }

    // ---- which jar and command start a server, and its version ----------------------------------

    static Optional<Path> jarOf(Sweep sweep, String server) throws IOException {
        if (server.equals("strand")) {
            Path dir = sweep.root.resolve("strand-demo/target");
            if (!Files.isDirectory(dir)) {
                return Optional.empty();
            }
            try (var files = Files.list(dir)) {
                return files.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith("strand-demo-") && n.endsWith(".jar") && !n.contains("sources")
                            && !n.contains("javadoc");
                }).sorted().findFirst();
            }
        }
        Path jar = sweep.root.resolve(expectedJar(server));
        return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    }

    static String expectedJar(String server) {
        if (server.equals("strand")) {
            return "strand-demo/target/strand-demo-*.jar";
        }
        String base = server.startsWith("jetty") ? "jetty" : server;
        return "bench/" + base + "/target/" + base + "-bench.jar";
    }

    /** The command that starts {@code server} from {@code jar} on {@code port}, pinned to core 0. */
    static List<String> serverCommand(Sweep sweep, String server, Path jar, int port) {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", "0", sweep.javaCmd));
        cmd.addAll(sweep.jvmFlags);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(serverArgs(server));
        cmd.add("--port");
        cmd.add(Integer.toString(port));
        return cmd;
    }

    static List<String> serverArgs(String server) {
        return switch (server) {
            case "jetty-platform" -> List.of("--threads", "platform");
            case "jetty-virtual" -> List.of("--threads", "virtual");
            default -> List.of();
        };
    }

    /** The server's version, read from the built jar (Maven metadata shaded into it). */
    static String versionOf(Sweep sweep, String server, Path jar) {
        if (server.equals("strand")) {
            String name = jar.getFileName().toString();
            String v = name.substring("strand-demo-".length(), name.length() - ".jar".length());
            Captured commit = capture(List.of("git", "-C", sweep.root.toString(), "rev-parse", "--short", "HEAD"), 10);
            if (commit.exit != 0) {
                return v + " (not a git checkout)";
            }
            Captured status = capture(List.of("git", "-C", sweep.root.toString(), "status", "--porcelain", "--untracked-files=no"), 10);
            String dirty = status.exit == 0 && status.output.isBlank() ? "" : ", with uncommitted changes";
            return v + " (commit " + commit.output.trim() + dirty + ")";
        }
        String artifact = switch (server) {
            case "netty" -> "netty-codec-http";
            case "vertx" -> "vertx-core";
            case "undertow" -> "undertow-core";
            case "helidon" -> "helidon-webserver";
            default -> "jetty-server";
        };
        try (JarFile jf = new JarFile(jar.toFile())) {
            var entries = jf.entries();
            while (entries.hasMoreElements()) {
                var e = entries.nextElement();
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/" + artifact + "/pom.properties")) {
                    var props = new java.util.Properties();
                    try (InputStream in = jf.getInputStream(e)) {
                        props.load(in);
                    }
                    return artifact + " " + props.getProperty("version", "?");
                }
            }
            var vertx = jf.getEntry("META-INF/vertx/vertx-version.txt"); // Vert.x ships no pom.properties
            if (artifact.equals("vertx-core") && vertx != null) {
                try (InputStream in = jf.getInputStream(vertx)) {
                    return artifact + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                }
            }
        } catch (IOException e) {
            // fall through to the pom
        }
        // Not in the jar: the version the peer's build asked for.
        try {
            String pom = Files.readString(sweep.root.resolve("bench/pom.xml"));
            String key = server.startsWith("jetty") ? "jetty" : server;
            Matcher m = Pattern.compile("<" + key + "\\.version>([^<]+)</").matcher(pom);
            if (m.find()) {
                return artifact + " " + m.group(1) + " (from bench/pom.xml)";
            }
        } catch (IOException e) {
            // unknown
        }
        return artifact + " (version unknown)";
    }

    // ---- starting a server and timing its first response ----------------------------------------

    /** How many times each server is started to time its first response. */
    static final int STARTS = 3;

    /** Milliseconds from {@code t0} (just before {@code p} started) to the first correct /plaintext. */
    static double timeFirstResponse(Process p, int port, long t0, Path logFile) throws IOException {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
        String lastError = "no attempt";
        while (true) {
            if (!p.isAlive()) {
                throw new IOException("server exited with " + p.exitValue() + " before answering; see " + logFile);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("no correct response within 30 s (" + lastError + "); see " + logFile);
            }
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(5000);
                OutputStream os = s.getOutputStream();
                os.write(HttpChecks.request("/plaintext", port));
                os.flush();
                HttpResponse r = HttpResponse.read(new BufferedInputStream(s.getInputStream()));
                if (r.status() == 200 && r.bodyText().equals(Sweep.PLAINTEXT_BODY)) {
                    return (System.nanoTime() - t0) / 1e6;
                }
                lastError = "status " + r.status() + ", body " + Sweep.quote(r.bodyText());
            } catch (IOException e) {
                lastError = e.getMessage();
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** Stops a server started only to time its start, and waits for its port to be free again. */
    static void stopQuietly(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static void warmPollingClient(int port) {
        byte[] canned = ("HTTP/1.1 200 OK\r\nServer: x\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 13\r\n\r\n" + Sweep.PLAINTEXT_BODY).getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 2000; i++) {
            try {
                HttpResponse r = HttpResponse.read(new BufferedInputStream(new java.io.ByteArrayInputStream(canned)));
                if (r.status() != 200 || !r.bodyText().equals(Sweep.PLAINTEXT_BODY)
                        || !HttpChecks.checkResponse(r, Sweep.PLAINTEXT_BODY, "text/plain").isEmpty()) {
                    throw new IllegalStateException("the polling client misreads a canned response");
                }
                HttpChecks.request("/plaintext", port);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000); // nothing listens yet: refused
        } catch (IOException expected) {
            // the path the first polls take
        }
    }

    // ---- stopping it, and the next port ---------------------------------------------------------

    static void stop(Sweep sweep, ServerRun run) {
        Process p = run.process;
        if (p == null) {
            return;
        }
        p.destroy(); // SIGTERM: a graceful stop
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                run.stopNote = "did not stop within 15 s of SIGTERM; killed";
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        sweep.running = null;
        Sweep.sleepMillis(500);
    }

    static int freePort(Sweep sweep) {
        for (int i = 0; i < 1000; i++) {
            int port = sweep.nextPort++;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException e) {
                // taken; next
            }
        }
        throw new IllegalStateException("no free port from " + sweep.basePort);
    }

    // ---- the short commands the sweep runs ------------------------------------------------------

    record Captured(int exit, String output, long wallNanos, long childTicks) {
    }

    /**
     * Runs a command to completion (bounded), capturing its output. Its CPU time is read from this
     * process's cutime+cstime, which grow by exactly a child's CPU when the child is reaped.
     */
    static Captured capture(List<String> cmd, int timeoutSeconds) {
        long childBefore = ProcStats.cpuTicks(ProcessHandle.current().pid(), true);
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor();
            }
            long wall = System.nanoTime() - t0;
            String o = new String(output.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            long childAfter = ProcStats.cpuTicks(ProcessHandle.current().pid(), true);
            return new Captured(done ? p.exitValue() : -1, done ? o : o + "\n(killed after " + timeoutSeconds + " s)",
                    wall, childAfter - childBefore);
        } catch (Exception e) {
            return new Captured(-1, "cannot run " + cmd + ": " + e, System.nanoTime() - t0, 0);
        }
    }
}
