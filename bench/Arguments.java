import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The sweep's command line: its usage text, and the parsing that sets a {@link Sweep}'s options. */
final class Arguments {

    private Arguments() {
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
              --strand-db C       how Strand reaches it: pipelined (strand-pg, --db postgresql://…; the
                                  default) or jdbc (pgjdbc, --db jdbc:postgresql://…, as the peers)
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

    static void parse(Sweep sweep, String[] args) {
        boolean durationSet = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--root" -> sweep.root = Path.of(value(args, ++i, a)).toAbsolutePath().normalize();
                case "--java" -> sweep.javaCmd = value(args, ++i, a);
                case "--repeat" -> sweep.repeat = positive(value(args, ++i, a), a);
                case "--servers" -> sweep.servers = serverList(value(args, ++i, a));
                case "--duration" -> {
                    sweep.duration = positive(value(args, ++i, a), a);
                    durationSet = true;
                }
                case "--quick" -> sweep.quick = true;
                case "--check-only" -> sweep.checkOnly = true;
                case "--out" -> sweep.out = Path.of(value(args, ++i, a));
                case "--jvm-flags" -> sweep.jvmFlags = List.of(value(args, ++i, a).trim().split("\\s+"));
                case "--idle-conns" -> sweep.idleConns = positive(value(args, ++i, a), a);
                case "--jmh-csv" -> sweep.jmhCsv = Path.of(value(args, ++i, a));
                case "--jmh-command" -> sweep.jmhCommand = value(args, ++i, a);
                case "--logs" -> sweep.logs = Path.of(value(args, ++i, a));
                case "--shapes" -> sweep.shapes = ShapeSelection.parse(value(args, ++i, a));
                case "--db-url" -> sweep.dbUrl = value(args, ++i, a);
                case "--db-pool" -> sweep.dbPool = positive(value(args, ++i, a), a);
                case "--strand-db" -> sweep.strandPipelined = switch (value(args, ++i, a)) {
                    case "pipelined" -> true;
                    case "jdbc" -> false;
                    default -> throw new IllegalArgumentException("--strand-db takes pipelined or jdbc");
                };
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option: " + a);
            }
        }
        if (sweep.quick && !durationSet) {
            sweep.duration = 2;
        }
        sweep.warmup = sweep.quick ? 1 : Math.max(1, sweep.duration / 2);
        if (sweep.out == null) {
            sweep.out = sweep.root.resolve("docs/benchmarks.md");
        }
        sweep.postgres = new Postgres(sweep, sweep.dbUrl);
        sweep.invocation = String.join(" ", args);
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
            return new ArrayList<>(Sweep.ALL_SERVERS);
        }
        for (String name : s.split(",")) {
            name = name.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("jetty")) {
                list.add("jetty-platform");
                list.add("jetty-virtual");
            } else if (Sweep.ALL_SERVERS.contains(name)) {
                list.add(name);
            } else {
                throw new IllegalArgumentException("unknown server: " + name);
            }
        }
        // Report order, no duplicates.
        return Sweep.ALL_SERVERS.stream().filter(list::contains).collect(Collectors.toCollection(ArrayList::new));
    }
}
