package dev.strand.launcher;

import dev.strand.config.Config;
import dev.strand.config.ConfigException;
import dev.strand.config.Setting;
import dev.strand.http.Health;
import dev.strand.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.Manifest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * The {@code strand} command: runs an {@link Application} (its routes, on a server the launcher
 * configures from {@link ServerSettings}) or a {@link Service} (which starts its own servers).
 *
 * <pre>
 * strand com.example.Shop --port 9000 --config shop.yaml --server.idle-timeout=30s --shop.currency=EUR
 * </pre>
 *
 * <p>Configuration comes from the file given with {@code --config} (properties or YAML), then
 * {@code STRAND_*} environment variables, then flags — {@code --port}, {@code --host} and
 * {@code --db} for the commonest, {@code --key=value} for every other server or application
 * setting — each later source overriding an earlier one. An unknown key or a bad value stops the
 * launch with a message naming the key, the value and its source (exit status 2);
 * {@code --print-config} prints the effective configuration, secrets masked, and exits.
 * The application may also be named by a {@code Strand-Application} attribute in a jar's manifest,
 * so that {@code java -jar app.jar} needs no class name. TERM or INT stops it gracefully.
 */
@Command(name = "strand", mixinStandardHelpOptions = true, version = "strand 0.1.0",
        description = "Runs a Strand application: a class implementing dev.strand.launcher.Application (its routes) "
                + "or dev.strand.launcher.Service (its own servers).",
        footer = {"", "Any server or application setting can also be given as --key=value (e.g. --server.idle-timeout=30s),",
                "as a STRAND_KEY environment variable (STRAND_SERVER_IDLE_TIMEOUT=30s) or in the --config file."})
public final class Strand {

    /** The manifest attribute naming the application when none is given. */
    public static final String APPLICATION_ATTRIBUTE = "Strand-Application";

    @Parameters(index = "0", arity = "0..1", paramLabel = "APPLICATION", description = "the application's class name")
    private String application;

    @Option(names = "--port", paramLabel = "N", description = "the port (server.port); 0 picks a free one")
    private Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "the address to listen on (server.host)")
    private String host;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "1",
            description = "worker processes; only 1 until cluster mode is built")
    private int workers;

    @Option(names = "--config", paramLabel = "FILE", description = "a .properties or .yaml configuration file")
    private Path configFile;

    @Option(names = "--db", paramLabel = "URL", description = "the application's database (db.url)")
    private String db;

    @Option(names = "--print-config", description = "print the effective configuration (secrets masked) and exit")
    private boolean printConfig;

    @Unmatched
    private List<String> settings = new ArrayList<>();

    private Strand() {
    }

    /**
     * Runs the command until the process is told to stop; exits with status 2 for bad flags or
     * configuration, 1 for an application that failed to start.
     */
    public static void main(String[] args) {
        Launched launched;
        try {
            Optional<Launched> started = launch(List.of(args), System.getenv(), System.out);
            if (started.isEmpty()) {
                return; // --help, --version, --print-config
            }
            launched = started.get();
        } catch (LaunchException e) {
            System.err.println("strand: " + e.getMessage());
            System.exit(e.exitCode());
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("strand-stop").unstarted(() -> {
            launched.close();
            stopped.countDown();
        }));
        try {
            stopped.await(); // the loops are the process's own threads; this one only waits for the stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Parses {@code args}, loads the configuration (with {@code environment} as the environment) and
     * starts the application. Returns empty when there was nothing to start ({@code --help},
     * {@code --version} and {@code --print-config} print to {@code out}).
     *
     * @throws LaunchException saying why nothing was started
     */
    public static Optional<Launched> launch(List<String> args, Map<String, String> environment, PrintStream out) {
        Strand command = new Strand();
        CommandLine commandLine = new CommandLine(command);
        CommandLine.ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new LaunchException(2, e.getMessage() + " (see strand --help)", e);
        }
        if (CommandLine.printHelpIfRequested(parsed.asCommandLineList(), out, System.err, CommandLine.Help.Ansi.OFF)) {
            return Optional.empty();
        }
        return command.run(environment, out);
    }

    private Optional<Launched> run(Map<String, String> environment, PrintStream out) {
        if (workers != 1) {
            throw new LaunchException(2, "--workers " + workers + ": cluster mode (a supervisor of worker processes) is not built yet;"
                    + " run with one worker", null);
        }
        String name = application != null ? application : fromManifest().orElseThrow(() -> new LaunchException(2,
                "no application: name its class (strand com.example.App) or put a " + APPLICATION_ATTRIBUTE
                        + " attribute in the jar's manifest", null));
        Object app = instantiate(name);
        List<Setting<?>> all = new ArrayList<>(ServerSettings.all());
        all.addAll(app instanceof Application a ? a.settings() : ((Service) app).settings());
        Config config = load(all, environment);
        if (printConfig) {
            out.print(config.describe());
            return Optional.empty();
        }
        config.get(ServerSettings.LOG_LEVEL).apply();
        try {
            if (app instanceof Application routes) {
                HttpServer.Builder builder = HttpServer.builder().config(b -> ServerSettings.apply(config, b))
                        .routing(r -> routes.routes(r, config));
                if (config.get(ServerSettings.HEALTH)) {
                    builder.health(Health.create());
                }
                HttpServer server = builder.build().start();
                out.println("strand: " + name + " on " + (config.find(ServerSettings.TLS_KEY_STORE).isPresent() ? "https" : "http")
                        + "://" + config.get(ServerSettings.HOST) + ":" + server.port());
                return Optional.of(new Running(name, Optional.of(server.port()), server));
            }
            AutoCloseable handle = ((Service) app).start(config);
            // A service that returns its HttpServer, or a Launched of its own, has a port to report.
            Optional<Integer> servicePort = handle instanceof HttpServer server ? Optional.of(server.port())
                    : handle instanceof Launched launched ? launched.port() : Optional.empty();
            out.println("strand: " + name + " started" + servicePort.map(p -> " on port " + p).orElse(""));
            return Optional.of(new Running(name, servicePort, handle));
        } catch (LaunchException e) {
            throw e;
        } catch (Exception | Error e) {
            throw new LaunchException(1, name + " failed to start: " + e, e);
        }
    }

    private Config load(List<Setting<?>> all, Map<String, String> environment) {
        List<String> flags = new ArrayList<>();
        if (host != null) {
            flags.add("--server.host=" + host);
        }
        if (port != null) {
            flags.add("--server.port=" + port);
        }
        if (db != null) {
            flags.add("--db.url=" + db);
        }
        flags.addAll(settings);
        Config.Builder builder = Config.builder(all).environment(environment).arguments(flags);
        if (configFile != null) {
            builder.file(configFile);
        }
        try {
            return builder.load();
        } catch (ConfigException e) {
            throw new LaunchException(2, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new LaunchException(2, "the application's settings: " + e.getMessage(), e);
        }
    }

    private static Object instantiate(String name) {
        Class<?> type;
        try {
            type = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new LaunchException(2, "no class " + name + " on the class path", e);
        } catch (LinkageError e) {
            throw new LaunchException(1, "cannot load " + name + ": " + e, e);
        }
        if (!Application.class.isAssignableFrom(type) && !Service.class.isAssignableFrom(type)) {
            throw new LaunchException(2, name + " is neither a " + Application.class.getName() + " nor a "
                    + Service.class.getName(), null);
        }
        try {
            return type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new LaunchException(2, name + " needs a public constructor without parameters", e);
        } catch (InvocationTargetException e) {
            throw new LaunchException(1, name + "'s constructor failed: " + e.getCause(), e.getCause());
        } catch (InstantiationException e) {
            throw new LaunchException(2, name + " cannot be instantiated (abstract?)", e);
        }
    }

    private static Optional<String> fromManifest() {
        try {
            Enumeration<URL> manifests = Thread.currentThread().getContextClassLoader().getResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                try (InputStream in = manifests.nextElement().openStream()) {
                    String value = new Manifest(in).getMainAttributes().getValue(APPLICATION_ATTRIBUTE);
                    if (value != null && !value.isBlank()) {
                        return Optional.of(value.trim());
                    }
                }
            }
        } catch (IOException e) {
            throw new LaunchException(1, "cannot read the class path's manifests: " + e, e);
        }
        return Optional.empty();
    }

    /** A started application and what stops it. */
    private static final class Running implements Launched {
        private final String name;
        private final Optional<Integer> port;
        private final AutoCloseable stop;
        private final AtomicBoolean closed = new AtomicBoolean();

        Running(String name, Optional<Integer> port, AutoCloseable stop) {
            this.name = name;
            this.port = port;
            this.stop = stop;
        }

        @Override
        public Optional<Integer> port() {
            return port;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                try {
                    stop.close();
                } catch (Exception e) {
                    new PrintWriter(System.err, true).println("strand: " + name + " did not stop cleanly: " + e);
                }
            }
        }
    }
}
