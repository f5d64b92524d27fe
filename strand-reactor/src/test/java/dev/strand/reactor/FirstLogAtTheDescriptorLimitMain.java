package dev.strand.reactor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link FirstLogRecordAtTheDescriptorLimitIsWrittenTest}, run under a low
 * open-file limit: starts a reactor, lets its warm-up finish, uses up every descriptor, then writes
 * the process's first log record. Prints {@code LOGGED} when that worked; exits with 1 when it threw.
 */
public final class FirstLogAtTheDescriptorLimitMain {

    private FirstLogAtTheDescriptorLimitMain() {
    }

    public static void main(String[] args) throws Exception {
        Reactor reactor = Reactor.builder().loops(1).name("limit").build();
        if (!LogWarmUp.awaitDone(Duration.ofSeconds(15))) {
            System.out.println("the warm-up did not finish");
            Runtime.getRuntime().halt(2);
        }
        List<FileChannel> held = new ArrayList<>();
        try {
            while (held.size() < 100_000) {
                held.add(FileChannel.open(Path.of("/dev/null")));
            }
        } catch (IOException limitReached) {
            System.out.println("holding " + held.size() + " descriptors: " + limitReached.getMessage());
        }
        try {
            System.getLogger("dev.strand.test").log(System.Logger.Level.ERROR, "first record, at the limit",
                    new IOException("Too many open files (expected by the test)"));
            System.out.println("LOGGED");
        } catch (Throwable t) {
            System.out.println("the first log record threw " + t);
            Runtime.getRuntime().halt(1);
        }
        Runtime.getRuntime().halt(0); // no clean-up: there are no descriptors left for it
    }
}
