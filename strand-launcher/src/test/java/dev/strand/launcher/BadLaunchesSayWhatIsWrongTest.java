package dev.strand.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A launch that cannot happen stops with a message that names the problem, and the right exit status. */
class BadLaunchesSayWhatIsWrongTest {

    private static LaunchException refused(List<String> args, Map<String, String> environment) {
        return assertThrows(LaunchException.class, () -> Strand.launch(args, environment, System.out).ifPresent(Launched::close));
    }

    @Test
    void anUnknownSettingOrABadValueNamesTheKeyTheValueAndTheSource() {
        LaunchException e = refused(List.of(HelloApplication.class.getName(), "--server.idel-timeout=5s"),
                Map.of("STRAND_SERVER_PORT", "http"));
        assertEquals(2, e.exitCode());
        assertEquals("invalid configuration, 2 problems:\n"
                + "  STRAND_SERVER_PORT = 'http' (environment variable STRAND_SERVER_PORT): not a whole number (or out of range); expected a whole number\n"
                + "  --server.idel-timeout = '5s' (command line --server.idel-timeout): unknown setting; did you mean server.idle-timeout?",
                e.getMessage());
    }

    @Test
    void theDbFlagNeedsAnApplicationWithADatabase() {
        LaunchException e = refused(List.of(HelloApplication.class.getName(), "--db", "postgresql://localhost/test"), Map.of());
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("--db.url = 'postgresql://localhost/test' (command line --db.url): unknown setting"), e.getMessage());
    }

    @Test
    void classesThatCannotBeRunAreNamed() {
        assertEquals("no class com.example.Missing on the class path", refused(List.of("com.example.Missing"), Map.of()).getMessage());
        assertEquals(String.class.getName() + " is neither a dev.strand.launcher.Application nor a dev.strand.launcher.Service",
                refused(List.of(String.class.getName()), Map.of()).getMessage());
        LaunchException none = refused(List.of(), Map.of());
        assertTrue(none.getMessage().startsWith("no application: name its class"), none.getMessage());
    }

    @Test
    void moreThanOneWorkerIsRefusedUntilClusterModeExists() {
        LaunchException e = refused(List.of(HelloApplication.class.getName(), "--workers", "4"), Map.of());
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("cluster mode"), e.getMessage());
    }

    @Test
    void aBadLauncherFlagIsAUsageError() {
        LaunchException e = refused(List.of(HelloApplication.class.getName(), "--port", "eighty"), Map.of());
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("--port") && e.getMessage().contains("eighty"), e.getMessage());
    }

    @Test
    void helpPrintsTheUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(Strand.launch(List.of("--help"), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8)).isEmpty());
        String usage = out.toString(StandardCharsets.UTF_8);
        assertTrue(usage.startsWith("Usage: strand"), usage);
        assertTrue(usage.contains("--config=FILE") && usage.contains("--print-config") && usage.contains("--key=value"), usage);
    }

    @Test
    void theCommandExitsWithStatusTwoAndSaysWhyOnStandardError() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(System.getProperty("strand.test.opens", "").trim().split("\\s+")));
        command.removeIf(String::isEmpty);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Strand.class.getName(),
                HelloApplication.class.getName(), "--server.port=99999"));
        Process child = new ProcessBuilder(command).start();
        try {
            child.getOutputStream().close();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the launcher did not exit");
            String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, child.exitValue(), err);
            assertTrue(err.contains("strand: invalid configuration: --server.port = '99999' (command line --server.port): must be between 0 and 65535"),
                    err);
        } finally {
            child.destroyForcibly();
        }
    }
}
