package dev.strand.demo;

import dev.strand.http.HttpServer;
import dev.strand.jdbc.Database;
import dev.strand.jdbc.DatabaseException;
import dev.strand.pool.PoolException;
import dev.strand.reactor.Deadline;
import dev.strand.reactor.FiberMode;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Starts the demo server, or seeds a database for it:
 *
 * <pre>
 * java -jar strand-demo.jar [--port N] [--db URL [--db-user U] [--db-password P]] [--db-pool N]
 * java -jar strand-demo.jar seed --db URL [--db-user U] [--db-password P]
 * </pre>
 *
 * <p>Without {@code --db} the server keeps its tables in an in-memory H2, created and seeded at
 * start. With {@code --db postgresql://…} (Strand's pipelined client), {@code --db jdbc:postgresql://…}
 * or {@code --db jdbc:mariadb://…} it serves the
 * tables already there, made by {@code seed} or by TechEmpower's own scripts, and checks at start
 * that they are. {@code seed} creates them: it leaves tables that are already TechEmpower's as they
 * are and drops and makes anew any that is missing or different, so running it again is harmless.
 *
 * <p>Exits with 2 on bad arguments, and with 1 when the port cannot be bound, the database cannot
 * be reached or lacks its tables, or seeding fails. SIGINT and SIGTERM stop the server gracefully:
 * in-flight requests get up to the server's grace period (10 s) to finish, then the database is closed.
 */
public final class DemoMain {

    /** How long the start may take to check a database server's tables, connecting included. */
    static final Duration CHECK_DEADLINE = Duration.ofSeconds(10);
    static final int DEFAULT_PORT = 8080;
    // Concatenated, not String.formatted: a Formatter loads the locale data (CLDR), tens of
    // milliseconds of a cold start, before the server may answer.
    static final String USAGE = String.join("\n",
            "usage: strand-demo [--port N] [--db URL [--db-user U] [--db-password P]] [--db-pool N]",
            "       strand-demo seed --db URL [--db-user U] [--db-password P]",
            "  --port N     0 to 65535, default " + DEFAULT_PORT + "; 0 picks a free port",
            "  --db URL     postgresql://… (Strand's pipelined client), jdbc:postgresql://… (pgjdbc) or jdbc:mariadb://…;",
            "               default: H2 in memory, seeded at start",
            "  --db-pool N  the most connections, default " + DatabaseSettings.defaultPoolSize() + " (twice the cores, at least 4)",
            "  seed         creates and fills World and Fortune in --db; tables already right are kept");

    private DemoMain() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the command line, printing to {@code out} and {@code err}; returns the exit status. A
     * server keeps running after this returns 0, until the JVM is stopped.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("strand-demo: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(USAGE);
            return 0;
        }
        return options.seed() ? seed(options.db(), out, err) : serve(options, out, err);
    }

    private static int seed(DatabaseSettings settings, PrintStream out, PrintStream err) {
        try (Database db = settings.open()) {
            List<String> done = Tables.seed(db, settings.url());
            done.forEach(line -> out.println("strand-demo seed: " + line));
            return 0;
        } catch (DatabaseException | PoolException | IllegalStateException e) {
            err.println("strand-demo seed: cannot seed " + withoutParameters(settings.url()) + ": " + e.getMessage());
            return 1;
        }
    }

    private static int serve(Options options, PrintStream out, PrintStream err) {
        Started started;
        try {
            started = start(options.db(), config -> config.port(options.port()), out, err);
        } catch (IllegalStateException e) {
            err.println("strand-demo: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("strand-demo-stop").unstarted(started::close));
        return 0;
    }

    /**
     * Starts the demo: a server database is opened and its tables checked before the server listens
     * (a missing one stops the start); the in-memory one is opened and seeded after the server
     * listens, off the way to the first response, the database routes waiting for it within their
     * deadlines. {@code tune} sets the server's configuration (the port at least). Prints where it
     * listens and how to drive its QoS. Shared by this command and {@link DemoService}.
     *
     * @throws IllegalStateException with a message for the user when the database is unusable or the
     *                               port cannot be bound
     */
    static Started start(DatabaseSettings settings, java.util.function.Consumer<dev.strand.http.ServerConfig.Builder> tune,
                         PrintStream out, PrintStream err) {
        CompletableFuture<Database> database = new CompletableFuture<>();
        if (!settings.inProcess()) {
            Database db = settings.open();
            Optional<String> unusable = prepare(settings, db);
            if (unusable.isPresent()) {
                db.close();
                throw new IllegalStateException(unusable.get());
            }
            database.complete(db);
        }

        DemoAdmission admission = new DemoAdmission(dbPermits(settings));
        HttpServer server = DemoApp.server(tune, database, admission);
        try {
            server.start();
        } catch (UncheckedIOException e) {
            database.thenAccept(Database::close);
            throw new IllegalStateException("cannot listen on port " + server.config().port() + ": " + e.getCause().getMessage(), e);
        }
        if (settings.inProcess()) {
            Thread.ofPlatform().name("strand-demo-database").daemon().start(() -> openInProcess(settings, database, err));
        }

        FiberMode mode = DemoApp.fiberMode(server.config().fiberMode());
        out.println("Strand demo listening on port " + server.port() + ", fibers: "
                + (mode == FiberMode.LOOP_CARRIER ? "carried by the loops (LOOP_CARRIER)"
                        : "on the JDK scheduler (JDK_SCHEDULER)"));
        admission.handleSignals(out);
        out.println("QoS level " + admission.qos().level() + ": POST /admin/qos?level=normal|slow|crawl|paused, or kill -TTOU "
                + ProcessHandle.current().pid() + " (slower), -TTIN (faster)");
        out.println("Database: " + (settings.inProcess() ? "H2 in memory, seeded" : withoutParameters(settings.url())) + ", up to "
                + settings.poolSize() + " connections");
        return new Started(server, database, out);
    }

    /** A running demo; {@link #close()} stops the server gracefully, then closes the database. */
    record Started(HttpServer server, CompletableFuture<Database> database, PrintStream out) implements dev.strand.launcher.Launched {
        @Override
        public Optional<Integer> port() {
            return Optional.of(server.port());
        }

        @Override
        public String name() {
            return "Strand demo";
        }

        @Override
        public void close() {
            boolean clean = server.stop(server.config().gracePeriod());
            database.thenAccept(Database::close);
            out.println("Strand demo stopped" + (clean ? "" : " (some requests were cut off)"));
        }
    }

    /**
     * Database requests admitted at once per tenant. Over JDBC, twice the pool: a request holds one
     * connection at a time, and between its statements another may use it. With Strand's pipelined
     * PostgreSQL client a connection carries many requests' statements at once, and the deeper its
     * pipeline the fewer times the server wakes per statement: sixteen per connection.
     */
    static int dbPermits(DatabaseSettings settings) {
        return (settings.pipelinedPostgres() ? PIPELINE_DEPTH : 2) * settings.poolSize();
    }

    /** Requests per pipelined connection that admission lets through at once. */
    static final int PIPELINE_DEPTH = 16;

    /** Opens and seeds the in-process database, loads the fortunes template, and completes {@code database}. */
    private static void openInProcess(DatabaseSettings settings, CompletableFuture<Database> database, PrintStream err) {
        try {
            Fortunes.warmUp();
            Database db = settings.open();
            Optional<String> unusable = prepare(settings, db);
            if (unusable.isPresent()) {
                db.close();
                throw new IllegalStateException(unusable.get());
            }
            database.complete(db);
        } catch (RuntimeException | Error e) {
            err.println("strand-demo: the in-memory database could not be prepared: " + e);
            database.completeExceptionally(e);
        }
    }

    /**
     * Seeds the in-process database, or checks that a server's holds the tables; why the demo cannot
     * serve from {@code db}, if it cannot.
     */
    private static Optional<String> prepare(DatabaseSettings settings, Database db) {
        String where = withoutParameters(settings.url());
        try {
            if (settings.inProcess()) {
                Tables.seed(db, settings.url());
                return Optional.empty();
            }
            return Deadline.after(CHECK_DEADLINE).call(() -> Tables.problem(db)).map(problem -> where
                    + " does not hold TechEmpower's tables (" + problem + "); create them with strand-demo seed and the same --db options");
        } catch (DatabaseException | PoolException e) {
            return Optional.of("cannot use the database at " + where + ": " + e.getMessage());
        }
    }

    /** The URL without its parameters or the password in its user part, which may hold a password: for messages. */
    static String withoutParameters(String url) {
        int scheme = url.indexOf("://");
        int authorityEnd = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
        int at = url.indexOf('@');
        if (scheme >= 0 && at > scheme && (authorityEnd < 0 || at < authorityEnd)) {
            int colon = url.indexOf(':', scheme + 3);
            if (colon >= 0 && colon < at) {
                url = url.substring(0, colon) + url.substring(at); // postgresql://user:secret@host → postgresql://user@host
            }
        }
        int query = url.indexOf('?');
        int h2Settings = url.startsWith("jdbc:h2:") ? url.indexOf(';') : -1;
        int end = query < 0 ? h2Settings : h2Settings < 0 ? query : Math.min(query, h2Settings);
        return end < 0 ? url : url.substring(0, end);
    }

    /**
     * The command line.
     *
     * @param seed whether to seed {@link #db} rather than serve
     * @param port the port to listen on
     * @param db   the database to serve from or seed
     * @param help whether {@code --help} was asked for
     */
    record Options(boolean seed, int port, DatabaseSettings db, boolean help) {

        /**
         * Parses an optional leading {@code seed}, then {@code --port N}, {@code --db URL},
         * {@code --db-user U}, {@code --db-password P} and {@code --db-pool N}, each also as
         * {@code --name=value}, and {@code --help} or {@code -h}.
         *
         * @throws IllegalArgumentException with a message for the user when the arguments are wrong
         */
        static Options parse(String[] args) {
            boolean seed = args.length > 0 && args[0].equals("seed");
            int port = DEFAULT_PORT;
            boolean portGiven = false;
            Optional<String> url = Optional.empty();
            Optional<String> user = Optional.empty();
            Optional<String> password = Optional.empty();
            int pool = DatabaseSettings.defaultPoolSize();
            for (int i = seed ? 1 : 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    return new Options(seed, port, DatabaseSettings.inMemory(), true);
                }
                int equals = arg.indexOf('=');
                String name = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
                if (!List.of("--port", "--db", "--db-user", "--db-password", "--db-pool").contains(name)) {
                    throw new IllegalArgumentException("unknown argument: " + arg);
                }
                String value;
                if (equals > 0 && name.length() == equals) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                switch (name) {
                    case "--port" -> {
                        port = port(value);
                        portGiven = true;
                    }
                    case "--db" -> url = Optional.of(jdbcUrl(value));
                    case "--db-user" -> user = Optional.of(value);
                    case "--db-password" -> password = Optional.of(value);
                    default -> pool = poolSize(value);
                }
            }
            if (seed && url.isEmpty()) {
                throw new IllegalArgumentException("seed needs --db URL: the database to create the tables in");
            }
            if (seed && portGiven) {
                throw new IllegalArgumentException("seed serves nothing: --port does not apply");
            }
            DatabaseSettings db = new DatabaseSettings(url.orElse(DatabaseSettings.IN_MEMORY), user, password, pool);
            return new Options(seed, port, db, false);
        }

        private static int port(String value) {
            int port;
            try {
                port = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a port number: '" + value + "'");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range (0 to 65535): " + port);
            }
            return port;
        }

        private static String jdbcUrl(String value) {
            if (!value.startsWith("jdbc:") && !value.startsWith("postgresql://") && !value.startsWith("postgres://")) {
                throw new IllegalArgumentException("--db takes postgresql://127.0.0.1:5432/test or a JDBC URL such as"
                        + " jdbc:postgresql://127.0.0.1:5432/test, not '" + value + "'");
            }
            return value;
        }

        private static int poolSize(String value) {
            int size;
            try {
                size = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--db-pool takes a number of connections: '" + value + "'");
            }
            if (size < 1) {
                throw new IllegalArgumentException("--db-pool must be at least 1: " + size);
            }
            return size;
        }
    }
}
