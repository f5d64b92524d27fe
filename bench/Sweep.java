import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The benchmark sweep behind {@code bench/run.sh}: Strand and its peers, one at a time, each pinned
 * to core 0 while {@code wrk -t1} (or {@code ab}) runs pinned to core 1; writes the markdown report.
 *
 * <p>Run as a source program with a JDK 25 {@code java}: {@code java bench/Sweep.java --help}. The
 * launcher compiles the other classes it uses from their files beside this one: the database shapes
 * ({@code DatabaseShapes}, {@code DbChecks}, {@code DbReport}, {@code Postgres}) and the shape
 * selection ({@code ShapeSelection}). Every figure in the report comes from this run; nothing is
 * hard-coded but the issue's bars and the load shapes themselves.
 */
public final class Sweep {

    // ---- the load shapes of the issue ----------------------------------------------------------
    static final int PIPELINE_DEPTH = 16;
    static final int CONNS = 256;
    static final int LATENCY_CONNS = 10;
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
    static final List<String> HTTP_SHAPES = List.of("plaintext-pipelined", "json", "json-pipelined", "json-latency",
            "sleep", "memory", "startup", "ab");

    /** The servers, in report order; the first is the one compared against the rest. */
    static final List<String> ALL_SERVERS =
            List.of("strand", "netty", "vertx", "undertow", "helidon", "jetty-platform", "jetty-virtual");

    static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.RFC_1123_DATE_TIME;

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
            sweep.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Sweep: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
        sweep.run();
    }

    static final String USAGE = """
            usage: java bench/Sweep.java [options]
              --root DIR          the repository root (default: the current directory)
              --java PATH         the java that runs every server (default: this JVM's)
              --repeat N          run the whole sweep N times (default 1)
              --servers a,b,...   from strand,netty,vertx,undertow,helidon,jetty-platform,jetty-virtual
                                  (jetty = both jetty variants; all = every one, the default;
                                  none = no sweep, e.g. JMH only)
              --shapes a,b,...    which shapes run: all (the default), http (all but the database ones),
                                  database (db,queries,fortunes,updates), or shape ids: plaintext-pipelined,
                                  json,json-pipelined,json-latency,sleep,memory,startup,ab,db,queries,
                                  fortunes,updates. The database shapes run for strand, vertx, helidon only
              --db-url URL        the PostgreSQL the database shapes use, on 127.0.0.1 (default
                                  jdbc:postgresql://127.0.0.1:5432/test; seeded by bench/seed-db.sh)
              --db-pool N         connections each server keeps to it, passed as --db-pool (default 16)
              --duration S        seconds per measured step (default 10; warm-up is half, at least 1)
              --quick             2-second steps and 1-second warm-ups, for smoke tests
              --check-only        only start each server, time its first response and check its
                                  answers (no load, no report); exits 1 if any is wrong
              --out FILE          the markdown report (default docs/benchmarks.md)
              --jvm-flags "..."   the JVM flags every server gets (default -Xms1g -Xmx1g -XX:+UseParallelGC
                                  --sun-misc-unsafe-memory-access=allow)
              --idle-conns N      idle keep-alive connections for the memory step (default 20000,
                                  lowered to what the fd limit allows)
              --jmh-csv FILE      JMH results (-rf csv) to put into the report, after the sweep if any:
                                  they replace its JMH section, or are appended
              --jmh-command "..." how those results were produced, for the report
              --logs DIR          where server logs go (default a new temporary directory)
            """;

    void parse(String[] args) {
        boolean durationSet = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--root" -> root = Path.of(value(args, ++i, a)).toAbsolutePath().normalize();
                case "--java" -> javaCmd = value(args, ++i, a);
                case "--repeat" -> repeat = positive(value(args, ++i, a), a);
                case "--servers" -> servers = serverList(value(args, ++i, a));
                case "--duration" -> {
                    duration = positive(value(args, ++i, a), a);
                    durationSet = true;
                }
                case "--quick" -> quick = true;
                case "--check-only" -> checkOnly = true;
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--jvm-flags" -> jvmFlags = List.of(value(args, ++i, a).trim().split("\\s+"));
                case "--idle-conns" -> idleConns = positive(value(args, ++i, a), a);
                case "--jmh-csv" -> jmhCsv = Path.of(value(args, ++i, a));
                case "--jmh-command" -> jmhCommand = value(args, ++i, a);
                case "--logs" -> logs = Path.of(value(args, ++i, a));
                case "--shapes" -> shapes = ShapeSelection.parse(value(args, ++i, a));
                case "--db-url" -> dbUrl = value(args, ++i, a);
                case "--db-pool" -> dbPool = positive(value(args, ++i, a), a);
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option: " + a);
            }
        }
        if (quick && !durationSet) {
            duration = 2;
        }
        warmup = quick ? 1 : Math.max(1, duration / 2);
        if (out == null) {
            out = root.resolve("docs/benchmarks.md");
        }
        postgres = new Postgres(this, dbUrl);
        invocation = String.join(" ", args);
    }

    static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    static int positive(String s, String option) {
        try {
            int n = Integer.parseInt(s);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a positive integer: " + s);
        }
    }

    static List<String> serverList(String s) {
        List<String> list = new ArrayList<>();
        if (s.equals("none")) {
            return list;
        }
        if (s.equals("all")) {
            return new ArrayList<>(ALL_SERVERS);
        }
        for (String name : s.split(",")) {
            name = name.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("jetty")) {
                list.add("jetty-platform");
                list.add("jetty-virtual");
            } else if (ALL_SERVERS.contains(name)) {
                list.add(name);
            } else {
                throw new IllegalArgumentException("unknown server: " + name);
            }
        }
        // Report order, no duplicates.
        return ALL_SERVERS.stream().filter(list::contains).collect(Collectors.toCollection(ArrayList::new));
    }

    // ---- the sweep ------------------------------------------------------------------------------

    void run() throws Exception {
        if (servers.isEmpty()) {
            if (jmhCsv == null) {
                throw new IllegalArgumentException("no servers and no JMH results: nothing to do");
            }
            putJmhSection();
            return;
        }
        Instant started = Instant.now();
        loadAtStart = loadAverage();
        if (logs == null) {
            logs = Files.createTempDirectory("strand-sweep-");
        }
        Files.createDirectories(logs);
        clockTicks = Long.parseLong(capture(List.of("getconf", "CLK_TCK"), 10).output.trim());
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
        idleCountUsed = idleConnectionCount();
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
            Optional<Path> jar = jarOf(server);
            if (jar.isEmpty()) {
                skipped.put(server, "no jar: " + expectedJar(server) + " (not built)");
                log("%s: skipped, %s", server, skipped.get(server));
            } else {
                present.add(server);
                versions.put(server, versionOf(server, jar.get()));
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
                        measure(run, jarOf(server).orElseThrow());
                    } catch (Exception e) {
                        run.failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                        log("%s: failed: %s", server, run.failure);
                    } finally {
                        stop(run);
                    }
                }
                try {
                    DatabaseShapes.measure(this, run, jarOf(server).orElseThrow());
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
        String report = report(started, finished);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, report);
        log("wrote %s", out);
        if (jmhCsv != null) {
            putJmhSection();
        }
    }

    Optional<Path> jarOf(String server) throws IOException {
        if (server.equals("strand")) {
            Path dir = root.resolve("strand-demo/target");
            if (!Files.isDirectory(dir)) {
                return Optional.empty();
            }
            try (var files = Files.list(dir)) {
                return files.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith("strand-demo-") && n.endsWith(".jar") && !n.contains("sources")
                            && !n.contains("javadoc");
                }).sorted().findFirst();
            }
        }
        Path jar = root.resolve(expectedJar(server));
        return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    }

    static String expectedJar(String server) {
        if (server.equals("strand")) {
            return "strand-demo/target/strand-demo-*.jar";
        }
        String base = server.startsWith("jetty") ? "jetty" : server;
        return "bench/" + base + "/target/" + base + "-bench.jar";
    }

    /** The command that starts {@code server} from {@code jar} on {@code port}, pinned to core 0. */
    List<String> serverCommand(String server, Path jar, int port) {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", "0", javaCmd));
        cmd.addAll(jvmFlags);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(serverArgs(server));
        cmd.add("--port");
        cmd.add(Integer.toString(port));
        return cmd;
    }

    static List<String> serverArgs(String server) {
        return switch (server) {
            case "jetty-platform" -> List.of("--threads", "platform");
            case "jetty-virtual" -> List.of("--threads", "virtual");
            default -> List.of();
        };
    }

    /** The server's version, read from the built jar (Maven metadata shaded into it). */
    String versionOf(String server, Path jar) {
        if (server.equals("strand")) {
            String name = jar.getFileName().toString();
            String v = name.substring("strand-demo-".length(), name.length() - ".jar".length());
            Captured commit = capture(List.of("git", "-C", root.toString(), "rev-parse", "--short", "HEAD"), 10);
            if (commit.exit != 0) {
                return v + " (not a git checkout)";
            }
            Captured status = capture(List.of("git", "-C", root.toString(), "status", "--porcelain", "--untracked-files=no"), 10);
            String dirty = status.exit == 0 && status.output.isBlank() ? "" : ", with uncommitted changes";
            return v + " (commit " + commit.output.trim() + dirty + ")";
        }
        String artifact = switch (server) {
            case "netty" -> "netty-codec-http";
            case "vertx" -> "vertx-core";
            case "undertow" -> "undertow-core";
            case "helidon" -> "helidon-webserver";
            default -> "jetty-server";
        };
        try (JarFile jf = new JarFile(jar.toFile())) {
            var entries = jf.entries();
            while (entries.hasMoreElements()) {
                var e = entries.nextElement();
                if (e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/" + artifact + "/pom.properties")) {
                    var props = new java.util.Properties();
                    try (InputStream in = jf.getInputStream(e)) {
                        props.load(in);
                    }
                    return artifact + " " + props.getProperty("version", "?");
                }
            }
            var vertx = jf.getEntry("META-INF/vertx/vertx-version.txt"); // Vert.x ships no pom.properties
            if (artifact.equals("vertx-core") && vertx != null) {
                try (InputStream in = jf.getInputStream(vertx)) {
                    return artifact + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                }
            }
        } catch (IOException e) {
            // fall through to the pom
        }
        // Not in the jar: the version the peer's build asked for.
        try {
            String pom = Files.readString(root.resolve("bench/pom.xml"));
            String key = server.startsWith("jetty") ? "jetty" : server;
            Matcher m = Pattern.compile("<" + key + "\\.version>([^<]+)</").matcher(pom);
            if (m.find()) {
                return artifact + " " + m.group(1) + " (from bench/pom.xml)";
            }
        } catch (IOException e) {
            // unknown
        }
        return artifact + " (version unknown)";
    }

    // ---- one server -----------------------------------------------------------------------------

    void measure(ServerRun run, Path jar) throws Exception {
        int port = freePort();
        run.port = port;
        List<String> cmd = serverCommand(run.server, jar, port);
        run.command = String.join(" ", cmd);
        Path logFile = logs.resolve(run.server + "-" + port + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logFile.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));

        // 6. Time from process start to the first correct response: the median of STARTS starts, since
        // one start on this shared machine swings by ±50 ms. The polling client's own code is loaded
        // and warm first, so its first use does not count against the server. The last start stays up.
        // (Started once, and not reported, when the startup shape is not selected.)
        warmPollingClient(port);
        Measurement startup = shapes.has("startup") ? run.add("startup") : new Measurement();
        List<Double> starts = new ArrayList<>();
        Process p = null;
        int startCount = shapes.has("startup") ? STARTS : 1;
        for (int i = 0; i < startCount; i++) {
            if (p != null) {
                stopQuietly(p);
            }
            long t0 = System.nanoTime();
            p = pb.start();
            running = p;
            run.process = p;
            starts.add(timeFirstResponse(p, port, t0, logFile));
        }
        List<Double> sorted = starts.stream().sorted().toList();
        startup.values.put("ms", sorted.get(sorted.size() / 2));
        startup.values.put("minMs", sorted.getFirst());
        startup.values.put("maxMs", sorted.getLast());
        log("%s: first response after %.0f ms (median of %s ms)", run.server, startup.values.get("ms"),
                starts.stream().map(ms -> num(ms, 0)).toList());

        // Correctness of the endpoints, before any load.
        run.plaintextProblems.addAll(checkEndpoint(port, "/plaintext", PLAINTEXT_BODY, "text/plain"));
        run.jsonProblems.addAll(checkEndpoint(port, "/json", JSON_BODY, "application/json"));
        run.pipelinedPlaintextProblems.addAll(checkPipelined(port, "/plaintext", PLAINTEXT_BODY, "text/plain"));
        run.pipelinedJsonProblems.addAll(checkPipelined(port, "/json", JSON_BODY, "application/json"));
        List<String> dateProblems = checkDateChanges(port);
        run.plaintextProblems.addAll(dateProblems);
        run.jsonProblems.addAll(dateProblems);
        run.sleepServed = checkSleep(port, run.sleepProblems);
        run.abProblems.addAll(checkHttp10KeepAlive(port));
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
            wrk(run, base + "/plaintext", CONNS, warmup, true, false);
        }
        if (shapes.has("json") || shapes.has("json-latency")) {
            wrk(run, base + "/json", CONNS, warmup, false, false);
        }
        if (shapes.has("json-pipelined")) {
            wrk(run, base + "/json", CONNS, warmup, true, false);
        }
        if (run.sleepServed && shapes.has("sleep")) {
            wrk(run, base + "/sleep?ms=" + sleepMs, sleepConns, warmup, false, false);
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
            ab(run, base + "/plaintext");
        }
        // 5. Memory: RSS before and after opening idle keep-alive connections.
        if (shapes.has("memory")) {
            idleMemory(run, port);
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
        Measurement m = run.add(shape);
        m.problems.addAll(before);
        WrkResult w = wrk(run, url, conns, duration, pipelined, latency);
        m.values.putAll(w.values);
        m.problems.addAll(w.errors);
        m.generatorCpu = w.generatorCpu;
        m.serverCpu = w.serverCpu;
        m.otherCpu = w.otherCpu;
        m.raw = w.raw;
        if (checkPath != null) {
            for (String problem : checkEndpoint(run.port, checkPath, body, type)) {
                m.problems.add("after the step: " + problem);
            }
        } else if (!run.process.isAlive()) {
            m.problems.add("server died during the step");
        }
        log("%s: %-20s %s", run.server, shape, m.summary());
        return m;
    }

    record WrkResult(Map<String, Double> values, List<String> errors, double generatorCpu, double serverCpu,
                     double otherCpu, String raw) {
    }

    static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([\\d.]+)(\\w+),");

    WrkResult wrk(ServerRun run, String url, int conns, int seconds, boolean pipelined, boolean latency) {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", "1", "wrk", "-t1", "-c" + conns,
                "-d" + seconds + "s", "--timeout", WRK_TIMEOUT));
        if (latency) {
            cmd.add("--latency");
        }
        if (pipelined) {
            cmd.add("-s");
            cmd.add(root.resolve("bench/pipeline.lua").toString());
        }
        cmd.add(url);
        if (pipelined) {
            cmd.add("--");
            cmd.add(Integer.toString(PIPELINE_DEPTH));
        }
        CoreSample before = CoreSample.take(run.process.pid());
        Captured c = capture(cmd, seconds + 60);
        CoreSample after = CoreSample.take(run.process.pid());
        keep(run, cmd, c);
        Map<String, Double> values = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        String o = c.output;
        if (c.exit != 0) {
            errors.add("wrk exited with " + c.exit + ": " + firstLines(o, 3));
        }
        Matcher m = RPS.matcher(o);
        if (m.find()) {
            values.put("rps", Double.parseDouble(m.group(1)));
        } else {
            errors.add("no Requests/sec in wrk's output");
        }
        m = SOCKET_ERRORS.matcher(o);
        if (m.find()) {
            errors.add("socket errors: connect " + m.group(1) + ", read " + m.group(2) + ", write " + m.group(3)
                    + ", timeout " + m.group(4));
        }
        m = NON_2XX.matcher(o);
        if (m.find() && Long.parseLong(m.group(1)) > 0) {
            errors.add(m.group(1) + " non-2xx/3xx responses");
        }
        m = TOTAL.matcher(o);
        if (m.find()) {
            values.put("requests", Double.parseDouble(m.group(1)));
        }
        if (latency) {
            for (String pct : List.of("50", "99")) {
                Matcher l = Pattern.compile("\\n\\s+" + pct + "%\\s+([\\d.]+)(us|ms|s)\\b").matcher(o);
                if (l.find()) {
                    values.put("p" + pct, toMillis(Double.parseDouble(l.group(1)), l.group(2)));
                } else {
                    errors.add("no " + pct + "% latency in wrk's output");
                }
            }
        }
        double wall = c.wallNanos / 1e9;
        double genCpu = Math.min(1.0, c.childTicks / (double) clockTicks / wall);
        return new WrkResult(values, errors, genCpu, before.serverShare(after, wall, clockTicks),
                before.otherShare(after, wall, clockTicks), o);
    }

    /** Appends a load run's command and output to the server's load log, next to its own log. */
    void keep(ServerRun run, List<String> cmd, Captured c) {
        String entry = String.format(Locale.ROOT, "$ %s%n(exit %d, %.2f s wall, %.2f s CPU)%n%s%n",
                String.join(" ", cmd), c.exit, c.wallNanos / 1e9, c.childTicks / (double) clockTicks, c.output);
        try {
            Files.writeString(logs.resolve(run.server + "-" + run.port + "-load.txt"), entry,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            log("cannot write the load log: %s", e.getMessage());
        }
    }

    static double toMillis(double v, String unit) {
        return switch (unit) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    void ab(ServerRun run, String url) {
        Measurement m = run.add("ab");
        m.problems.addAll(run.plaintextProblems);
        if (!run.abProblems.isEmpty()) {
            m.problems.addAll(run.abProblems);
            m.problems.add("ab not run: it would wait for its 30 s timeout");
            log("%s: %-20s %s", run.server, "ab", m.summary());
            return;
        }
        List<String> cmd = List.of("taskset", "-c", "1", "ab", "-k", "-c", Integer.toString(AB_CONCURRENCY),
                "-n", Integer.toString(AB_REQUESTS), url);
        CoreSample before = CoreSample.take(run.process.pid());
        Captured c = capture(cmd, 120);
        CoreSample after = CoreSample.take(run.process.pid());
        keep(run, cmd, c);
        String o = c.output;
        m.raw = o;
        if (c.exit != 0) {
            m.problems.add("ab exited with " + c.exit + ": " + lastLines(o, 2));
        }
        Matcher x = Pattern.compile("Time per request:\\s+([\\d.]+) \\[ms\\] \\(mean\\)").matcher(o);
        if (x.find()) {
            m.values.put("mean", Double.parseDouble(x.group(1)));
        } else {
            m.problems.add("no mean time per request in ab's output");
        }
        x = Pattern.compile("Time per request:\\s+([\\d.]+) \\[ms\\] \\(mean, across all concurrent requests\\)").matcher(o);
        if (x.find()) {
            m.values.put("meanAcross", Double.parseDouble(x.group(1)));
        } else {
            m.problems.add("no mean time across concurrent requests in ab's output");
        }
        x = Pattern.compile("Requests per second:\\s+([\\d.]+)").matcher(o);
        if (x.find()) {
            m.values.put("rps", Double.parseDouble(x.group(1)));
        }
        x = Pattern.compile("Complete requests:\\s+(\\d+)").matcher(o);
        if (x.find() && Integer.parseInt(x.group(1)) != AB_REQUESTS) {
            m.problems.add("only " + x.group(1) + " of " + AB_REQUESTS + " requests completed");
        }
        x = Pattern.compile("Failed requests:\\s+(\\d+)").matcher(o);
        if (x.find() && Integer.parseInt(x.group(1)) > 0) {
            m.problems.add(x.group(1) + " failed requests");
        }
        x = Pattern.compile("Non-2xx responses:\\s+(\\d+)").matcher(o);
        if (x.find() && Integer.parseInt(x.group(1)) > 0) {
            m.problems.add(x.group(1) + " non-2xx responses");
        }
        x = Pattern.compile("Keep-Alive requests:\\s+(\\d+)").matcher(o);
        if (x.find()) {
            m.values.put("keepAlive", Double.parseDouble(x.group(1)));
        }
        double wall = c.wallNanos / 1e9;
        m.generatorCpu = Math.min(1.0, c.childTicks / (double) clockTicks / wall);
        m.serverCpu = before.serverShare(after, wall, clockTicks);
        m.otherCpu = before.otherShare(after, wall, clockTicks);
        for (String problem : checkEndpoint(run.port, "/plaintext", PLAINTEXT_BODY, "text/plain")) {
            m.problems.add("after the step: " + problem);
        }
        log("%s: %-20s %s", run.server, "ab", m.summary());
    }

    /** How many idle connections fit: one process holds them, the server holds their other ends. */
    int idleConnectionCount() {
        long soft = fdLimit("Max open files", 1);
        long hard = fdLimit("Max open files", 2);
        long fits = Math.min(soft, hard) - FD_MARGIN;
        int count = (int) Math.min(idleConns, Math.max(100, fits));
        if (count < idleConns) {
            idleCountReason = String.format(Locale.ROOT,
                    "%,d rather than the issue's %,d: the open-file limit here is %,d per process (hard limit %,d, "
                            + "which root cannot raise in this sandbox), and both the server and the process holding the "
                            + "client ends need one descriptor per connection plus their own (listening socket, selector, "
                            + "jars, pipes); %,d descriptors are left for those",
                    count, idleConns, soft, hard, FD_MARGIN);
        } else {
            idleCountReason = String.format(Locale.ROOT, "%,d as asked (open-file limit %,d)", count, soft);
        }
        return count;
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

    /** 5. Opens idle keep-alive connections from this process (NIO); the server's RSS before and after. */
    void idleMemory(ServerRun run, int port) throws Exception {
        Measurement m = run.add("memory");
        long pid = run.process.pid();
        sleepMillis(1000);
        // A full GC before each reading: live connection state then sits in the old generation, which
        // RSS sees, rather than in an already-touched young generation, which it would not.
        double heapBefore = liveHeapKib(pid);
        long before = rssKib(pid);
        List<SocketChannel> held = new ArrayList<>(idleCountUsed);
        int failed = 0;
        String firstFailure = null;
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(90);
        byte[] req = request("/plaintext", port);
        try (Selector selector = Selector.open()) {
            int opened = 0;
            int inFlight = 0;
            final int window = 256;
            while (held.size() + failed < idleCountUsed) {
                while (inFlight < window && opened < idleCountUsed) {
                    SocketChannel ch = SocketChannel.open();
                    ch.configureBlocking(false);
                    try {
                        ch.connect(new InetSocketAddress("127.0.0.1", port));
                        ch.register(selector, SelectionKey.OP_CONNECT, new IdleConn());
                    } catch (IOException e) {
                        ch.close();
                        failed++;
                        firstFailure = firstFailure == null ? "connect: " + e.getMessage() : firstFailure;
                        opened++;
                        continue;
                    }
                    opened++;
                    inFlight++;
                }
                if (System.nanoTime() - deadline > 0) {
                    int pending = idleCountUsed - held.size() - failed;
                    failed += pending;
                    firstFailure = firstFailure == null ? pending + " still pending after 90 s" : firstFailure;
                    for (SelectionKey k : selector.keys()) {
                        k.channel().close();
                    }
                    break;
                }
                selector.select(500);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) key.channel();
                    IdleConn c = (IdleConn) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            ch.finishConnect();
                            ByteBuffer b = ByteBuffer.wrap(req);
                            while (b.hasRemaining()) {
                                if (ch.write(b) == 0) {
                                    throw new IOException("could not write a 60-byte request at once");
                                }
                            }
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable()) {
                            int n = ch.read(c.buf);
                            if (n < 0) {
                                throw new IOException("closed by the server before replying");
                            }
                            String problem = c.complete();
                            if (problem != null) {
                                if (!problem.isEmpty()) {
                                    throw new IOException(problem);
                                }
                                key.cancel();
                                c.buf = null;
                                held.add(ch);
                                inFlight--;
                            }
                        }
                    } catch (IOException e) {
                        key.cancel();
                        ch.close();
                        failed++;
                        inFlight--;
                        firstFailure = firstFailure == null ? e.getMessage() : firstFailure;
                    }
                }
                selector.selectedKeys().clear();
            }
            selector.selectNow(); // deregisters the cancelled keys
        }
        double openSeconds = (System.nanoTime() - started) / 1e9;
        sleepMillis(quick ? 1000 : 2000);
        double heapAfter = liveHeapKib(pid);
        long after = rssKib(pid);
        int stillOpen = countStillOpen(held);
        m.values.put("count", (double) idleCountUsed);
        m.values.put("held", (double) held.size());
        m.values.put("stillOpen", (double) stillOpen);
        m.values.put("beforeMiB", before / 1024.0);
        m.values.put("afterMiB", after / 1024.0);
        m.values.put("deltaMiB", (after - before) / 1024.0);
        if (!held.isEmpty()) {
            m.values.put("perConnKiB", (after - before) / (double) held.size());
        }
        m.values.put("openSeconds", openSeconds);
        if (!Double.isNaN(heapBefore) && !Double.isNaN(heapAfter) && !held.isEmpty()) {
            m.values.put("heapBeforeMiB", heapBefore / 1024);
            m.values.put("heapAfterMiB", heapAfter / 1024);
            m.values.put("heapPerConnKiB", (heapAfter - heapBefore) / held.size());
        }
        if (failed > 0) {
            m.problems.add(failed + " of " + idleCountUsed + " connections failed (first: " + firstFailure + ")");
        }
        if (stillOpen < held.size()) {
            m.problems.add((held.size() - stillOpen) + " connections were closed by the server before RSS was read");
        }
        if (before < 0 || after < 0) {
            m.problems.add("could not read the server's RSS");
        }
        for (SocketChannel ch : held) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        log("%s: %-20s %s", run.server, "memory", m.summary());
    }

    /**
     * The server's live heap in KiB: a full GC ({@code jcmd <pid> GC.run}), then the used space of
     * every heap space ({@code jstat -gc}). NaN when the JDK's tools are not beside {@code java}.
     */
    double liveHeapKib(long pid) {
        Path bin = Path.of(javaCmd).getParent();
        if (bin == null || !Files.isExecutable(bin.resolve("jcmd")) || !Files.isExecutable(bin.resolve("jstat"))) {
            return Double.NaN;
        }
        Captured gc = capture(List.of(bin.resolve("jcmd").toString(), Long.toString(pid), "GC.run"), 60);
        if (gc.exit != 0) {
            return Double.NaN;
        }
        Captured stat = capture(List.of(bin.resolve("jstat").toString(), "-gc", Long.toString(pid)), 60);
        List<String> lines = stat.output.lines().filter(l -> !l.isBlank()).toList();
        if (stat.exit != 0 || lines.size() < 2) {
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

    /** Idle connections the server has not closed (nothing readable on them, not even end-of-stream). */
    static int countStillOpen(List<SocketChannel> held) throws IOException {
        int closed = 0;
        try (Selector s = Selector.open()) {
            for (SocketChannel ch : held) {
                ch.register(s, SelectionKey.OP_READ);
            }
            s.selectNow();
            ByteBuffer buf = ByteBuffer.allocate(512);
            for (SelectionKey k : s.selectedKeys()) {
                buf.clear();
                try {
                    int n = ((SocketChannel) k.channel()).read(buf);
                    if (n < 0) {
                        closed++;
                    }
                } catch (IOException e) {
                    closed++;
                }
            }
            for (SelectionKey k : s.keys()) {
                k.cancel();
            }
            s.selectNow();
        }
        return held.size() - closed;
    }

    /** One idle connection's reply being read: complete() is null (more), "" (a correct reply) or the problem. */
    static final class IdleConn {
        ByteBuffer buf = ByteBuffer.allocate(1024);

        String complete() {
            byte[] a = buf.array();
            int n = buf.position();
            int end = -1;
            for (int i = 3; i < n; i++) {
                if (a[i - 3] == '\r' && a[i - 2] == '\n' && a[i - 1] == '\r' && a[i] == '\n') {
                    end = i + 1;
                    break;
                }
            }
            if (end < 0) {
                return n == a.length ? "reply head larger than 1 KiB" : null;
            }
            String head = new String(a, 0, end, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 200")) {
                return "reply " + head.lines().findFirst().orElse("");
            }
            Matcher cl = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$").matcher(head);
            if (!cl.find()) {
                return "reply without Content-Length";
            }
            int length = Integer.parseInt(cl.group(1));
            if (n < end + length) {
                return null;
            }
            String body = new String(a, end, length, StandardCharsets.UTF_8);
            if (!body.equals(PLAINTEXT_BODY) || n > end + length) {
                return "unexpected reply body " + quote(body);
            }
            if (Pattern.compile("(?im)^connection:\\s*close").matcher(head).find()) {
                return "the server closes the connection (Connection: close)";
            }
            return "";
        }
    }

    void stop(ServerRun run) {
        Process p = run.process;
        if (p == null) {
            return;
        }
        p.destroy(); // SIGTERM: a graceful stop
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                run.stopNote = "did not stop within 15 s of SIGTERM; killed";
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        running = null;
        sleepMillis(500);
    }

    int freePort() {
        for (int i = 0; i < 1000; i++) {
            int port = nextPort++;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException e) {
                // taken; next
            }
        }
        throw new IllegalStateException("no free port from " + basePort);
    }

    // ---- correctness ----------------------------------------------------------------------------

    static byte[] request(String path, int port) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** How many times each server is started to time its first response. */
    static final int STARTS = 3;

    /** Milliseconds from {@code t0} (just before {@code p} started) to the first correct /plaintext. */
    static double timeFirstResponse(Process p, int port, long t0, Path logFile) throws IOException {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
        String lastError = "no attempt";
        while (true) {
            if (!p.isAlive()) {
                throw new IOException("server exited with " + p.exitValue() + " before answering; see " + logFile);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("no correct response within 30 s (" + lastError + "); see " + logFile);
            }
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(5000);
                OutputStream os = s.getOutputStream();
                os.write(request("/plaintext", port));
                os.flush();
                HttpResponse r = HttpResponse.read(new BufferedInputStream(s.getInputStream()));
                if (r.status == 200 && r.bodyText().equals(PLAINTEXT_BODY)) {
                    return (System.nanoTime() - t0) / 1e6;
                }
                lastError = "status " + r.status + ", body " + quote(r.bodyText());
            } catch (IOException e) {
                lastError = e.getMessage();
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** Stops a server started only to time its start, and waits for its port to be free again. */
    static void stopQuietly(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static void warmPollingClient(int port) {
        byte[] canned = ("HTTP/1.1 200 OK\r\nServer: x\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 13\r\n\r\n" + PLAINTEXT_BODY).getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 2000; i++) {
            try {
                HttpResponse r = HttpResponse.read(new BufferedInputStream(new java.io.ByteArrayInputStream(canned)));
                if (r.status != 200 || !r.bodyText().equals(PLAINTEXT_BODY) || !checkResponse(r, PLAINTEXT_BODY, "text/plain").isEmpty()) {
                    throw new IllegalStateException("the polling client misreads a canned response");
                }
                request("/plaintext", port);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000); // nothing listens yet: refused
        } catch (IOException expected) {
            // the path the first polls take
        }
    }

    /** Exact body, status 200, and the headers the benchmark rules require. */
    static List<String> checkResponse(HttpResponse r, String body, String typePrefix) {
        List<String> problems = new ArrayList<>();
        if (r.status != 200) {
            problems.add("status " + r.status + " instead of 200");
        }
        if (body != null && !r.bodyText().equals(body)) {
            problems.add("body " + quote(r.bodyText()) + " instead of " + quote(body));
        }
        if (r.header("server").isEmpty()) {
            problems.add("no Server header");
        }
        Optional<String> date = r.header("date");
        if (date.isEmpty()) {
            problems.add("no Date header");
        } else {
            try {
                IMF_FIXDATE.parse(date.get());
            } catch (RuntimeException e) {
                problems.add("malformed Date " + quote(date.get()));
            }
        }
        Optional<String> type = r.header("content-type");
        if (type.isEmpty()) {
            problems.add("no Content-Type header");
        } else if (typePrefix != null && !type.get().toLowerCase(Locale.ROOT).startsWith(typePrefix)) {
            problems.add("Content-Type " + quote(type.get()) + " instead of " + typePrefix);
        }
        Optional<String> length = r.header("content-length");
        if (length.isEmpty()) {
            problems.add("no Content-Length header" + (r.chunked ? " (chunked)" : ""));
        } else if (!length.get().trim().equals(Integer.toString(r.body.length))) {
            problems.add("Content-Length " + length.get() + " but a body of " + r.body.length + " bytes");
        }
        return problems;
    }

    static List<String> checkEndpoint(int port, String path, String body, String type) {
        try (Socket s = connect(port)) {
            s.getOutputStream().write(request(path, port));
            HttpResponse r = HttpResponse.read(new BufferedInputStream(s.getInputStream()));
            return checkResponse(r, body, type).stream().map(p -> path + ": " + p).toList();
        } catch (IOException e) {
            return List.of(path + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** 16 requests in one write; 16 correct responses, in order, on the same connection. */
    static List<String> checkPipelined(int port, String path, String body, String type) {
        try (Socket s = connect(port)) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < PIPELINE_DEPTH; i++) {
                all.write(request(path, port));
            }
            s.getOutputStream().write(all.toByteArray());
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i < PIPELINE_DEPTH; i++) {
                List<String> problems = checkResponse(HttpResponse.read(in), body, type);
                if (!problems.isEmpty()) {
                    return List.of(path + " pipelined, response " + (i + 1) + ": " + problems.getFirst());
                }
            }
            return List.of();
        } catch (IOException e) {
            return List.of(path + " pipelined: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * ab -k speaks HTTP/1.0 with {@code Connection: Keep-Alive}: the reply must say keep-alive (and
     * the connection stay open), or the server must close the connection; a reply that does neither
     * leaves ab waiting.
     */
    static List<String> checkHttp10KeepAlive(int port) {
        String what = "HTTP/1.0 keep-alive (ab -k)";
        try (Socket s = connect(port)) {
            s.getOutputStream().write(("GET /plaintext HTTP/1.0\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: Keep-Alive\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = new BufferedInputStream(s.getInputStream());
            HttpResponse r = HttpResponse.read(in);
            List<String> problems = new ArrayList<>(checkResponse(r, PLAINTEXT_BODY, "text/plain").stream()
                    .map(p -> what + ": " + p).toList());
            boolean saysKeepAlive = r.header("connection").map(v -> v.toLowerCase(Locale.ROOT).contains("keep-alive"))
                    .orElse(false);
            if (!saysKeepAlive) {
                s.setSoTimeout(1000);
                try {
                    if (in.read() >= 0) {
                        problems.add(what + ": bytes after the response");
                    }
                } catch (java.net.SocketTimeoutException e) {
                    problems.add(what + ": the reply has no Connection: keep-alive, yet the connection stays open "
                            + "(HTTP/1.0 defaults to close), so ab -k waits for its timeout");
                }
            }
            return problems;
        } catch (IOException e) {
            return List.of(what + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The Date header must change from one second to the next. */
    static List<String> checkDateChanges(int port) {
        try {
            String first = dateOf(port);
            sleepMillis(1100);
            String second = dateOf(port);
            return first.equals(second) ? List.of("Date did not change over 1.1 s: " + quote(first)) : List.of();
        } catch (IOException e) {
            return List.of("Date check: " + e.getMessage());
        }
    }

    static String dateOf(int port) throws IOException {
        try (Socket s = connect(port)) {
            s.getOutputStream().write(request("/plaintext", port));
            return HttpResponse.read(new BufferedInputStream(s.getInputStream())).header("date").orElse("");
        }
    }

    /** Whether /sleep is served (any answer but 404); its problems when it is. */
    boolean checkSleep(int port, List<String> problems) {
        String path = "/sleep?ms=" + sleepMs;
        try (Socket s = connect(port)) {
            long t0 = System.nanoTime();
            s.getOutputStream().write(request(path, port));
            HttpResponse r = HttpResponse.read(new BufferedInputStream(s.getInputStream()));
            double ms = (System.nanoTime() - t0) / 1e6;
            if (r.status == 404) {
                return false;
            }
            for (String p : checkResponse(r, null, null)) {
                problems.add(path + ": " + p);
            }
            if (r.body.length == 0) {
                problems.add(path + ": empty body");
            }
            if (ms < sleepMs) {
                problems.add(String.format(Locale.ROOT, "%s: answered after %.1f ms, before the sleep ended", path, ms));
            }
            return true;
        } catch (IOException e) {
            problems.add(path + ": " + e.getMessage());
            return true;
        }
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    /** A response read off a stream: status, fields, body (Content-Length or chunked). */
    record HttpResponse(int status, Map<String, List<String>> headers, byte[] body, boolean chunked) {

        Optional<String> header(String lowerName) {
            List<String> v = headers.get(lowerName);
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        static HttpResponse read(InputStream in) throws IOException {
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("malformed status line " + quote(statusLine));
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String l = line(in); !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed header line " + quote(l));
                }
                headers.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(l.substring(colon + 1).trim());
            }
            boolean chunked = headers.getOrDefault("transfer-encoding", List.of()).stream()
                    .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"));
            byte[] body;
            if (chunked) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                while (true) {
                    String size = line(in);
                    int semi = size.indexOf(';');
                    int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (n == 0) {
                        while (!line(in).isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    b.write(in.readNBytes(n));
                    line(in);
                }
                body = b.toByteArray();
            } else if (headers.containsKey("content-length")) {
                int n = Integer.parseInt(headers.get("content-length").getFirst().trim());
                body = in.readNBytes(n);
                if (body.length < n) {
                    throw new IOException("connection closed after " + body.length + " of " + n + " body bytes");
                }
            } else if (status == 204 || status == 304) {
                body = new byte[0];
            } else {
                body = in.readAllBytes(); // delimited by close
            }
            return new HttpResponse(status, headers, body, chunked);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(64);
            int prev = -1;
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed mid-response");
                }
                if (c == '\n' && prev == '\r') {
                    byte[] a = b.toByteArray();
                    return new String(a, 0, a.length - 1, StandardCharsets.ISO_8859_1);
                }
                b.write(c);
                prev = c;
                if (b.size() > 16 * 1024) {
                    throw new IOException("line longer than 16 KiB");
                }
            }
        }
    }

    // ---- processes and /proc --------------------------------------------------------------------

    record Captured(int exit, String output, long wallNanos, long childTicks) {
    }

    /**
     * Runs a command to completion (bounded), capturing its output. Its CPU time is read from this
     * process's cutime+cstime, which grow by exactly a child's CPU when the child is reaped.
     */
    Captured capture(List<String> cmd, int timeoutSeconds) {
        long childBefore = cpuTicks(ProcessHandle.current().pid(), true);
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor();
            }
            long wall = System.nanoTime() - t0;
            String o = new String(output.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            long childAfter = cpuTicks(ProcessHandle.current().pid(), true);
            return new Captured(done ? p.exitValue() : -1, done ? o : o + "\n(killed after " + timeoutSeconds + " s)",
                    wall, childAfter - childBefore);
        } catch (Exception e) {
            return new Captured(-1, "cannot run " + cmd + ": " + e, System.nanoTime() - t0, 0);
        }
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

    // ---- results --------------------------------------------------------------------------------

    static final class Repeat {
        final int number;
        final Map<String, ServerRun> runs = new LinkedHashMap<>();

        Repeat(int number) {
            this.number = number;
        }

        Optional<Measurement> get(String server, String shape) {
            ServerRun r = runs.get(server);
            return r == null ? Optional.empty() : Optional.ofNullable(r.measurements.get(shape));
        }
    }

    static final class ServerRun {
        final String server;
        final Map<String, Measurement> measurements = new LinkedHashMap<>();
        final List<String> plaintextProblems = new ArrayList<>();
        final List<String> jsonProblems = new ArrayList<>();
        final List<String> pipelinedPlaintextProblems = new ArrayList<>();
        final List<String> pipelinedJsonProblems = new ArrayList<>();
        final List<String> sleepProblems = new ArrayList<>();
        /** What would make {@code ab -k} (HTTP/1.0 keep-alive) fail or hang. */
        final List<String> abProblems = new ArrayList<>();
        boolean sleepServed;
        Process process;
        int port;
        String command = "";
        String failure;
        String stopNote;
        /** The database shapes' start line (a second start, with --db), or empty when they did not run. */
        String dbCommand = "";
        /** What the database checks found before the load, by shape. */
        final Map<String, List<String>> dbProblems = new LinkedHashMap<>();
        /** Why PostgreSQL could not be pinned off the server's core, if it could not. */
        List<String> pinProblems = List.of();
        String dbFailure;

        ServerRun(String server) {
            this.server = server;
        }

        Measurement add(String shape) {
            Measurement m = new Measurement();
            measurements.put(shape, m);
            return m;
        }
    }

    static final class Measurement {
        final Map<String, Double> values = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
        double generatorCpu = Double.NaN;
        double serverCpu = Double.NaN;
        /** Core 0's busy time (user, nice, system, steal) not spent by the server: interference. */
        double otherCpu = Double.NaN;
        /** Database shapes: PostgreSQL's processes' CPU, as a share of one core. */
        double databaseCpu = Double.NaN;
        /** Database shapes: the busy share of the core wrk shares with PostgreSQL. */
        double clientCoreBusy = Double.NaN;
        boolean notServed;
        String raw = "";

        /** The client side was the limit: wrk's core, or (database shapes) the core wrk shares with PostgreSQL. */
        boolean saturated() {
            return generatorCpu >= SATURATED || clientCoreBusy >= SATURATED;
        }

        boolean noisy() {
            return otherCpu >= NOISY;
        }

        /** The figure counts: measured, no errors, correct before and after. */
        boolean counts(String key) {
            return !notServed && problems.isEmpty() && values.get(key) != null && !values.get(key).isNaN();
        }

        String summary() {
            String v = values.entrySet().stream()
                    .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.3f", e.getValue()))
                    .collect(Collectors.joining(" "));
            String cpu = Double.isNaN(generatorCpu) ? "" : String.format(Locale.ROOT, " gen-cpu=%.0f%%%s",
                    100 * generatorCpu, saturated() ? " SATURATED" : "");
            return v + cpu + (problems.isEmpty() ? "" : " ERRORS: " + problems);
        }
    }

    /** How one shape is reported: its key figure and which way is better. */
    record Shape(String id, String title, String description, String key, String unit, boolean higherBetter,
                 boolean generatorLoaded) {

        int decimals() {
            return switch (key) {
                case "rps", "ms" -> 0;
                case "perConnKiB" -> 2;
                default -> 3;
            };
        }
    }

    List<Shape> shapes() {
        List<Shape> all = new ArrayList<>(httpShapes());
        all.addAll(DatabaseShapes.shapes());
        return all;
    }

    List<Shape> httpShapes() {
        return List.of(
                new Shape("plaintext-pipelined", "Plaintext, pipelined",
                        "`GET /plaintext`, " + CONNS + " connections, pipelined " + PIPELINE_DEPTH
                                + " deep (`wrk -t1 -c" + CONNS + " -s pipeline.lua … -- " + PIPELINE_DEPTH + "`)",
                        "rps", "req/s", true, true),
                new Shape("json", "JSON",
                        "`GET /json`, " + CONNS + " connections, no pipelining (`wrk -t1 -c" + CONNS + "`)",
                        "rps", "req/s", true, true),
                new Shape("json-pipelined", "JSON, pipelined",
                        "`GET /json`, " + CONNS + " connections, pipelined " + PIPELINE_DEPTH + " deep",
                        "rps", "req/s", true, true),
                new Shape("json-latency", "JSON latency at " + LATENCY_CONNS + " connections",
                        "`GET /json`, " + LATENCY_CONNS + " connections (`wrk -t1 -c" + LATENCY_CONNS
                                + " --latency`); the figure is p99",
                        "p99", "ms", false, true),
                new Shape("sleep", "Sleep " + sleepMs + " ms at " + String.format(Locale.ROOT, "%,d", sleepConns) + " connections",
                        String.format(Locale.ROOT, "`GET /sleep?ms=%d`, %,d connections; ideal is connections ÷ sleep = %,.0f req/s",
                                sleepMs, sleepConns, idealSleepRps()),
                        "rps", "req/s", true, true),
                new Shape("memory", "Idle keep-alive connections: memory",
                        "the server's RSS (VmRSS) before and after opening idle keep-alive connections, each after one "
                                + "`GET /plaintext`; the figure is the growth per connection",
                        "perConnKiB", "KiB/conn", false, false),
                new Shape("startup", "Time to first response",
                        "from starting the server process to the first correct `GET /plaintext` response "
                                + "(polling with a raw socket every 0.2 ms); the median of " + STARTS + " starts",
                        "ms", "ms", false, false),
                new Shape("ab", "ab: mean time per request",
                        "`ab -k -c " + AB_CONCURRENCY + " -n " + AB_REQUESTS + "` on `/plaintext`; the figure is "
                                + "\"Time per request (mean, across all concurrent requests)\"",
                        "meanAcross", "ms", false, true));
    }

    // ---- the report -----------------------------------------------------------------------------

    String report(Instant started, Instant finished) {
        StringBuilder md = new StringBuilder();
        DateTimeFormatter stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");
        md.append("# Benchmarks\n\n");
        md.append("Written by `bench/run.sh` (`bench/Sweep.java`")
                .append(invocation.isBlank() ? "" : ", arguments `" + invocation + "`")
                .append(") — every figure below comes from that one run; rerun it rather than editing this file.\n\n");
        md.append("Strand and its peers are measured one after the other in the same sweep, each with the same JVM "
                + "flags, the server pinned to core 0 and the load generator pinned to core 1, so each side has one "
                + "core and the figures are per-core efficiency. Ratios to the best peer of the same repeat matter "
                + "more than the absolute numbers.\n\n");

        md.append("## Setup\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| date | ").append(stamp.format(ZonedDateTime.ofInstant(started, ZoneOffset.UTC)))
                .append(" to ").append(stamp.format(ZonedDateTime.ofInstant(finished, ZoneOffset.UTC))).append(" |\n");
        md.append("| machine | ").append(machine()).append(" |\n");
        md.append("| kernel | ").append(capture(List.of("uname", "-sr"), 10).output.trim()).append(" |\n");
        md.append("| JDK | ").append(javaVersion()).append(" |\n");
        md.append("| JVM flags (every server) | `").append(String.join(" ", jvmFlags)).append("` |\n");
        md.append("| pinning | server `taskset -c 0`; wrk and ab `taskset -c 1` (the sweep itself runs on core 1 too) |\n");
        md.append("| wrk | ").append(toolVersion("wrk")).append(", `-t1 --timeout ").append(WRK_TIMEOUT).append("` |\n");
        md.append("| ab | ").append(toolVersion("ab")).append(" |\n");
        md.append("| steps | ").append(duration).append(" s measured per step, after ").append(warmup)
                .append(" s warm-up per shape").append(quick ? " (`--quick`: a smoke run, not for quoting)" : "")
                .append(" |\n");
        md.append("| repeats | ").append(repeats.size()).append(" |\n");
        md.append("| shapes | ").append(shapes.describe()).append(" |\n");
        if (shapes.anyDatabase()) {
            DbReport.appendSetup(md, this);
        }
        md.append("| load average before the sweep | ").append(loadAtStart).append(" (other work on the machine shows here) |\n");
        md.append("| idle connections | ").append(idleCountReason).append(" |\n\n");

        md.append("| server | version | command (port varies) |\n|---|---|---|\n");
        for (String server : servers) {
            if (skipped.containsKey(server)) {
                md.append("| ").append(server).append(" | — | not run: ").append(skipped.get(server)).append(" |\n");
                continue;
            }
            String command = repeats.isEmpty() || repeats.getFirst().runs.get(server) == null ? ""
                    : repeats.getFirst().runs.get(server).command.replace(root.toString() + "/", "");
            Optional<String> dbRow = DbReport.commandRow(this, server, root);
            if (!command.isEmpty() || dbRow.isEmpty()) {
                md.append("| ").append(server).append(" | ").append(versions.getOrDefault(server, "?")).append(" | ")
                        .append(command.isEmpty() ? "not started" : "`" + command + "`").append(" |\n");
            }
            dbRow.ifPresent(md::append);
        }
        md.append('\n');

        if (!repeats.isEmpty()) {
            if (shapes.anyHttp()) {
                appendSummary(md);
            }
            if (shapes.anyDatabase()) {
                DbReport.appendSummary(md, this);
            }
            for (Repeat rep : repeats) {
                md.append("## Repeat ").append(rep.number).append(" of ").append(repeats.size()).append("\n\n");
                List<String> failures = new ArrayList<>();
                rep.runs.forEach((server, run) -> {
                    if (run.failure != null) {
                        failures.add("**" + server + "** failed: " + escape(run.failure));
                    }
                    if (run.stopNote != null) {
                        failures.add(server + " " + run.stopNote);
                    }
                    if (run.dbFailure != null) {
                        failures.add("**" + server + "** failed in the database shapes: " + escape(run.dbFailure));
                    }
                });
                if (!failures.isEmpty()) {
                    md.append("- ").append(String.join("\n- ", failures)).append("\n\n");
                }
                int n = 1;
                for (Shape shape : shapes()) {
                    if (shapes.has(shape.id())) {
                        appendTable(md, rep, shape, n++);
                    }
                }
            }
        }
        appendMethod(md);
        return md.toString();
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2] + " (1, 5, 15 min)";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    String machine() {
        int cpus = Runtime.getRuntime().availableProcessors();
        // --all: this process is pinned to one core, and plain nproc would count only that one.
        Captured all = capture(List.of("nproc", "--all"), 10);
        String nproc = all.exit == 0 ? all.output.trim() : "";
        String model = "unknown CPU";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(model);
        } catch (IOException e) {
            // unknown
        }
        String mem = "";
        try {
            mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format(Locale.ROOT, ", %.1f GiB memory",
                            Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                    .findFirst().orElse("");
        } catch (IOException e) {
            // unknown
        }
        return (nproc.isEmpty() ? cpus : nproc) + " cores (`nproc --all`), " + model + mem;
    }

    String javaVersion() {
        String v = capture(List.of(javaCmd, "-version"), 30).output.trim();
        return escape(v.lines().collect(Collectors.joining("; "))) + " (`" + javaCmd + "`)";
    }

    String toolVersion(String tool) {
        String pkg = tool.equals("wrk") ? "wrk" : "apache2-utils";
        String deb = capture(List.of("dpkg-query", "-W", "-f=${Version}", pkg), 10).output.trim();
        String self = tool.equals("wrk") ? capture(List.of("wrk", "-v"), 10).output
                : capture(List.of("ab", "-V"), 10).output;
        String first = self.lines().filter(l -> !l.isBlank()).findFirst().orElse("").trim();
        first = first.replaceAll("\\s*Copyright.*", "").replace("$Revision$", "").replaceAll("[<>]", "").trim();
        return escape(first) + (deb.isEmpty() || deb.contains("no packages") ? "" : " (Debian package " + pkg + " " + deb + ")");
    }

    void appendTable(StringBuilder md, Repeat rep, Shape shape, int n) {
        md.append("### ").append(n).append(". ").append(shape.title()).append("\n\n");
        md.append(shape.description()).append(".\n\n");
        List<String> cols = new ArrayList<>(List.of("server"));
        switch (shape.id()) {
            case "json-latency" -> cols.addAll(List.of("p50 (ms)", "p99 (ms)", "req/s"));
            case "sleep" -> cols.addAll(List.of("req/s", "of ideal"));
            case "memory" -> cols.addAll(List.of("connections held", "RSS before (MiB)", "RSS after (MiB)",
                    "RSS growth (MiB)", "RSS KiB per connection", "live heap before → after (MiB)",
                    "live heap KiB per connection"));
            case "startup" -> cols.add("first response (ms)");
            case "ab" -> cols.addAll(List.of("mean, across concurrent (ms)", "mean per request (ms)", "req/s"));
            default -> cols.add("req/s");
        }
        boolean database = DatabaseShapes.isDatabase(shape.id());
        if (shape.generatorLoaded()) {
            cols.addAll(List.of("server CPU", "others on core 0", "load generator CPU"));
            if (database) {
                cols.addAll(DbReport.columns());
            }
            cols.add("saturated?");
        }
        cols.addAll(List.of("errors / correctness", "÷ best peer"));
        md.append("| ").append(String.join(" | ", cols)).append(" |\n");
        md.append("|").append("---|".repeat(cols.size())).append('\n');

        Optional<Best> best = bestPeer(rep, shape);
        for (var e : rep.runs.entrySet()) {
            String server = e.getKey();
            ServerRun run = e.getValue();
            if (database && !DatabaseShapes.takesPart(server)) {
                continue; // no database endpoints
            }
            Measurement m = run.measurements.get(shape.id());
            List<String> row = new ArrayList<>();
            boolean strand = server.equals("strand");
            row.add(strand ? "**strand**" : server);
            if (m == null) {
                int blanks = cols.size() - 1;
                for (int i = 0; i < blanks - 1; i++) {
                    row.add("—");
                }
                row.add(run.failure != null ? "not measured (server failed)" : "not measured");
                md.append("| ").append(String.join(" | ", row)).append(" |\n");
                continue;
            }
            if (m.notServed) {
                int blanks = cols.size() - 1;
                for (int i = 0; i < blanks - 2; i++) {
                    row.add("—");
                }
                row.add("not served (404)");
                row.add("—");
                md.append("| ").append(String.join(" | ", row)).append(" |\n");
                continue;
            }
            Map<String, Double> v = m.values;
            switch (shape.id()) {
                case "json-latency" -> {
                    row.add(num(v.get("p50"), 3));
                    row.add(num(v.get("p99"), 3));
                    row.add(num(v.get("rps"), 0));
                }
                case "sleep" -> {
                    row.add(num(v.get("rps"), 0));
                    row.add(v.get("ideal%") == null ? "—" : num(v.get("ideal%"), 1) + " %");
                }
                case "memory" -> {
                    row.add(num(v.get("held"), 0));
                    row.add(num(v.get("beforeMiB"), 1));
                    row.add(num(v.get("afterMiB"), 1));
                    row.add(num(v.get("deltaMiB"), 1));
                    row.add(num(v.get("perConnKiB"), 2));
                    row.add(v.get("heapBeforeMiB") == null ? "—"
                            : num(v.get("heapBeforeMiB"), 1) + " → " + num(v.get("heapAfterMiB"), 1));
                    row.add(num(v.get("heapPerConnKiB"), 2));
                }
                case "startup" -> row.add(num(v.get("ms"), 0) + (v.get("minMs") == null ? ""
                        : " (" + num(v.get("minMs"), 0) + "–" + num(v.get("maxMs"), 0) + ")"));
                case "ab" -> {
                    row.add(num(v.get("meanAcross"), 3));
                    row.add(num(v.get("mean"), 3));
                    row.add(num(v.get("rps"), 0));
                }
                default -> row.add(num(v.get("rps"), 0));
            }
            if (shape.generatorLoaded()) {
                row.add(Double.isNaN(m.serverCpu) ? "—" : String.format(Locale.ROOT, "%.0f %%", 100 * m.serverCpu));
                row.add(Double.isNaN(m.otherCpu) ? "—" : String.format(Locale.ROOT, m.noisy() ? "**%.0f %%**" : "%.0f %%",
                        100 * m.otherCpu));
                row.add(Double.isNaN(m.generatorCpu) ? "—" : String.format(Locale.ROOT, "%.0f %%", 100 * m.generatorCpu));
                if (database) {
                    DbReport.addCells(row, m);
                }
                row.add(Double.isNaN(m.generatorCpu) ? "—" : m.saturated() ? "**yes** — lower bound" : "no");
            }
            row.add(m.problems.isEmpty() ? "none" : "**does not count**: " + escape(String.join("; ", m.problems)));
            Double figure = v.get(shape.key());
            if (best.isEmpty() || figure == null || !m.counts(shape.key()) || best.get().value <= 0) {
                row.add("—");
            } else {
                double ratio = figure / best.get().value;
                row.add((strand ? "**" : "") + String.format(Locale.ROOT, "%.2f×", ratio) + (strand ? "**" : ""));
            }
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append('\n');
        Optional<Measurement> s = rep.get("strand", shape.id());
        if (best.isPresent() && best.get().value <= 0 && s.isPresent() && s.get().counts(shape.key())) {
            md.append(String.format(Locale.ROOT, "The best peer's figure (%s, %s %s) is not above zero: no ratio; Strand's is %s %s.\n\n",
                    best.get().server, num(best.get().value, shape.decimals()), shape.unit(),
                    num(s.get().values.get(shape.key()), shape.decimals()), shape.unit()));
        } else if (best.isPresent() && s.isPresent() && s.get().counts(shape.key())) {
            double ratio = s.get().values.get(shape.key()) / best.get().value;
            md.append(String.format(Locale.ROOT, "Strand ÷ best peer (%s, %s %s): **%.2f×** (%s is better).",
                    best.get().server, num(best.get().value, shape.decimals()), shape.unit(), ratio,
                    shape.higherBetter() ? "higher" : "lower"));
            List<String> lowerBounds = new ArrayList<>();
            if (s.get().saturated()) {
                lowerBounds.add("Strand's");
            }
            if (best.get().measurement.saturated()) {
                lowerBounds.add(best.get().server + "'s");
            }
            if (!lowerBounds.isEmpty()) {
                md.append(" The load generator was saturated while measuring ").append(String.join(" and ", lowerBounds))
                        .append(" figure: that figure is a bound (the server could do at least that well), "
                                + "so the ratio is only indicative.");
            }
            md.append("\n\n");
        } else if (s.isPresent() && best.isEmpty() && rep.runs.size() > 1) {
            md.append("No peer figure counts in this repeat: no ratio.\n\n");
        }
        if (database) {
            DbReport.appendRatios(md, rep, shape);
        }
    }

    record Best(String server, double value, Measurement measurement) {
    }

    static Optional<Best> bestPeer(Repeat rep, Shape shape) {
        Best best = null;
        for (var e : rep.runs.entrySet()) {
            if (e.getKey().equals("strand")) {
                continue;
            }
            Measurement m = e.getValue().measurements.get(shape.id());
            if (m == null || !m.counts(shape.key())) {
                continue;
            }
            double v = m.values.get(shape.key());
            if (best == null || (shape.higherBetter() ? v > best.value : v < best.value)) {
                best = new Best(e.getKey(), v, m);
            }
        }
        return Optional.ofNullable(best);
    }

    // ---- the issue's bars -----------------------------------------------------------------------

    enum Outcome { MET, NOT_MET, UNDECIDED }

    record Verdict(Outcome outcome, String detail) {
    }

    interface BarCheck {
        Verdict check(Repeat rep);
    }

    /** One of the issue's bars, on the shape {@code shape}. */
    record Bar(String shape, String text, BarCheck check) {
    }

    Shape shape(String id) {
        return shapes().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    /** Strand against one peer on one shape: met when strand/peer passes {@code factor}. */
    Verdict against(Repeat rep, String shapeId, String peer, double factor) {
        Shape shape = shape(shapeId);
        Optional<Measurement> s = rep.get("strand", shapeId);
        Optional<Measurement> p = rep.get(peer, shapeId);
        if (s.isEmpty() || !s.get().counts(shape.key())) {
            return new Verdict(Outcome.UNDECIDED, "Strand's figure " + (s.isEmpty() ? "missing" : "does not count"));
        }
        if (p.isEmpty() || !p.get().counts(shape.key())) {
            return new Verdict(Outcome.UNDECIDED, peer + (p.isEmpty() ? " not in this run" : "'s figure does not count"));
        }
        double sv = s.get().values.get(shape.key());
        double pv = p.get().values.get(shape.key());
        boolean pass;
        String detail;
        if (pv > 0) {
            double ratio = sv / pv;
            pass = shape.higherBetter() ? ratio >= factor : ratio <= factor;
            detail = String.format(Locale.ROOT, "%s vs %s %s %s: %.2f×", num(sv, shape.decimals()), peer,
                    num(pv, shape.decimals()), shape.unit(), ratio);
        } else {
            // No meaningful ratio to a figure at or below zero (RSS can shrink): compare the figures.
            pass = shape.higherBetter() ? sv >= pv : sv <= pv;
            detail = String.format(Locale.ROOT, "%s vs %s %s %s", num(sv, shape.decimals()), peer,
                    num(pv, shape.decimals()), shape.unit());
        }
        // A saturated generator makes a figure a bound in the server's favour.
        if (pass && p.get().saturated()) {
            return new Verdict(Outcome.UNDECIDED, detail + "; " + peer + "'s figure is a lower bound");
        }
        if (!pass && s.get().saturated()) {
            return new Verdict(Outcome.UNDECIDED, detail + "; Strand's figure is a lower bound");
        }
        return new Verdict(pass ? Outcome.MET : Outcome.NOT_MET, detail);
    }

    List<Bar> bars() {
        return List.of(
                new Bar("plaintext-pipelined", "plaintext pipelined ≥ 1.10× Netty", rep -> against(rep, "plaintext-pipelined", "netty", 1.10)),
                new Bar("json", "json (256 connections) ≥ 1.00× Netty", rep -> against(rep, "json", "netty", 1.00)),
                new Bar("json-pipelined", "json pipelined ≥ 1.00× Netty", rep -> against(rep, "json-pipelined", "netty", 1.00)),
                new Bar("json-latency", "json p99 at 10 connections ≤ Netty's", rep -> against(rep, "json-latency", "netty", 1.00)),
                new Bar("sleep", String.format(Locale.ROOT, "sleep ≥ 90 %% of ideal (%,.0f req/s)", idealSleepRps()), rep -> {
                    Optional<Measurement> s = rep.get("strand", "sleep");
                    if (s.isEmpty() || !s.get().counts("rps")) {
                        return new Verdict(Outcome.UNDECIDED, "Strand's figure " + (s.isEmpty() ? "missing" : "does not count"));
                    }
                    double pct = s.get().values.get("ideal%");
                    boolean pass = pct >= 90;
                    String d = String.format(Locale.ROOT, "%s req/s = %.1f %% of ideal", num(s.get().values.get("rps"), 0), pct);
                    if (!pass && s.get().saturated()) {
                        return new Verdict(Outcome.UNDECIDED, d + "; Strand's figure is a lower bound");
                    }
                    return new Verdict(pass ? Outcome.MET : Outcome.NOT_MET, d);
                }),
                new Bar("sleep", "sleep ≥ 10× Jetty (platform threads)", rep -> against(rep, "sleep", "jetty-platform", 10.0)),
                new Bar("memory", "idle-connection memory ≤ Netty's (growth per connection)", rep -> against(rep, "memory", "netty", 1.00)),
                new Bar("startup", "first response ≤ 300 ms", rep -> {
                    Optional<Measurement> s = rep.get("strand", "startup");
                    if (s.isEmpty() || !s.get().counts("ms")) {
                        return new Verdict(Outcome.UNDECIDED, "Strand's figure " + (s.isEmpty() ? "missing" : "does not count"));
                    }
                    double ms = s.get().values.get("ms");
                    return new Verdict(ms <= 300 ? Outcome.MET : Outcome.NOT_MET, num(ms, 0) + " ms");
                }),
                new Bar("ab", "ab mean time per request (across concurrent requests) < 0.1 ms", rep -> {
                    Optional<Measurement> s = rep.get("strand", "ab");
                    if (s.isEmpty() || !s.get().counts("meanAcross")) {
                        return new Verdict(Outcome.UNDECIDED, "Strand's figure " + (s.isEmpty() ? "missing" : "does not count"));
                    }
                    double ms = s.get().values.get("meanAcross");
                    boolean pass = ms < 0.1;
                    if (!pass && s.get().saturated()) {
                        return new Verdict(Outcome.UNDECIDED, num(ms, 3) + " ms; ab saturated its core, so this is an upper bound");
                    }
                    return new Verdict(pass ? Outcome.MET : Outcome.NOT_MET, num(ms, 3) + " ms");
                }));
    }

    void appendSummary(StringBuilder md) {
        md.append("## Summary: the issue's bars\n\n");
        if (!servers.contains("strand") || skipped.containsKey("strand")) {
            md.append("Strand was not part of this run: no bars to check.\n\n");
            return;
        }
        md.append("| bar |");
        for (Repeat rep : repeats) {
            md.append(" repeat ").append(rep.number).append(" |");
        }
        md.append(" verdict |\n|---|").append("---|".repeat(repeats.size())).append("---|\n");
        for (Bar bar : bars()) {
            if (!shapes.has(bar.shape())) {
                continue;
            }
            md.append("| ").append(bar.text()).append(" |");
            int met = 0;
            int notMet = 0;
            for (Repeat rep : repeats) {
                Verdict v = bar.check().check(rep);
                String mark = switch (v.outcome()) {
                    case MET -> "met";
                    case NOT_MET -> "**not met**";
                    case UNDECIDED -> "undecided";
                };
                met += v.outcome() == Outcome.MET ? 1 : 0;
                notMet += v.outcome() == Outcome.NOT_MET ? 1 : 0;
                md.append(' ').append(mark).append(": ").append(escape(v.detail())).append(" |");
            }
            int n = repeats.size();
            String verdict;
            if (met == n) {
                verdict = n == 1 ? "met" : "met in all " + n + " repeats";
            } else if (notMet == n) {
                verdict = n == 1 ? "**not met**" : "**not met** in any of " + n + " repeats";
            } else if (met == 0 && notMet == 0) {
                verdict = "undecided";
            } else {
                verdict = "met in " + met + " of " + n + ", not met in " + notMet;
            }
            md.append(' ').append(verdict).append(" |\n");
        }
        md.append('\n');
        List<String> saturated = new ArrayList<>();
        for (Repeat rep : repeats) {
            rep.runs.forEach((server, run) -> run.measurements.forEach((shape, m) -> {
                if (m.saturated()) {
                    // Database shapes: wrk's core is PostgreSQL's too, and may be full with wrk far from it.
                    String busy = m.generatorCpu >= SATURATED ? String.format(Locale.ROOT, "%.0f %%", 100 * m.generatorCpu)
                            : String.format(Locale.ROOT, "core %d %.0f %% busy with wrk and PostgreSQL",
                                    DatabaseShapes.POSTGRES_CORE, 100 * m.clientCoreBusy);
                    saturated.add(String.format(Locale.ROOT, "%s %s%s (%s)", server, shape,
                            repeats.size() > 1 ? ", repeat " + rep.number : "", busy));
                }
            }));
        }
        md.append(saturated.isEmpty()
                ? "The load generator's core was never saturated (below " + Math.round(SATURATED * 100) + " % CPU in every step).\n\n"
                : "**The load generator's core was saturated** (≥ " + Math.round(SATURATED * 100) + " % CPU) in: "
                        + String.join(", ", saturated)
                        + ". There the server's figure is a lower bound: it might do better with a faster client.\n\n");
        List<String> noisy = new ArrayList<>();
        for (Repeat rep : repeats) {
            rep.runs.forEach((server, run) -> run.measurements.forEach((shape, m) -> {
                if (m.noisy()) {
                    noisy.add(String.format(Locale.ROOT, "%s %s%s (%.0f %%)", server, shape,
                            repeats.size() > 1 ? ", repeat " + rep.number : "", 100 * m.otherCpu));
                }
            }));
        }
        if (!noisy.isEmpty()) {
            md.append("**Other work shared the server's core** (≥ ").append(Math.round(NOISY * 100))
                    .append(" % of core 0 busy outside the server) in: ").append(String.join(", ", noisy))
                    .append(". Those figures understate the server; rerun on a quiet machine before quoting them.\n\n");
        }
        md.append("A bar is *undecided* when a figure it needs is missing or does not count (errors or wrong "
                + "responses), or when a saturated load generator makes the comparison inconclusive.\n\n");
        md.append("Where a bar is not met, `bench/profile.sh --shape sleep|json|json-latency|plaintext` profiles "
                + "Strand under that shape (CPU by category in µs per request, JIT and GC time on the server's core); "
                + "[performance.md](performance.md) keeps the latest profiles and what was tried.\n\n");
    }

    // ---- JMH ------------------------------------------------------------------------------------

    static final String JMH_HEADING = "## Microbenchmarks (JMH)";

    /**
     * Puts the JMH results into the report: in place of an earlier JMH section, else at its end; a
     * report that does not exist yet gets a short header first.
     */
    void putJmhSection() throws IOException {
        StringBuilder section = new StringBuilder();
        appendJmh(section);
        String text;
        if (Files.exists(out)) {
            String old = Files.readString(out);
            int at = old.indexOf(JMH_HEADING);
            if (at >= 0) {
                int next = old.indexOf("\n## ", at + JMH_HEADING.length());
                text = old.substring(0, at) + section + (next < 0 ? "" : old.substring(next + 1));
            } else {
                text = old + (old.endsWith("\n\n") ? "" : old.endsWith("\n") ? "\n" : "\n\n") + section;
            }
        } else {
            text = "# Benchmarks\n\nWritten by `bench/run.sh`; only the JMH microbenchmarks were run.\n\n" + section;
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, text);
        log("wrote the JMH results into %s", out);
    }

    void appendJmh(StringBuilder md) {
        md.append(JMH_HEADING).append("\n\n");
        md.append("Run ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
                        .format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append(" on ").append(machine()).append(", with ").append(javaVersion()).append(".");
        if (!jmhCommand.isBlank()) {
            md.append(" Command: `").append(jmhCommand).append("`.");
        }
        md.append(" Brief runs, not pinned to a core (the hand-off benchmarks need two threads), on a machine that "
                + "may be doing other work (load average before: ").append(loadAverage())
                .append("): for spotting regressions and comparing changes, not for quoting. All are average "
                        + "times per operation; lower is better.\n\n");
        md.append("- `ParserBenchmark`: `Http1Parser`, one reused parser: `browserGet` a browser-like GET with "
                + "eight header fields; `pipelined16` per request, sixteen pipelined plaintext requests in one buffer.\n");
        md.append("- `ResponseWriterBenchmark`: `Http1Connection.encodeHead` on an unstarted connection (`head`), and "
                + "the whole small response `respond` builds from it (`plaintextResponse`, `jsonResponse`: head, "
                + "`Content-Length`, body into one buffer; no queueing or socket write); `dateLine` the per-call "
                + "`Date` check.\n");
        md.append("- `TaskHandOffBenchmark`: `EventLoop.execute` from another thread, one task and the wait for it "
                + "(`executeRoundTrip`, including waking a loop asleep in `select`) or per task in a batch of 1,000 "
                + "(`executeBatch`); per call on the loop itself, `schedule` (runs at once: `scheduleOnLoop`) and "
                + "`execute` (queued for the turn: `executeOnLoop`).\n");
        md.append("- `PoolBenchmark`: Strand's `Pool` against HikariCP 7 over the same stub `DataSource`, per "
                + "acquire-and-return of 100,000 shared by 1,000 or 10,000 virtual threads contending for 8 or 50 "
                + "connections, each held for CPU work (`cpu`) or a 100 µs park like a query (`park`); its "
                + "secondary results `waitP50Micros`, `waitP99Micros`, `waitMaxMicros` are the spread of the "
                + "single waits, in µs.\n\n");
        List<String> lines;
        try {
            lines = Files.readAllLines(jmhCsv);
        } catch (IOException e) {
            md.append("No results: cannot read ").append(jmhCsv).append(": ").append(e.getMessage()).append("\n\n");
            return;
        }
        if (lines.size() < 2) {
            md.append("No results in ").append(jmhCsv).append(".\n\n");
            return;
        }
        List<String> header = csv(lines.getFirst());
        int bench = header.indexOf("Benchmark");
        int mode = header.indexOf("Mode");
        int score = header.indexOf("Score");
        int error = header.indexOf("Score Error (99.9%)");
        int unit = header.indexOf("Unit");
        int samples = header.indexOf("Samples");
        List<Integer> params = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).startsWith("Param: ")) {
                params.add(i);
            }
        }
        md.append("| benchmark | mode | score | ± error (99.9 %) | unit | samples |");
        for (int p : params) {
            md.append(' ').append(header.get(p).substring("Param: ".length())).append(" |");
        }
        md.append("\n|---|---|---|---|---|---|").append("---|".repeat(params.size())).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = csv(line);
            String name = f.get(bench).replaceFirst("^dev\\.strand\\.(http|reactor|pool)\\.", "");
            md.append("| ").append(name).append(" | ").append(f.get(mode)).append(" | ")
                    .append(jmhNum(f.get(score))).append(" | ").append(jmhNum(f.get(error))).append(" | ")
                    .append(f.get(unit)).append(" | ").append(f.get(samples)).append(" |");
            for (int p : params) {
                md.append(' ').append(p < f.size() ? f.get(p) : "").append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    static String jmhNum(String s) {
        try {
            double v = Double.parseDouble(s);
            if (Double.isNaN(v)) {
                return "—";
            }
            return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3f", v);
        } catch (NumberFormatException e) {
            return s;
        }
    }

    static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    // ---- how it is measured ---------------------------------------------------------------------

    void appendMethod(StringBuilder md) {
        md.append("## How the figures are taken\n\n");
        md.append("- Each server runs alone: started, checked, warmed up, measured, then stopped (SIGTERM, "
                + "killed after 15 s) before the next one starts.\n");
        md.append("- **Correctness first.** Before any load: `GET /plaintext` must answer 200 with exactly `")
                .append(PLAINTEXT_BODY).append("` and `GET /json` exactly `").append(JSON_BODY)
                .append("`, each with `Server`, a valid `Date`, `Content-Type` (`text/plain…`, `application/json…`) "
                        + "and a `Content-Length` equal to the body's length; 16 requests pipelined in one write must "
                        + "get 16 such responses in order; `Date` must change across 1.1 s; an HTTP/1.0 request with `Connection: Keep-Alive` (what `ab -k` sends) must get a correct reply that either says keep-alive or closes the connection, else `ab` would hang and is not run. After every step, one "
                        + "fresh request is checked again. A figure counts only if these checks pass and the load "
                        + "generator saw no errors (wrk: socket errors or non-2xx/3xx responses; ab: failed or "
                        + "non-2xx requests); otherwise the table says **does not count** and why. wrk itself does "
                        + "not check bodies: the checks around each step stand in for that.\n");
        md.append("- **Warm-up**: ").append(warmup).append(" s of each measured wrk shape before the first measured step.\n");
        md.append("- **Load generator CPU** is wrk's (or ab's) user+system time over the step's wall time, read "
                + "from `/proc`; at ≥ ").append(Math.round(SATURATED * 100))
                .append(" % of its core it is *saturated*, and the server's figure is a lower bound. "
                        + "**Server CPU** is the server process's share of its core over the same time; **others on "
                        + "core 0** is the rest of core 0's busy time (user, nice, system and steal in `/proc/stat`): "
                        + "other processes or the hypervisor taking the server's core, which makes a figure noisy.\n");
        md.append("- **Memory**: the server's `VmRSS` from `/proc/<pid>/status`, read 1 s after the `ab` step and a "
                + "full GC, then again after opening the idle connections (a window of 256 connecting at a time; each sends one "
                + "`GET /plaintext`, reads the whole reply and then stays open) and waiting ")
                .append(quick ? "1 s" : "2 s").append(" and another full GC. The connections are held by the sweep's own process "
                        + "(Java NIO). Count: ").append(idleCountReason).append(". The report also checks that the "
                        + "server had not closed any of them when RSS was read. The heap is sized by `-Xms` but not "
                        + "pre-touched, so heap growth shows in RSS as well as native memory; the full GC "
                        + "(`jcmd <pid> GC.run`) before each reading moves live objects into the old generation, so "
                        + "connection state that would sit in an already-touched young generation still shows. RSS can "
                        + "also shrink (freed native memory), which makes small figures noisy. The table also gives the "
                        + "**live heap** after each of those GCs (`jstat -gc`: used survivor, eden and old space); it "
                        + "misses native memory (direct buffers), which RSS catches. The bar uses RSS, as the issue "
                        + "defines it.\n");
        md.append("- **Time to first response** runs from just before the process is spawned (`taskset -c 0 java …`) "
                + "to the first correct `/plaintext` reply, so it includes JVM start-up.\n");
        if (shapes.anyDatabase()) {
            DbReport.appendMethod(md, this);
        }
        md.append("- The `÷ best peer` column divides each server's figure by the best peer's figure in the same "
                + "table (for latency, memory, start-up and ab lower is better, so there Strand wants ≤ 1.00×).\n");
    }

    static String num(Double v, int decimals) {
        if (v == null || v.isNaN()) {
            return "—";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    static String escape(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
