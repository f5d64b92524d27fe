import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The PostgreSQL the database shapes run against, seen from the sweep: reached with {@code psql}
 * (to check the seed and what the servers wrote), its processes found under {@code /proc} (to pin
 * them off the server's core and to count their CPU).
 */
final class Postgres {

    private static final String PREFIX = "jdbc:postgresql://";

    final String url;
    final String host;
    final int port;
    final String database;
    /** The URL's {@code user=}, or null: then psql, like pgjdbc, uses the operating-system user. */
    final String user;
    private final Sweep sweep;

    /** @throws IllegalArgumentException when {@code url} is not a {@code jdbc:postgresql://host[:port]/db} URL */
    Postgres(Sweep sweep, String url) {
        this.sweep = sweep;
        this.url = url;
        if (!url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("--db-url needs a " + PREFIX + "host[:port]/database URL: " + url);
        }
        String rest = url.substring(PREFIX.length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("--db-url has no host or no database: " + url);
        }
        String hostPort = rest.substring(0, slash);
        int colon = hostPort.lastIndexOf(':');
        try {
            port = colon > 0 ? Integer.parseInt(hostPort.substring(colon + 1)) : 5432;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--db-url has a bad port: " + url);
        }
        host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
        if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
            throw new IllegalArgumentException("--db-url must name a PostgreSQL on this machine (127.0.0.1): " + url);
        }
        database = URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8);
        String u = null;
        for (String pair : query.split("&")) {
            if (pair.startsWith("user=")) {
                u = URLDecoder.decode(pair.substring("user=".length()), StandardCharsets.UTF_8);
            }
        }
        user = u;
    }

    /** Runs one statement through psql: unaligned, tuples only; the output, or the failure. */
    Processes.Captured psql(String sql) {
        List<String> cmd = new ArrayList<>(List.of("psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", host, "-p", Integer.toString(port), "-d", database));
        if (user != null) {
            cmd.addAll(List.of("-U", user));
        }
        cmd.addAll(List.of("-c", sql));
        return Processes.capture(cmd, 30);
    }

    /**
     * Leaves PostgreSQL in the same state for every server: the dead rows an earlier server's
     * {@code /updates} left are vacuumed, and dirty pages written out, so that neither an autovacuum
     * nor a checkpoint falls on whichever server happens to run next. What failed (a checkpoint needs
     * a superuser), or an empty string.
     */
    String settle() {
        StringBuilder problems = new StringBuilder();
        for (String sql : List.of("VACUUM ANALYZE world", "VACUUM ANALYZE fortune", "CHECKPOINT")) {
            Processes.Captured c = psql(sql);
            if (c.exit() != 0) {
                problems.append(problems.isEmpty() ? "" : "; ").append(sql).append(": ").append(Sweep.firstLines(c.output(), 1));
            }
        }
        return problems.toString();
    }

    /** {@code SELECT version()}, or why it could not be read. */
    String version() {
        Processes.Captured c = psql("SELECT version()");
        return c.exit() == 0 ? c.output().trim() : "unknown (" + Sweep.firstLines(c.output(), 1) + ")";
    }

    /** What keeps the database shapes from running here: unreachable, or not seeded as TechEmpower's. */
    Optional<String> problem() {
        Processes.Captured c = psql("SELECT (SELECT count(*) FROM world WHERE id BETWEEN 1 AND 10000 "
                + "AND randomnumber BETWEEN 1 AND 10000), (SELECT count(*) FROM fortune)");
        if (c.exit() != 0) {
            return Optional.of("PostgreSQL " + url + " cannot be read with psql: " + Sweep.firstLines(c.output(), 2)
                    + " (bench/seed-db.sh seeds it)");
        }
        String counts = c.output().trim();
        return counts.equals("10000|12") ? Optional.empty()
                : Optional.of("PostgreSQL " + url + " is not seeded as TechEmpower's: world and fortune rows " + counts
                        + " instead of 10000|12 (bench/seed-db.sh seeds it)");
    }

    /** The {@code randomNumber} of each of {@code ids} as the database has it now. */
    Map<Integer, Integer> world(Collection<Integer> ids) throws IOException {
        if (ids.isEmpty()) {
            return Map.of();
        }
        String in = ids.stream().distinct().map(String::valueOf).collect(Collectors.joining(","));
        Processes.Captured c = psql("SELECT id, randomnumber FROM world WHERE id IN (" + in + ")");
        if (c.exit() != 0) {
            throw new IOException("psql: " + Sweep.firstLines(c.output(), 2));
        }
        Map<Integer, Integer> rows = new HashMap<>();
        for (String line : c.output().trim().split("\n")) {
            String[] f = line.split("\\|");
            if (f.length == 2) {
                rows.put(Integer.parseInt(f[0].trim()), Integer.parseInt(f[1].trim()));
            }
        }
        return rows;
    }

    // ---- processes --------------------------------------------------------------------------------

    /**
     * The postmaster's pid: from {@code postmaster.pid} in the data directory the server reports,
     * else the {@code postgres} process whose parent is not one.
     */
    Optional<Long> postmaster() {
        Processes.Captured c = psql("SELECT setting FROM pg_settings WHERE name = 'data_directory'");
        if (c.exit() == 0 && !c.output().isBlank()) {
            try {
                String first = Files.readAllLines(Path.of(c.output().trim(), "postmaster.pid")).getFirst().trim();
                long pid = Long.parseLong(first);
                if (Files.exists(Path.of("/proc/" + pid))) {
                    return Optional.of(pid);
                }
            } catch (IOException | RuntimeException e) {
                // fall back to /proc
            }
        }
        Map<Long, Long> parents = processTable();
        return parents.keySet().stream()
                .filter(pid -> "postgres".equals(comm(pid)) && !"postgres".equals(comm(parents.get(pid))))
                .findFirst();
    }

    /** The postmaster and every process under it (backends, background workers). */
    List<Long> processes(long postmaster) {
        Map<Long, Long> parents = processTable();
        List<Long> all = new ArrayList<>(List.of(postmaster));
        for (int i = 0; i < all.size(); i++) {
            long parent = all.get(i);
            parents.forEach((pid, ppid) -> {
                if (ppid == parent) {
                    all.add(pid);
                }
            });
        }
        return all;
    }

    /** CPU ticks so far of each of PostgreSQL's processes. */
    Map<Long, Long> cpuTicks(long postmaster) {
        Map<Long, Long> ticks = new HashMap<>();
        for (long pid : processes(postmaster)) {
            long t = ProcStats.cpuTicks(pid, false);
            if (t >= 0) {
                ticks.put(pid, t);
            }
        }
        return ticks;
    }

    /** PostgreSQL's CPU from {@code before} to {@code after}; a process new since counts from zero. */
    static long ticksBetween(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (var e : after.entrySet()) {
            sum += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
        }
        return sum;
    }

    static Map<Long, Long> processTable() {
        Map<Long, Long> parents = new HashMap<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    parents.put(Long.parseLong(name), Long.parseLong(f[1]));
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            // no /proc: nothing found
        }
        return parents;
    }

    static String comm(Long pid) {
        if (pid == null) {
            return "";
        }
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    // ---- pinning ----------------------------------------------------------------------------------

    /**
     * PostgreSQL's processes pinned to one core until {@link #restore()}: their affinity masks as they
     * were, to put back. New backends inherit the postmaster's affinity, so a server that connects
     * after the pin gets pinned backends too.
     */
    final class Pinning {
        final long postmaster;
        final int core;
        /** pid to its mask before the pin (hex, as taskset prints it). */
        final Map<Long, String> masks = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();

        Pinning(long postmaster, int core) {
            this.postmaster = postmaster;
            this.core = core;
        }

        /** Puts every pinned process still alive, and any new one under the postmaster, back as it was. */
        void restore() {
            String postmasterMask = masks.get(postmaster);
            for (long pid : processes(postmaster)) {
                String mask = masks.getOrDefault(pid, postmasterMask);
                if (mask != null) {
                    Processes.Captured c = Processes.capture(List.of("taskset", "-a", "-p", mask, Long.toString(pid)), 10);
                    if (c.exit() != 0 && Files.exists(Path.of("/proc/" + pid))) {
                        Sweep.log("PostgreSQL: could not restore the affinity of %d: %s", pid, Sweep.firstLines(c.output(), 1));
                    }
                }
            }
            Sweep.log("PostgreSQL: affinity restored (postmaster %d, mask %s)", postmaster, postmasterMask);
        }
    }

    /** Pins the postmaster and every process under it to {@code core}; problems, if any, say why not. */
    Pinning pin(int core) {
        Optional<Long> pm = postmaster();
        if (pm.isEmpty()) {
            Pinning none = new Pinning(-1, core);
            none.problems.add("PostgreSQL's postmaster not found: not pinned");
            return none;
        }
        Pinning p = new Pinning(pm.get(), core);
        for (long pid : processes(pm.get())) {
            Processes.Captured now = Processes.capture(List.of("taskset", "-p", Long.toString(pid)), 10);
            String out = now.output().trim();
            int colon = out.lastIndexOf(':');
            if (now.exit() != 0 || colon < 0) {
                continue; // exited meanwhile
            }
            String mask = out.substring(colon + 1).trim();
            Processes.Captured set = Processes.capture(List.of("taskset", "-a", "-p", "-c", Integer.toString(core), Long.toString(pid)), 10);
            if (set.exit() == 0) {
                p.masks.put(pid, mask);
            } else if (Files.exists(Path.of("/proc/" + pid))) {
                p.problems.add("could not pin PostgreSQL process " + pid + ": " + Sweep.firstLines(set.output(), 1));
            }
        }
        Sweep.log("PostgreSQL: %d processes (postmaster %d) pinned to core %d%s", p.masks.size(), p.postmaster, core,
                p.problems.isEmpty() ? "" : "; " + p.problems);
        return p;
    }
}
