import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what bench/profile.sh collected (async-profiler's collapsed stacks, the server's per-thread
 * CPU before and after, the GC log of the window, wrk's output) into a Markdown summary: where the
 * server's CPU went, by category and in microseconds per request.
 *
 * <p>Run with a JDK 25 source launcher: {@code java bench/ProfileSummary.java --dir D --out F
 * --event cpu --title T}.
 */
public class ProfileSummary {

    /** A sample belongs to the first category, in this order, whose test matches its stack. */
    record Category(String name, String why, java.util.function.Predicate<String> matches) {
    }

    static final List<Category> CATEGORIES = List.of(
            new Category("JIT compiler threads", "C1/C2 compiling on the server's core",
                    s -> s.contains("CompileBroker::")),
            new Category("GC threads", "collector threads (pauses)",
                    s -> s.contains("GCTaskThread") || s.contains("WorkerThread::run") || s.contains("PSScavenge")
                            || s.contains("ParallelScavengeHeap") || s.contains("VM_ParallelGC")),
            new Category("socket writes (syscall and kernel TCP)", "writev/write of responses, including loopback delivery to wrk",
                    s -> s.contains("SocketDispatcher.writev0") || s.contains("SocketDispatcher.write0")),
            new Category("socket reads (syscall and kernel TCP)", "read of requests",
                    s -> s.contains("SocketDispatcher.read0") || s.contains("SocketDispatcher.readv0")),
            new Category("epoll_wait and the JDK selector", "selecting ready keys (not the handlers they run)",
                    s -> s.contains("EPollSelectorImpl.doSelect") && !s.contains("dev/strand/reactor/EventLoop.dispatch")),
            new Category("HTTP parsing", "Http1Parser",
                    s -> s.contains("dev/strand/http/internal/Http1Parser")),
            new Category("application handler", "the demo's handler code, Jackson included",
                    s -> s.contains("dev/strand/demo/")
                            && !s.contains("dev/strand/http/internal/Http1Response.send") && !s.contains("dev/strand/reactor/Fiber.sleep")),
            new Category("fiber start, park and resume (JDK)", "virtual-thread and continuation machinery",
                    ProfileSummary::inFiberMachinery),
            new Category("other Strand (encode, queue, timers, loop)", "response encoding, write queue, timers, loop phases",
                    s -> s.contains("dev/strand/")),
            new Category("other", "everything else (JVM, kernel outside the above)", s -> true));

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        Path dir = Path.of(opts.getOrDefault("--dir", "."));
        Path out = Path.of(opts.getOrDefault("--out", dir.resolve("summary.md").toString()));
        String event = opts.getOrDefault("--event", "cpu");
        String title = opts.getOrDefault("--title", "Profile");

        Map<String, Long> byCategory = new LinkedHashMap<>();
        CATEGORIES.forEach(c -> byCategory.put(c.name(), 0L));
        Map<String, Long> selfFrames = new HashMap<>();
        Map<String, Long> inclusiveFrames = new HashMap<>();
        long total = 0;
        for (String line : Files.readAllLines(dir.resolve("stacks.collapsed"))) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String stack = line.substring(0, space);
            long n = Long.parseLong(line.substring(space + 1).trim());
            total += n;
            for (Category c : CATEGORIES) {
                if (c.matches().test(stack)) {
                    byCategory.merge(c.name(), n, Long::sum);
                    break;
                }
            }
            String[] frames = stack.split(";");
            selfFrames.merge(frames[frames.length - 1], n, Long::sum);
            for (String f : new java.util.HashSet<>(List.of(frames))) {
                if (f.startsWith("dev/strand/") || f.startsWith("java/") || f.startsWith("sun/") || f.startsWith("jdk/")) {
                    inclusiveFrames.merge(f, n, Long::sum);
                }
            }
        }

        String wrk = Files.readString(dir.resolve("wrk.txt"));
        double requests = match(wrk, "(\\d+) requests in");
        double rps = match(wrk, "Requests/sec:\\s+([\\d.]+)");
        String p50 = matchText(wrk, "50%\\s+(\\S+)");
        String p99 = matchText(wrk, "99%\\s+(\\S+)");
        Map<String, long[]> threads = threadDeltas(dir);
        long serverCpuNs = threads.values().stream().mapToLong(t -> t[0]).sum();
        double seconds = match(wrk, "requests in ([\\d.]+)s");

        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append(String.format(Locale.ROOT, "wrk: %,.0f req/s, p50 %s, p99 %s; the server used %.2f s of CPU in the window "
                        + "(%.0f %% of its core), %.2f µs per request.%n%n",
                rps, p50, p99, serverCpuNs / 1e9, seconds > 0 ? 100.0 * serverCpuNs / 1e9 / seconds : 0,
                requests > 0 ? serverCpuNs / 1e3 / requests : 0));
        if (event.equals("cpu")) {
            md.append("## Where the CPU went\n\n");
            md.append("Each sample counts once, in the first category (top to bottom) its stack matches.\n\n");
            md.append("| category | share | µs per request | what |\n|---|---|---|---|\n");
            for (Category c : CATEGORIES) {
                long n = byCategory.get(c.name());
                double share = total == 0 ? 0 : (double) n / total;
                md.append(String.format(Locale.ROOT, "| %s | %.1f %% | %.2f | %s |%n", c.name(), 100 * share,
                        requests > 0 ? share * serverCpuNs / 1e3 / requests : 0, c.why()));
            }
            md.append('\n');
        }
        md.append("## The server's threads in the window\n\n| thread | CPU (ms) | waiting for a CPU (ms) |\n|---|---|---|\n");
        threads.entrySet().stream()
                .filter(e -> e.getValue()[0] >= 1_000_000 || e.getValue()[1] >= 1_000_000)
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n",
                        e.getKey(), e.getValue()[0] / 1e6, e.getValue()[1] / 1e6)));
        List<String> gc = Files.exists(dir.resolve("gc-window.log"))
                ? Files.readAllLines(dir.resolve("gc-window.log")).stream().filter(l -> l.contains("Pause")).toList() : List.of();
        double pauseMs = gc.stream().mapToDouble(l -> match(l, "([\\d.]+)ms\\s*$")).sum();
        md.append(String.format(Locale.ROOT, "%nGC: %d pauses in the window, %.1f ms in all%s.%n%n", gc.size(), pauseMs,
                gc.isEmpty() ? "" : String.format(Locale.ROOT, ", the longest %.1f ms",
                        gc.stream().mapToDouble(l -> match(l, "([\\d.]+)ms\\s*$")).max().orElse(0))));
        long samples = Math.max(1, total);
        md.append("## Hottest frames\n\n| self | frame |\n|---|---|\n");
        top(selfFrames, 20).forEach(e -> md.append(String.format(Locale.ROOT, "| %.1f %% | `%s` |%n",
                100.0 * e.getValue() / samples, e.getKey())));
        md.append("\n| inclusive | Java frame |\n|---|---|\n");
        top(inclusiveFrames, 30).forEach(e -> md.append(String.format(Locale.ROOT, "| %.1f %% | `%s` |%n",
                100.0 * e.getValue() / samples, e.getKey())));
        Files.writeString(out, md);
        System.out.print(md);
    }

    /** The leafmost Strand frame calls into virtual-thread machinery (start, park, freeze, thaw, mount). */
    static boolean inFiberMachinery(String stack) {
        int lastStrand = stack.lastIndexOf("dev/strand/");
        String below = lastStrand < 0 ? stack : stack.substring(lastStrand);
        return below.contains("java/lang/VirtualThread") || below.contains("jdk/internal/vm/Continuation")
                || below.contains("ThreadBuilders") || below.contains("freeze") || below.contains("thaw")
                || below.contains("ThreadContainer");
    }

    static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int n) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        return entries.subList(0, Math.min(n, entries.size()));
    }

    /** Per thread name: CPU ns and run-queue wait ns between the two snapshots. */
    static Map<String, long[]> threadDeltas(Path dir) throws IOException {
        Map<String, long[]> before = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("threads-before.txt"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 4) {
                before.put(f[0], new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
            }
        }
        Map<String, long[]> byName = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("threads-after.txt"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 4) {
                continue;
            }
            long[] b = before.getOrDefault(f[0], new long[2]);
            long[] sum = byName.computeIfAbsent(f[1], k -> new long[2]);
            sum[0] += Long.parseLong(f[2]) - b[0];
            sum[1] += Long.parseLong(f[3]) - b[1];
        }
        return byName;
    }

    static double match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static String matchText(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : "?";
    }
}
