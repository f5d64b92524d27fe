package dev.strand.reactor;

import static dev.strand.reactor.TrappedTermRunsOnALoopAndExitsWithItsCodeTest.errors;
import static dev.strand.reactor.TrappedTermRunsOnALoopAndExitsWithItsCodeTest.start;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A signal the JVM will not hand over fails to be trapped, with an exception naming it, rather than
 * being trapped in vain: under {@code -Xrs} the JVM keeps TERM, INT and HUP for itself; under
 * {@code nohup} it leaves HUP ignored. Each in a child JVM ({@link TrapSignalMain}).
 */
class RefusedSignalsFailNamingTheSignalTest {

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
}
