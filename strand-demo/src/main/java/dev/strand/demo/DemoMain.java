package dev.strand.demo;

import dev.strand.http.HttpServer;
import dev.strand.reactor.FiberMode;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Starts the demo server: {@code java -jar strand-demo.jar [--port N]}.
 *
 * <p>Exits with 2 on bad arguments and 1 when the port cannot be bound. SIGINT and SIGTERM stop the
 * server gracefully: in-flight requests get up to {@link #GRACE} to finish.
 */
public final class DemoMain {

    /** How long a stop waits for in-flight requests. */
    static final Duration GRACE = Duration.ofSeconds(10);
    static final int DEFAULT_PORT = 8080;
    static final String USAGE = "usage: strand-demo [--port N]   (N from 0 to 65535, default "
            + DEFAULT_PORT + "; 0 picks a free port)";

    private DemoMain() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("strand-demo: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(USAGE);
            return;
        }
        int port = options.port();

        HttpServer server = DemoApp.server(port);
        try {
            server.start();
        } catch (UncheckedIOException e) {
            System.err.println("strand-demo: cannot listen on port " + port + ": " + e.getCause().getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("strand-demo-stop").unstarted(() -> {
            boolean clean = server.stop(GRACE);
            System.out.println("Strand demo stopped" + (clean ? "" : " (some requests were cut off)"));
        }));

        FiberMode mode = DemoApp.fiberMode(server.config().fiberMode());
        System.out.println("Strand demo listening on port " + server.port() + ", fibers: "
                + (mode == FiberMode.LOOP_CARRIER ? "carried by the loops (LOOP_CARRIER)"
                        : "on the JDK scheduler (JDK_SCHEDULER)"));
    }

    /**
     * The command line.
     *
     * @param port the port to listen on
     * @param help whether {@code --help} was asked for
     */
    record Options(int port, boolean help) {

        /**
         * Parses {@code --port N}, {@code --port=N} (default {@value DemoMain#DEFAULT_PORT}) and
         * {@code --help} or {@code -h}.
         *
         * @throws IllegalArgumentException with a message for the user when the arguments are wrong
         */
        static Options parse(String[] args) {
            int port = DEFAULT_PORT;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    return new Options(port, true);
                } else if (arg.equals("--port")) {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--port needs a number");
                    }
                    port = port(args[++i]);
                } else if (arg.startsWith("--port=")) {
                    port = port(arg.substring("--port=".length()));
                } else {
                    throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
            return new Options(port, false);
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
    }
}
