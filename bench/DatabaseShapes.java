import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sweep's database shapes, TechEmpower's four, against the local PostgreSQL: for each server that
 * takes part, a start of its own with {@code --db URL --db-pool N}, PostgreSQL pinned off the
 * server's core for the while, every endpoint checked first, a warm-up, then one measured wrk step
 * per shape, each checked again after.
 */
final class DatabaseShapes {

    /** The shape ids, in report order (TechEmpower's). */
    static final List<String> IDS = List.of("db", "queries", "fortunes", "updates");
    /** The servers with database endpoints; the other peers take no part in these shapes. */
    static final List<String> SERVERS = List.of("strand", "vertx", "helidon");
    /** db and fortunes: TechEmpower runs 16 to 512 connections; the sweep's usual level. */
    static final int CONNS = Sweep.CONNS;
    /** queries and updates: TechEmpower's 512 connections. */
    static final int MANY_CONNS = 512;
    /** Rows per /queries and /updates request: TechEmpower's top level. */
    static final int QUERIES = 20;
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    /** Connections each server keeps to PostgreSQL (--db-pool), the same for every server. */
    static final int DEFAULT_POOL = 16;
    /** Where PostgreSQL runs during these shapes: with the load generator, off the server's core 0. */
    static final int POSTGRES_CORE = 1;

    /**
     * One database shape.
     *
     * @param path    what wrk asks for
     * @param conns   wrk's connections
     * @param queries rows per request (1 for db and fortunes)
     */
    record DbShape(String id, String path, int conns, int queries) {
    }

    static final List<DbShape> ALL = List.of(
            new DbShape("db", "/db", CONNS, 1),
            new DbShape("queries", "/queries?queries=" + QUERIES, MANY_CONNS, QUERIES),
            new DbShape("fortunes", "/fortunes", CONNS, 1),
            new DbShape("updates", "/updates?queries=" + QUERIES, MANY_CONNS, QUERIES));

    private DatabaseShapes() {
    }

    static boolean isDatabase(String shapeId) {
        return IDS.contains(shapeId);
    }

    static boolean takesPart(String server) {
        return SERVERS.contains(server);
    }

    /** How the report shows them. */
    static List<Shape> shapes() {
        return List.of(
                new Shape("db", "Database: single query",
                        "`GET /db`, " + CONNS + " connections (`wrk -t1 -c" + CONNS + "`): one random `World` row as JSON",
                        "rps", "req/s", true, true),
                new Shape("queries", "Database: " + QUERIES + " queries",
                        "`GET /queries?queries=" + QUERIES + "`, " + MANY_CONNS + " connections: " + QUERIES
                                + " random `World` rows, one `SELECT` each, as a JSON array",
                        "rps", "req/s", true, true),
                new Shape("fortunes", "Database: fortunes",
                        "`GET /fortunes`, " + CONNS + " connections: every `Fortune` row plus one added, sorted, "
                                + "rendered by the same precompiled JTE template in every server",
                        "rps", "req/s", true, true),
                new Shape("updates", "Database: " + QUERIES + " updates",
                        "`GET /updates?queries=" + QUERIES + "`, " + MANY_CONNS + " connections: " + QUERIES
                                + " rows read one by one, each given a new random number and written back",
                        "rps", "req/s", true, true));
    }

    /**
     * The database phase of one server: nothing when no database shape is selected or the server
     * has none. A server that does not start with the database options, or answers wrongly, gets
     * its reason in each shape's measurement, and the sweep goes on.
     */
    static void measure(Sweep sweep, ServerRun run, Path jar) throws InterruptedException {
        List<DbShape> selected = ALL.stream().filter(s -> sweep.shapes.has(s.id())).toList();
        if (selected.isEmpty() || !takesPart(run.server)) {
            return;
        }
        if (sweep.databaseProblem != null) {
            for (DbShape s : selected) {
                run.add(s.id()).problems.add("not measured: " + sweep.databaseProblem);
            }
            return;
        }
        String unsettled = sweep.postgres.settle();
        Sweep.log("PostgreSQL: vacuumed and checkpointed before %s%s", run.server,
                unsettled.isEmpty() ? "" : " (" + unsettled + ")");
        Postgres.Pinning pinning = sweep.postgres.pin(POSTGRES_CORE);
        sweep.pinning = pinning;
        run.pinProblems = pinning.problems;
        try {
            phase(sweep, run, jar, selected);
        } finally {
            Processes.stop(sweep, run);
            pinning.restore();
            sweep.pinning = null;
        }
    }

    /**
     * The URL {@code server} is started with: the JDBC URL, except for Strand with its pipelined
     * client, which takes the same place as {@code postgresql://host:port/db} and, like pgjdbc and
     * psql, the operating-system user unless the URL names one.
     */
    static String urlFor(Sweep sweep, String server) {
        if (!server.equals("strand") || !sweep.strandPipelined) {
            return sweep.postgres.url;
        }
        String url = "postgresql://" + sweep.postgres.url.substring("jdbc:postgresql://".length());
        return sweep.postgres.user != null || url.contains("user=") ? url
                : url + (url.contains("?") ? "&" : "?") + "user=" + System.getProperty("user.name");
    }

    private static void phase(Sweep sweep, ServerRun run, Path jar, List<DbShape> selected) throws InterruptedException {
        int port = Processes.freePort(sweep);
        run.port = port;
        List<String> cmd = new ArrayList<>(Processes.serverCommand(sweep, run.server, jar, port));
        cmd.addAll(List.of("--db", urlFor(sweep, run.server), "--db-pool", Integer.toString(sweep.dbPool)));
        run.dbCommand = String.join(" ", cmd);
        Path logFile = sweep.logs.resolve(run.server + "-" + port + "-db.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            long t0 = System.nanoTime();
            Process p = pb.start();
            sweep.running = p;
            run.process = p;
            double ms = Processes.timeFirstResponse(p, port, t0, logFile);
            Sweep.log("%s: started with --db after %.0f ms", run.server, ms);
        } catch (IOException e) {
            String why = "the server did not start with --db " + urlFor(sweep, run.server) + " --db-pool " + sweep.dbPool
                    + ": " + e.getMessage() + tail(logFile);
            Sweep.log("%s: %s", run.server, why);
            for (DbShape s : selected) {
                run.add(s.id()).problems.add("not measured: " + why);
            }
            return;
        }

        // Correctness first; /updates before the reads, so that a server caching rows shows as stale.
        DbChecks checks = new DbChecks(port, sweep.postgres);
        Map<String, List<String>> before = new LinkedHashMap<>();
        List<DbShape> checkOrder = new ArrayList<>(selected);
        checkOrder.sort(Comparator.comparing(s -> !s.id().equals("updates")));
        for (DbShape s : checkOrder) {
            List<String> problems = checks.verify(s);
            before.put(s.id(), problems);
            run.dbProblems.put(s.id(), problems);
            Sweep.log("%s: %s %s", run.server, s.path(), problems.isEmpty() ? "correct" : "INCORRECT: " + problems);
        }
        if (sweep.checkOnly) {
            return;
        }

        String base = "http://127.0.0.1:" + port;
        for (DbShape s : selected) {
            if (before.get(s.id()).isEmpty()) {
                LoadGenerators.wrk(sweep, run, base + s.path(), s.conns(), sweep.warmup, false, false);
            }
        }
        for (DbShape s : selected) {
            Measurement m = run.add(s.id());
            if (!before.get(s.id()).isEmpty()) {
                m.problems.addAll(before.get(s.id()));
                m.problems.add("not measured: wrong answers before the load");
                Sweep.log("%s: %-20s %s", run.server, s.id(), m.summary());
                continue;
            }
            step(sweep, run, s, base, checks, m);
        }
    }

    private static void step(Sweep sweep, ServerRun run, DbShape s, String base, DbChecks checks, Measurement m) {
        long postmaster = sweep.pinning != null ? sweep.pinning.postmaster : -1;
        Map<Long, Long> pgBefore = postmaster > 0 ? sweep.postgres.cpuTicks(postmaster) : Map.of();
        // Interrupts included: loopback traffic is received in softirq time, which the kernel charges
        // to the process it interrupted (so it shows in PostgreSQL's CPU) but counts as softirq for the core.
        long core1Before = ProcStats.coreBusyTicks(POSTGRES_CORE, true);
        long t0 = System.nanoTime();
        LoadGenerators.WrkResult w = LoadGenerators.wrk(sweep, run, base + s.path(), s.conns(), sweep.duration, false, false);
        double wall = (System.nanoTime() - t0) / 1e9;
        long core1After = ProcStats.coreBusyTicks(POSTGRES_CORE, true);
        Map<Long, Long> pgAfter = postmaster > 0 ? sweep.postgres.cpuTicks(postmaster) : Map.of();
        m.values.putAll(w.values());
        m.problems.addAll(w.errors());
        m.generatorCpu = w.generatorCpu();
        m.serverCpu = w.serverCpu();
        m.otherCpu = w.otherCpu();
        m.raw = w.raw();
        double hz = sweep.clockTicks;
        if (postmaster > 0) {
            m.databaseCpu = Math.min(1.0, Postgres.ticksBetween(pgBefore, pgAfter) / hz / wall);
        }
        if (core1Before >= 0 && core1After >= 0) {
            m.clientCoreBusy = Math.min(1.0, (core1After - core1Before) / hz / wall);
        }
        // wrk is gone, but a server may still be working off the requests it had queued (512 of them
        // for /updates, writing rows the check then reads): give it a moment, and one more if needed.
        Sweep.sleepMillis(1000);
        List<String> after = checks.once(s);
        if (!after.isEmpty()) {
            Sweep.sleepMillis(3000);
            after = checks.once(s);
        }
        for (String problem : after) {
            m.problems.add("after the step: " + problem);
        }
        if (!run.process.isAlive()) {
            m.problems.add("server died during the step");
        }
        Sweep.log("%s: %-20s %s%s", run.server, s.id(), m.summary(), String.format(Locale.ROOT,
                " postgres-cpu=%.0f%% core1=%.0f%%", 100 * m.databaseCpu, 100 * m.clientCoreBusy));
    }

    /** The last lines of a server's log, to say why it did not start. */
    static String tail(Path log) {
        try {
            String lines = Sweep.lastLines(Files.readString(log), 2);
            return lines.isBlank() ? "" : " (its log ends: " + lines + ")";
        } catch (IOException e) {
            return "";
        }
    }
}
