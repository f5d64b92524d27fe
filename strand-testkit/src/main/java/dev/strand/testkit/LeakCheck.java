package dev.strand.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * What a piece of test code left behind: compares the process's threads, listening TCP ports and
 * open file descriptors with a snapshot taken before it.
 *
 * <pre>{@code
 * LeakCheck check = LeakCheck.start();
 * try (Reactor reactor = Reactor.create()) {
 *     ...
 * }
 * check.assertNothingLeaked(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>What counts as a leak, compared with the snapshot:
 * <ul>
 *   <li>a platform thread, alive, started since, that is not a daemon or is one of Strand's own
 *       (its class is in {@code dev.strand}, such as a loop's thread, or it is a reactor's stall
 *       watchdog); daemon threads of pools that idle out, such as the offload pool's, are not leaks;</li>
 *   <li>a TCP port this process listens on that it did not listen on before (Linux only, from
 *       {@code /proc/net/tcp} and {@code tcp6}, matched to this process's sockets);</li>
 *   <li>more open file descriptors than before (Linux, {@code /proc/self/fd}); the message lists
 *       what the new ones point to. Descriptors the JDK opens once and keeps (jar and module files,
 *       files under {@code java.home}, {@code /dev/random} and {@code /dev/urandom}) are not counted,
 *       nor loops' timer wake-ups ({@code timerfd}s, which the reactor adds to running loops in the
 *       background); a loop left running is found by its thread and its selector.</li>
 * </ul>
 * On systems without {@code /proc} only threads are compared.
 *
 * <p>Threading: {@link #start()} and {@link #leaks()} from any thread; the snapshot is immutable.
 * Things close asynchronously (a server's connection after the client's close, a loop after
 * {@code stop}), so {@link #assertNothingLeaked} waits for the leaks to go, up to its timeout.
 *
 * <p>Failures: {@link #assertNothingLeaked} throws an {@link AssertionError} listing every leak:
 * each thread with its state and top frames, each port, and each new descriptor's target.
 */
public final class LeakCheck {

    private static final Path FDS = Path.of("/proc/self/fd");
    private static final long POLL_NANOS = 10_000_000;
    private static final int FRAMES = 6;
    /**
     * A loop's exact timer wake-up, which the reactor adds in the background about a second after the
     * first loop of the JVM starts: to a loop that was running before the snapshot, perhaps during the
     * test. Not counted; a loop left running shows by its thread and its selector anyway.
     */
    private static final String TIMER_WAKEUP = "anon_inode:[timerfd]";

    private final Set<Thread> threads;
    private final Set<Integer> ports;
    private final Map<String, Integer> descriptors;
    private final int descriptorCount;

    private LeakCheck(Set<Thread> threads, Set<Integer> ports, Map<String, Integer> descriptors) {
        this.threads = threads;
        this.ports = ports;
        this.descriptors = descriptors;
        this.descriptorCount = descriptors.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Takes the snapshot to compare with. Any thread. */
    public static LeakCheck start() {
        Set<Thread> threads = Collections.newSetFromMap(new IdentityHashMap<>());
        threads.addAll(Thread.getAllStackTraces().keySet());
        return new LeakCheck(threads, listeningPorts(), descriptors());
    }

    /**
     * What leaked since the snapshot, one line (or a few, for a thread's frames) per leak; empty
     * when nothing did. Looks once, without waiting. Any thread.
     */
    public List<String> leaks() {
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            Thread thread = entry.getKey();
            if (!threads.contains(thread) && thread.isAlive() && counts(thread)) {
                StringBuilder line = new StringBuilder("thread \"").append(thread.getName()).append('"')
                        .append(thread.isDaemon() ? " (daemon, " : " (non-daemon, ").append(thread.getState()).append(')');
                StackTraceElement[] frames = entry.getValue();
                for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
                    line.append("\n        at ").append(frames[i]);
                }
                leaks.add(line.toString());
            }
        }
        Set<Integer> listening = new HashSet<>(listeningPorts());
        listening.removeAll(ports);
        listening.stream().sorted().forEach(port -> leaks.add("listening TCP port " + port));
        Map<String, Integer> now = descriptors();
        int count = now.values().stream().mapToInt(Integer::intValue).sum();
        if (count > descriptorCount) {
            List<String> targets = new ArrayList<>();
            now.forEach((target, n) -> {
                for (int i = descriptors.getOrDefault(target, 0); i < n; i++) {
                    targets.add(target);
                }
            });
            leaks.add((count - descriptorCount) + " more file descriptors open (" + count + ", " + descriptorCount
                    + " before), new: " + targets);
        }
        return leaks;
    }

    /**
     * Waits until nothing counts as leaked, checking every 10 ms; returns as soon as that holds.
     *
     * @throws AssertionError listing the leaks when they are still there after {@code timeout}
     */
    public void assertNothingLeaked(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> leaks = leaks();
        while (!leaks.isEmpty()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("leaked, still there after " + timeout.toMillis() + " ms:\n    "
                        + String.join("\n    ", leaks));
            }
            LockSupport.parkNanos(POLL_NANOS);
            leaks = leaks();
        }
    }

    private static boolean counts(Thread thread) {
        if (!thread.isDaemon() || thread.getClass().getName().startsWith("dev.strand.")) {
            return true;
        }
        return thread.getName().endsWith("-stall-watchdog");
    }

    /** Open descriptors by what they point to, leaving out those the JDK opens once and keeps. */
    private static Map<String, Integer> descriptors() {
        if (!Files.isDirectory(FDS)) {
            return Map.of();
        }
        Map<String, Integer> targets = new TreeMap<>();
        String javaHome = System.getProperty("java.home", "/nonexistent");
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException | UnsupportedOperationException e) {
                    continue; // closed while we looked, such as this listing's own descriptor
                }
                if (target.endsWith(".jar") || target.endsWith(".jmod") || target.startsWith(javaHome)
                        || target.equals("/dev/random") || target.equals("/dev/urandom") || target.equals(TIMER_WAKEUP)
                        || target.startsWith("/proc/") && target.endsWith("/fd")) {
                    continue;
                }
                targets.merge(target, 1, Integer::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + FDS, e);
        }
        return targets;
    }

    /** The TCP ports this process listens on; empty without /proc. Any thread; also for the kit's tests. */
    static Set<Integer> listeningPorts() {
        Set<String> sockets = new HashSet<>();
        descriptors().keySet().forEach(target -> {
            if (target.startsWith("socket:[")) {
                sockets.add(target.substring(8, target.length() - 1));
            }
        });
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(path);
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...; 0A is LISTEN
                if (fields.length > 9 && fields[3].equals("0A") && sockets.contains(fields[9])) {
                    String local = fields[1];
                    ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }
}
