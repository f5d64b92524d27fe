package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.FiberMode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 10,000 concurrent requests whose handlers each sleep 200 ms all succeed in a few seconds on two
 * loops: sleeping fibers cost no thread. The load comes from a child JVM ({@link SleepLoadClient}),
 * since this JVM's file limit cannot hold both ends of 10,000 connections.
 */
class TenThousandSleepersTest {

    private static final int CONNECTIONS = 10_000;
    private static final int SLEEP_MILLIS = 200;
    private static final Pattern RESULT =
            Pattern.compile("RESULT ok=(\\d+) failed=(\\d+) connectMs=(\\d+) requestMs=(\\d+)");

    @ParameterizedTest
    @EnumSource(value = FiberMode.class, names = {"LOOP_CARRIER", "JDK_SCHEDULER"})
    void tenThousandSleepingRequestsAllSucceedQuickly(FiberMode mode) throws Exception {
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .config(c -> c.loops(2).fiberMode(mode))
                .routing(r -> r.get("/sleep", (req, res) -> {
                    long ms = Long.parseLong(req.query("ms").orElseThrow());
                    Thread.sleep(ms);
                    res.send("slept " + ms);
                }))
                .build().start()) {
            String java = ProcessHandle.current().info().command().orElseThrow();
            String classPath = Path.of(SleepLoadClient.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
            Process child = new ProcessBuilder(java, "-Xss512k", "-XX:+UseParallelGC", "-cp", classPath,
                    SleepLoadClient.class.getName(), String.valueOf(server.port()), String.valueOf(CONNECTIONS),
                    String.valueOf(SLEEP_MILLIS))
                    .redirectErrorStream(true)
                    .start();
            List<String> output = new ArrayList<>();
            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        synchronized (output) {
                            output.add(line);
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try {
                assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the load client did not finish: " + output);
                reader.get(10, TimeUnit.SECONDS);
            } finally {
                child.destroyForcibly();
            }
            String all;
            synchronized (output) {
                all = String.join("\n", output);
            }
            assertEquals(0, child.exitValue(), all);
            Matcher result = RESULT.matcher(all);
            assertTrue(result.find(), "no result line from the load client:\n" + all);
            int ok = Integer.parseInt(result.group(1));
            int failed = Integer.parseInt(result.group(2));
            long connectMillis = Long.parseLong(result.group(3));
            long requestMillis = Long.parseLong(result.group(4));
            assertEquals(0, failed, "failed requests:\n" + all);
            assertEquals(CONNECTIONS, ok, all);
            assertTrue(requestMillis >= SLEEP_MILLIS, "responses came before the handlers slept: " + all);
            assertTrue(connectMillis + requestMillis < 10_000,
                    "10,000 sleeping requests took " + connectMillis + " ms to connect and " + requestMillis
                            + " ms to answer: " + all);
            System.err.println(mode + ": " + result.group(0));
        }
    }
}
