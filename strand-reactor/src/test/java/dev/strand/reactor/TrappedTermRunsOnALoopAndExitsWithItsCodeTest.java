package dev.strand.reactor;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A trapped TERM no longer ends the JVM by itself: the trap's handler runs on a loop and decides,
 * here exiting with a status of its own. Run in a child JVM: TERM is never sent to the test's.
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

    static Process start(List<String> options) throws IOException {
        return start(List.of(), options, "TERM");
    }

    /** Starts {@link TrapSignalMain} trapping {@code signal}, in a JVM given {@code options}, under {@code prefix}. */
    static Process start(List<String> prefix, List<String> options, String signal) throws IOException {
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

    /** The child's standard error; only once it has ended, since this reads to the end. */
    static String errors(Process child) throws IOException {
        return "\nstderr: " + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
