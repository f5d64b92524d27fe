import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The benchmark sweep behind {@code bench/run.sh}: Strand and its peers, one at a time, each pinned
 * to core 0 while {@code wrk -t1} (or {@code ab}) runs pinned to core 1; writes the markdown report.
 *
 * <p>Run as a source program with a JDK 25 {@code java}: {@code java bench/Sweep.java --help}. The
 * launcher compiles the other classes it uses from their files beside this one. This one holds the
 * options and the order of the steps; the rest is split by concern: the command line
 * ({@code Arguments}); the servers' processes ({@code Processes}, {@code ProcStats}); the load
 * generators ({@code LoadGenerators}, {@code IdleConnections}); the correctness checks
 * ({@code HttpChecks}, {@code HttpResponse}); the results ({@code Repeat}, {@code ServerRun},
 * {@code Measurement}, {@code Shape}); the bars ({@code Verdicts}); the report
 * ({@code Report}, {@code JmhReport}); the database shapes ({@code DatabaseShapes}, {@code DbChecks},
 * {@code DbReport}, {@code Postgres}) and the shape selection ({@code ShapeSelection}). Every figure
 * in the report comes from this run; nothing is hard-coded but the bars and the load shapes
 * themselves.
 */
public final class Sweep {

    // ---- the load shapes of the issue -----------------------------------------------------------
    static final int PIPELINE_DEPTH = 16;
    static final int CONNS = 256;
    static final int LATENCY_CONNS = 10;
    /** The paced latency shape: each connection waits this long after each response (about 9,000 req/s at 10 connections). */
    static final int LATENCY_PAUSE_MS = 1;
    static final int AB_CONCURRENCY = 10;
    static final int AB_REQUESTS = 5000;
    static final int REQUESTED_IDLE_CONNS = 20_000;
    /** wrk's per-request timeout: long enough that only real failures count as errors. */
    static final String WRK_TIMEOUT = "10s";
    /** A load generator using at least this share of its core is saturated. */
    static final double SATURATED = 0.90;
    /** Other work on the server's core beyond this share makes a step noisy. */
    static final double NOISY = 0.10;
    /** File descriptors left, per process, for everything but the idle connections. */
    static final int FD_MARGIN = 1000;

    static final String PLAINTEXT_BODY = "Hello, World!";
    static final String JSON_BODY = "{\"message\":\"Hello, World!\"}";

    /** Every shape but the database ones ({@link DatabaseShapes#IDS}), in report order. */
    static final List<String> HTTP_SHAPES = List.of("plaintext-pipelined", "json", "json-pipelined", "json-latency", "json-latency-paced",
            "sleep", "memory", "startup", "ab");

    /** The servers, in report order; the first is the one compared against the rest. */
    static final List<String> ALL_SERVERS =
            List.of("strand", "netty", "vertx", "undertow", "helidon", "jetty-platform", "jetty-virtual");


    // ---- options --------------------------------------------------------------------------------
    Path root = Path.of(".").toAbsolutePath().normalize();
    String javaCmd = ProcessHandle.current().info().command().orElse("java");
    int repeat = 1;
    List<String> servers = new ArrayList<>(ALL_SERVERS);
    int duration = 10;
    int warmup = 5;
    boolean quick;
    boolean checkOnly;
    Path out;
    Path jmhCsv;
    String jmhCommand = "";
    // Netty (and so Vert.x) uses sun.misc.Unsafe on JDK 25 only when allowed: every server gets it,
    // so the peers run at their best. Strand does not use it.
    List<String> jvmFlags = List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC", "--sun-misc-unsafe-memory-access=allow");
    int idleConns = REQUESTED_IDLE_CONNS;
    int sleepMs = 20;
    int sleepConns = 2000;
    int basePort = 18080;
    Path logs;
    String invocation = "";
    ShapeSelection shapes = ShapeSelection.ALL;
    String dbUrl = DatabaseShapes.DEFAULT_URL;
    int dbPool = DatabaseShapes.DEFAULT_POOL;
    /** How Strand reaches PostgreSQL in the database shapes: its own pipelined client, or pgjdbc. */
    boolean strandPipelined = true;
    Postgres postgres;

    // ---- state ----------------------------------------------------------------------------------
    final List<Repeat> repeats = new ArrayList<>();
    final Map<String, String> versions = new LinkedHashMap<>();
    final Map<String, String> skipped = new LinkedHashMap<>();
    int nextPort;
    long clockTicks = 100;
    volatile Process running;
    String idleCountReason = "";
    String loadAtStart = "";
    int idleCountUsed;
    /** PostgreSQL's processes while pinned for a server's database shapes; put back by the shutdown hook too. */
    volatile Postgres.Pinning pinning;
    /** Why the database shapes cannot run at all (PostgreSQL unreachable or not seeded), or null. */
    String databaseProblem;
    String postgresVersion = "";

    public static void main(String[] args) throws Exception {
        Sweep sweep = new Sweep();
        try {
            Arguments.parse(sweep, args);
        } catch (IllegalArgumentException e) {
            System.err.println("Sweep: " + e.getMessage());
            System.err.println(Arguments.USAGE);
            System.exit(2);
        }
        sweep.run();
    }

    // ---- the sweep ------------------------------------------------------------------------------

    void run() throws Exception {
        if (servers.isEmpty()) {
            if (jmhCsv == null) {
                throw new IllegalArgumentException("no servers and no JMH results: nothing to do");
            }
            JmhReport.putJmhSection(this);
            return;
        }
        Instant started = Instant.now();
        loadAtStart = ProcStats.loadAverage();
        if (logs == null) {
            logs = Files.createTempDirectory("strand-sweep-");
        }
        Files.createDirectories(logs);
        clockTicks = Long.parseLong(Processes.capture(List.of("getconf", "CLK_TCK"), 10).output().trim());
        nextPort = basePort;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process p = running;
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            Postgres.Pinning pinned = pinning;
            if (pinned != null) {
                pinned.restore();
            }
        }));
        idleCountUsed = IdleConnections.idleConnectionCount(this);
        log("sweep: servers %s, shapes %s, %d repeat(s), %d s steps, %d s warm-ups, logs in %s",
                servers, shapes.describe(), repeat, duration, warmup, logs);
        if (shapes.anyDatabase()) {
            postgresVersion = postgres.version();
            databaseProblem = postgres.problem().orElse(null);
            log("database: %s, %s", postgres.url, databaseProblem == null ? postgresVersion : "NOT USABLE: " + databaseProblem);
        }

        if (!shapes.anyHttp()) {
            List<String> out = servers.stream().filter(s -> !DatabaseShapes.takesPart(s)).toList();
            if (!out.isEmpty()) {
                log("%s: no database endpoints, so no part in these shapes", out);
                servers.removeAll(out);
            }
        }
        List<String> present = new ArrayList<>();
        for (String server : servers) {
            Optional<Path> jar = Processes.jarOf(this, server);
            if (jar.isEmpty()) {
                skipped.put(server, "no jar: " + Processes.expectedJar(server) + " (not built)");
                log("%s: skipped, %s", server, skipped.get(server));
            } else {
                present.add(server);
                versions.put(server, Processes.versionOf(this, server, jar.get()));
            }
        }
        for (int r = 1; r <= repeat && !present.isEmpty(); r++) {
            Repeat rep = new Repeat(r);
            repeats.add(rep);
            for (String server : present) {
                log("repeat %d/%d: %s", r, repeat, server);
                ServerRun run = new ServerRun(server);
                rep.runs.put(server, run);
                if (shapes.anyHttp()) {
                    try {
                        measure(run, Processes.jarOf(this, server).orElseThrow());
                    } catch (Exception e) {
                        run.failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                        log("%s: failed: %s", server, run.failure);
                    } finally {
                        Processes.stop(this, run);
                    }
                }
                try {
                    DatabaseShapes.measure(this, run, Processes.jarOf(this, server).orElseThrow());
                } catch (Exception e) {
                    run.dbFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
                    log("%s: database shapes failed: %s", server, run.dbFailure);
                }
            }
        }
        if (checkOnly) {
            boolean allGood = true;
            for (Repeat rep : repeats) {
                for (ServerRun run : rep.runs.values()) {
                    List<String> problems = new ArrayList<>();
                    if (run.failure != null) {
                        problems.add(run.failure);
                    }
                    problems.addAll(run.plaintextProblems);
                    problems.addAll(run.jsonProblems);
                    problems.addAll(run.pipelinedPlaintextProblems);
                    problems.addAll(run.pipelinedJsonProblems);
                    problems.addAll(run.sleepProblems);
                    problems.addAll(run.abProblems);
                    if (run.dbFailure != null) {
                        problems.add("database shapes: " + run.dbFailure);
                    }
                    run.dbProblems.values().forEach(problems::addAll);
                    // A server that did not start with --db has its reason in the measurements.
                    run.measurements.values().forEach(m -> problems.addAll(m.problems));
                    allGood &= problems.isEmpty();
                    log("check %-15s %s: %s", run.server, versions.get(run.server), problems.isEmpty()
                            ? "correct" + (run.sleepServed || !shapes.anyHttp() ? "" : " (no /sleep)")
                            : "WRONG: " + problems.stream().distinct().toList());
                }
            }
            skipped.forEach((server, why) -> log("check %-15s %s", server, why));
            System.exit(allGood && skipped.isEmpty() ? 0 : 1);
        }
        Instant finished = Instant.now();
        String report = Report.report(this, started, finished);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, report);
        log("wrote %s", out);
        if (jmhCsv != null) {
            JmhReport.putJmhSection(this);
        }
    }


    // ---- one server -----------------------------------------------------------------------------

    void measure(ServerRun run, Path jar) throws Exception {
        int port = Processes.freePort(this);
        run.port = port;
        List<String> cmd = Processes.serverCommand(this, run.server, jar, port);
        run.command = String.join(" ", cmd);
        Path logFile = logs.resolve(run.server + "-" + port + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logFile.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));

        // 6. Time from process start to the first correct response: the median of STARTS starts, since
        // one start on this shared machine swings by ±50 ms. The polling client's own code is loaded
        // and warm first, so its first use does not count against the server. The last start stays up.
        // (Started once, and not reported, when the startup shape is not selected.)
        Processes.warmPollingClient(port);
        Measurement startup = shapes.has("startup") ? run.add("startup") : new Measurement();
        List<Double> starts = new ArrayList<>();
        Process p = null;
        int startCount = shapes.has("startup") ? Processes.STARTS : 1;
        for (int i = 0; i < startCount; i++) {
            if (p != null) {
                Processes.stopQuietly(p);
            }
            long t0 = System.nanoTime();
            p = pb.start();
            running = p;
            run.process = p;
            starts.add(Processes.timeFirstResponse(p, port, t0, logFile));
        }
        List<Double> sorted = starts.stream().sorted().toList();
        startup.values.put("ms", sorted.get(sorted.size() / 2));
        startup.values.put("minMs", sorted.getFirst());
        startup.values.put("maxMs", sorted.getLast());
        log("%s: first response after %.0f ms (median of %s ms)", run.server, startup.values.get("ms"),
                starts.stream().map(ms -> Report.num(ms, 0)).toList());

        // Correctness of the endpoints, before any load.
        run.plaintextProblems.addAll(HttpChecks.checkEndpoint(port, "/plaintext", PLAINTEXT_BODY, "text/plain"));
        run.jsonProblems.addAll(HttpChecks.checkEndpoint(port, "/json", JSON_BODY, "application/json"));
        run.pipelinedPlaintextProblems.addAll(HttpChecks.checkPipelined(port, "/plaintext", PLAINTEXT_BODY, "text/plain"));
        run.pipelinedJsonProblems.addAll(HttpChecks.checkPipelined(port, "/json", JSON_BODY, "application/json"));
        List<String> dateProblems = HttpChecks.checkDateChanges(port);
        run.plaintextProblems.addAll(dateProblems);
        run.jsonProblems.addAll(dateProblems);
        run.sleepServed = HttpChecks.checkSleep(this, port, run.sleepProblems);
        run.abProblems.addAll(HttpChecks.checkHttp10KeepAlive(port));
        startup.problems.addAll(run.plaintextProblems);
        for (String what : List.of("plaintext", "json")) {
            List<String> problems = what.equals("plaintext") ? run.plaintextProblems : run.jsonProblems;
            log("%s: /%s %s", run.server, what, problems.isEmpty() ? "correct" : "INCORRECT: " + problems);
        }
        log("%s: /sleep %s", run.server, run.sleepServed ? (run.sleepProblems.isEmpty() ? "served, correct"
                : "INCORRECT: " + run.sleepProblems) : "not served");

        if (checkOnly) {
            return;
        }
        // Warm-up: every shape that is measured, results thrown away.
        String base = "http://127.0.0.1:" + port;
        if (shapes.has("plaintext-pipelined")) {
            LoadGenerators.wrk(this, run, base + "/plaintext", CONNS, warmup, true, false);
        }
        if (shapes.has("json") || shapes.has("json-latency") || shapes.has("json-latency-paced")) {
            LoadGenerators.wrk(this, run, base + "/json", CONNS, warmup, false, false);
        }
        if (shapes.has("json-pipelined")) {
            LoadGenerators.wrk(this, run, base + "/json", CONNS, warmup, true, false);
        }
        if (run.sleepServed && shapes.has("sleep")) {
            LoadGenerators.wrk(this, run, base + "/sleep?ms=" + sleepMs, sleepConns, warmup, false, false);
        }

        // 1. plaintext, pipelined 16 deep, 256 connections.
        if (shapes.has("plaintext-pipelined")) {
            step(run, "plaintext-pipelined", base + "/plaintext", CONNS, true, false, "/plaintext", PLAINTEXT_BODY,
                    "text/plain", concat(run.plaintextProblems, run.pipelinedPlaintextProblems));
        }
        // 2. json, 256 connections; json pipelined 16 deep.
        if (shapes.has("json")) {
            step(run, "json", base + "/json", CONNS, false, false, "/json", JSON_BODY, "application/json", run.jsonProblems);
        }
        if (shapes.has("json-pipelined")) {
            step(run, "json-pipelined", base + "/json", CONNS, true, false, "/json", JSON_BODY, "application/json",
                    concat(run.jsonProblems, run.pipelinedJsonProblems));
        }
        // 3. json at 10 connections, latency percentiles.
        if (shapes.has("json-latency")) {
            step(run, "json-latency", base + "/json", LATENCY_CONNS, false, true, "/json", JSON_BODY, "application/json",
                    run.jsonProblems);
        }
        // 3b. the same, paced: far below capacity, so p99 is the server's and not the client's queueing.
        if (shapes.has("json-latency-paced")) {
            step(run, "json-latency-paced", base + "/json", LATENCY_CONNS, false, true, LATENCY_PAUSE_MS, "/json", JSON_BODY,
                    "application/json", run.jsonProblems);
        }
        // 4. /sleep?ms=20 at 2,000 connections.
        if (shapes.has("sleep") && run.sleepServed) {
            Measurement m = step(run, "sleep", base + "/sleep?ms=" + sleepMs, sleepConns, false, false, null, null,
                    null, run.sleepProblems);
            Double rps = m.values.get("rps");
            if (rps != null) {
                m.values.put("ideal%", 100.0 * rps / idealSleepRps());
            }
        } else if (shapes.has("sleep")) {
            Measurement m = run.add("sleep");
            m.notServed = true;
        }
        // 7. ab -k -c 10 -n 5000 on /plaintext.
        if (shapes.has("ab")) {
            LoadGenerators.ab(this, run, base + "/plaintext");
        }
        // 5. Memory: RSS before and after opening idle keep-alive connections.
        if (shapes.has("memory")) {
            IdleConnections.idleMemory(this, run, port);
        }
    }

    double idealSleepRps() {
        return sleepConns * 1000.0 / sleepMs;
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** One measured wrk step, checked before (given problems) and after (a fresh request). */
    Measurement step(ServerRun run, String shape, String url, int conns, boolean pipelined, boolean latency,
                     String checkPath, String body, String type, List<String> before) throws Exception {
        return step(run, shape, url, conns, pipelined, latency, 0, checkPath, body, type, before);
    }

    /** As above; with {@code pauseMillis} > 0 each connection pauses that long after each response. */
    Measurement step(ServerRun run, String shape, String url, int conns, boolean pipelined, boolean latency, int pauseMillis,
                     String checkPath, String body, String type, List<String> before) throws Exception {
        Measurement m = run.add(shape);
        m.problems.addAll(before);
        LoadGenerators.WrkResult w = LoadGenerators.wrk(this, run, url, conns, duration, pipelined, latency, pauseMillis);
        m.values.putAll(w.values());
        m.problems.addAll(w.errors());
        m.generatorCpu = w.generatorCpu();
        m.serverCpu = w.serverCpu();
        m.otherCpu = w.otherCpu();
        m.raw = w.raw();
        if (checkPath != null) {
            for (String problem : HttpChecks.checkEndpoint(run.port, checkPath, body, type)) {
                m.problems.add("after the step: " + problem);
            }
        } else if (!run.process.isAlive()) {
            m.problems.add("server died during the step");
        }
        log("%s: %-20s %s", run.server, shape, m.summary());
        return m;
    }

    // ---- small helpers the other files share ----------------------------------------------------

    static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    static void log(String format, Object... args) {
        System.out.println("[sweep " + LOG_TIME.format(java.time.LocalTime.now()) + "] "
                + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    static String quote(String s) {
        String shown = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return "\"" + shown.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }

    static String firstLines(String s, int n) {
        return s.lines().limit(n).collect(Collectors.joining(" / "));
    }

    static String lastLines(String s, int n) {
        List<String> l = s.lines().filter(x -> !x.isBlank()).toList();
        return String.join(" / ", l.subList(Math.max(0, l.size() - n), l.size()));
    }
}
