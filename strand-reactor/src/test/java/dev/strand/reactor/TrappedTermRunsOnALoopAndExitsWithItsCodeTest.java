package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A trapped TERM no longer ends the JVM by itself: the trap's handler runs on a loop and decides,
 * here exiting with a status of its own. Run in a child JVM: TERM is never sent to the test's.
 * Under {@code -Xrs} the JVM keeps TERM for itself, and under {@code nohup} it leaves HUP ignored:
 * trapping them fails naming the signal.
 */
class TrappedTermRunsOnALoopAndExitsWithItsCodeTest {

    @Test
    void aTrappedTermRunsItsHandlerOnTheLoopWhichExitsWithItsOwnStatus() throws Exception {
        Process child = start(List.of());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> readLine(out));
            assertEquals("trapped", firstLine.get(10, SECONDS));

            SignalTrapsRunOnTheirLoopsTest.kill(Signal.TERM, child.pid());

            assertTrue(child.waitFor(10, SECONDS), "the child was still running 10 s after TERM");
            String rest = out.lines().collect(Collectors.joining("\n"));
            assertEquals(TrapSignalMain.EXIT_STATUS, child.exitValue(), rest + errors(child));
            assertTrue(rest.matches("TERM handled on trap-\\d+-loop-0, on its loop: true"), rest);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void underXrsTrappingTermFailsNamingTheSignal() throws Exception {
        Process child = start(List.of("-Xrs"));
        try {
            assertTrue(child.waitFor(10, SECONDS), "the child was still running after 10 s");
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(TrapSignalMain.REFUSED_STATUS, child.exitValue(), out + errors(child));
            assertTrue(out.contains("refused: the JVM refuses to let SIGTERM be trapped"), out);
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void underNohupTrappingHupFailsSayingTheProcessIgnoresIt() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/nohup")), "no /usr/bin/nohup here");
        Process child = start(List.of("/usr/bin/nohup"), List.of(), "HUP");
        try {
            assertTrue(child.waitFor(10, SECONDS), "the child was still running after 10 s");
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(TrapSignalMain.REFUSED_STATUS, child.exitValue(), out + errors(child));
            assertTrue(out.contains("refused: the JVM will not deliver SIGHUP: the process was started ignoring it"), out);
        } finally {
            child.destroyForcibly();
        }
    }

    private static Process start(List<String> options) throws IOException {
        return start(List.of(), options, "TERM");
    }

    private static Process start(List<String> prefix, List<String> options, String signal) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TrapSignalMain.class.getName(), signal));
        Process child = new ProcessBuilder(command).start();
        child.getOutputStream().close();
        return child;
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String errors(Process child) throws IOException {
        return "\nstderr: " + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
