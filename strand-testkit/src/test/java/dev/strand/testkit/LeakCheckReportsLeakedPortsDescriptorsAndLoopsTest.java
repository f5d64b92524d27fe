package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strand.reactor.Reactor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Beyond threads, the leak check finds a listening port, an open file and a whole reactor left
 * behind, saying what each is; once they are closed it passes.
 */
class LeakCheckReportsLeakedPortsDescriptorsAndLoopsTest {

    private ServerSocket listener;
    private FileChannel file;
    private Reactor reactor;
    private Path path;

    @BeforeEach
    void linuxOnly() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "ports and descriptors are read from /proc");
        path = Files.createTempFile("leak-check", ".txt");
    }

    @AfterEach
    void close() throws IOException {
        if (listener != null) {
            listener.close();
        }
        if (file != null) {
            file.close();
        }
        if (reactor != null) {
            reactor.close();
        }
        Files.deleteIfExists(path);
    }

    @Test
    void aListeningPortIsReportedByNumber() throws IOException {
        LeakCheck check = LeakCheck.start();
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        String message = failureOf(check);
        assertTrue(message.contains("listening TCP port " + listener.getLocalPort()), message);
        listener.close();
        check.assertNothingLeaked(Duration.ofSeconds(5));
    }

    @Test
    void anOpenFileIsReportedByItsPath() throws IOException {
        LeakCheck check = LeakCheck.start();
        file = FileChannel.open(path);
        String message = failureOf(check);
        assertTrue(message.contains("1 more file descriptors open"), message);
        assertTrue(message.contains(path.toRealPath().toString()), message);
        file.close();
        check.assertNothingLeaked(Duration.ofSeconds(5));
    }

    @Test
    void aReactorLeftRunningIsReportedByItsLoopThreadAndSelector() {
        LeakCheck check = LeakCheck.start();
        reactor = Reactor.builder().name("leaky").loops(1).build();
        String message = failureOf(check);
        assertTrue(message.contains("thread \"leaky-"), message);
        assertTrue(message.contains("-loop-0\" (non-daemon"), message);
        assertTrue(message.contains("anon_inode:[eventpoll]"), message);
        reactor.close();
        check.assertNothingLeaked(Duration.ofSeconds(5));
    }

    @Test
    void nothingLeftIsNothingLeaked() {
        LeakCheck check = LeakCheck.start();
        try (Reactor closed = Reactor.builder().loops(1).build()) {
            assertTrue(closed.loops().size() == 1);
        }
        check.assertNothingLeaked(Duration.ofSeconds(5));
        assertTrue(check.leaks().isEmpty(), () -> String.join("\n", check.leaks()));
    }

    private static String failureOf(LeakCheck check) {
        List<String> leaks = check.leaks();
        assertTrue(!leaks.isEmpty(), "a leak was not seen");
        try {
            check.assertNothingLeaked(Duration.ofMillis(50));
        } catch (AssertionError expected) {
            assertTrue(expected.getMessage().startsWith("leaked, still there after 50 ms"), expected.getMessage());
            return expected.getMessage();
        }
        throw new AssertionError("assertNothingLeaked passed with leaks: " + leaks);
    }
}
