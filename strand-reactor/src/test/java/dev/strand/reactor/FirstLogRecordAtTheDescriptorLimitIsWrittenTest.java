package dev.strand.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A process whose first log record comes when it is out of file descriptors can still write it:
 * the reactor loaded the time-zone data and the default log formatting in the background after it
 * started. Without that, java.util.logging throws {@link NoClassDefFoundError} for this and every
 * later record. Run in a child JVM under {@code ulimit -n}.
 */
class FirstLogRecordAtTheDescriptorLimitIsWrittenTest {

    @Test
    void theFirstLogRecordIsWrittenWithNoDescriptorLeft() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) && Files.exists(Path.of("/dev/null")), "needs bash and /dev/null");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -n 128 && exec '" + java + "' " + System.getProperty("strand.test.opens", "")
                + " -cp '" + System.getProperty("java.class.path") + "' " + FirstLogAtTheDescriptorLimitMain.class.getName();
        Process child = new ProcessBuilder("bash", "-c", command).start();
        try {
            child.getOutputStream().close();
            assertTrue(child.waitFor(25, TimeUnit.SECONDS), "the child was still running after 25 s");
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

            assertTrue(out.contains("holding "), "the child did not reach the limit: " + out + err);
            assertTrue(out.contains("LOGGED"), "stdout: " + out + "\nstderr: " + err);
            assertEquals(0, child.exitValue(), out + err);
            assertTrue(err.contains("first record, at the limit"), "the record was not written: " + err);
            assertTrue(err.contains("Too many open files (expected by the test)"), "without its stack trace: " + err);
        } finally {
            child.destroyForcibly();
        }
    }
}
