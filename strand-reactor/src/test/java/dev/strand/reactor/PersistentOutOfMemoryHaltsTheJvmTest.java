package dev.strand.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Under the default {@link OutOfMemoryPolicy}, persistent out-of-memory errors end the process at
 * once with the documented status and say why on standard error, instead of leaving it half-dead.
 * Run in a child JVM, since the policy halts it.
 */
class PersistentOutOfMemoryHaltsTheJvmTest {

    @Test
    void threeOutOfMemoryErrorsInARowHaltTheJvmWithStatus3() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(System.getProperty("strand.test.opens", "").trim().split("\\s+")));
        command.removeIf(String::isEmpty);
        command.addAll(List.of("-Xmx64m", "-cp", System.getProperty("java.class.path"),
                PersistentOutOfMemoryMain.class.getName()));
        Process child = new ProcessBuilder(command).start();
        try {
            child.getOutputStream().close();
            assertTrue(child.waitFor(20, TimeUnit.SECONDS), "the JVM was still running 20 s after it started");
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

            assertEquals(OutOfMemoryPolicy.HALT_STATUS, child.exitValue(), "stdout: " + out + "\nstderr: " + err);
            assertTrue(out.contains("thrown"), "the child did not get to throw: " + out + err);
            assertTrue(err.contains("3 OutOfMemoryErrors within 10 s; halting the JVM with status 3"), err);
        } finally {
            child.destroyForcibly();
        }
    }
}
