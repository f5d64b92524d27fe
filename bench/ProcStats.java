import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What /proc (and the JDK's jcmd and jstat) say about a process or a core: CPU ticks, RSS, live heap, limits. */
final class ProcStats {

    private ProcStats() {
    }

    /** utime+stime of {@code pid} (or cutime+cstime, its reaped children), in clock ticks; -1 if unknown. */
    static long cpuTicks(long pid, boolean children) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): utime 14, stime 15, cutime 16, cstime 17.
            int i = children ? 13 : 11;
            return Long.parseLong(f[i]) + Long.parseLong(f[i + 1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The server's CPU ticks and core 0's busy ticks at one moment. */
    record CoreSample(long server, long core0) {

        static CoreSample take(long pid) {
            return new CoreSample(cpuTicks(pid, false), coreBusyTicks(0));
        }

        double serverShare(CoreSample after, double wallSeconds, long hz) {
            // Pinned to one core: above 100 % is only the tick granularity of a short step.
            return server < 0 || after.server < 0 ? Double.NaN
                    : Math.min(1.0, (after.server - server) / (double) hz / wallSeconds);
        }

        double otherShare(CoreSample after, double wallSeconds, long hz) {
            if (server < 0 || after.server < 0 || core0 < 0 || after.core0 < 0) {
                return Double.NaN;
            }
            long other = (after.core0 - core0) - (after.server - server);
            return Math.min(1.0, Math.max(0, other) / (double) hz / wallSeconds);
        }
    }

    /** user + nice + system + steal of one core, from /proc/stat, in clock ticks; -1 if unknown. */
    static long coreBusyTicks(int core) {
        return coreBusyTicks(core, false);
    }

    /** As {@link #coreBusyTicks(int)}, plus irq and softirq time when {@code interrupts}. */
    static long coreBusyTicks(int core, boolean interrupts) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu" + core + " ")) {
                    String[] f = line.trim().split("\\s+");
                    long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[8]);
                    return interrupts ? busy + Long.parseLong(f[6]) + Long.parseLong(f[7]) : busy;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    /**
     * The server's live heap in KiB: a full GC ({@code jcmd <pid> GC.run}), then the used space of
     * every heap space ({@code jstat -gc}). NaN when the JDK's tools are not beside {@code java}.
     */
    static double liveHeapKib(Sweep sweep, long pid) {
        Path bin = Path.of(sweep.javaCmd).getParent();
        if (bin == null || !Files.isExecutable(bin.resolve("jcmd")) || !Files.isExecutable(bin.resolve("jstat"))) {
            return Double.NaN;
        }
        Processes.Captured gc = Processes.capture(List.of(bin.resolve("jcmd").toString(), Long.toString(pid), "GC.run"), 60);
        if (gc.exit() != 0) {
            return Double.NaN;
        }
        Processes.Captured stat = Processes.capture(List.of(bin.resolve("jstat").toString(), "-gc", Long.toString(pid)), 60);
        List<String> lines = stat.output().lines().filter(l -> !l.isBlank()).toList();
        if (stat.exit() != 0 || lines.size() < 2) {
            return Double.NaN;
        }
        List<String> names = List.of(lines.get(0).trim().split("\\s+"));
        List<String> values = List.of(lines.get(1).trim().split("\\s+"));
        double used = 0;
        for (String column : List.of("S0U", "S1U", "EU", "OU")) {
            int i = names.indexOf(column);
            if (i < 0 || i >= values.size()) {
                return Double.NaN;
            }
            try {
                used += Double.parseDouble(values.get(i));
            } catch (NumberFormatException e) {
                return Double.NaN; // "-": a space this collector does not have
            }
        }
        return used;
    }

    static long fdLimit(String name, int column) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith(name)) {
                    String[] f = line.substring(name.length()).trim().split("\\s+");
                    return f[column - 1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[column - 1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return 1024;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2] + " (1, 5, 15 min)";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
