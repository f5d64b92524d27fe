package dev.strand.bench.common;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every peer's command line: {@code [--port N] [--host H]} plus the options a peer names, each
 * taking one value. Bad input prints the usage and exits with status 2.
 *
 * @param host   the address to bind, default {@code 0.0.0.0} (as Strand's demo)
 * @param port   the port, default 8080
 * @param extras the peer's own options that were given, by name (e.g. {@code --threads})
 */
public record Args(String host, int port, Map<String, String> extras) {

    /** Parses {@code args} for the peer called {@code name}, which also accepts {@code options}. */
    public static Args parse(String name, String[] args, Set<String> options) {
        String host = "0.0.0.0";
        int port = 8080;
        Map<String, String> extras = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--port")) {
                try {
                    port = Integer.parseInt(value(name, options, args, ++i));
                } catch (NumberFormatException e) {
                    fail(name, options, "--port needs a number");
                }
            } else if (option.equals("--host")) {
                host = value(name, options, args, ++i);
            } else if (options.contains(option)) {
                extras.put(option, value(name, options, args, ++i));
            } else {
                fail(name, options, "unknown argument " + option);
            }
        }
        if (port < 0 || port > 65535) {
            fail(name, options, "port out of range: " + port);
        }
        return new Args(host, port, Map.copyOf(extras));
    }

    /** Parses a command line with only {@code --port} and {@code --host}. */
    public static Args parse(String name, String[] args) {
        return parse(name, args, Set.of());
    }

    private static String value(String name, Set<String> options, String[] args, int i) {
        if (i >= args.length) {
            fail(name, options, args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /**
     * Prints {@code message} and the usage of the peer called {@code name} (which accepts
     * {@code options}) to standard error, then exits with status 2.
     */
    public static void fail(String name, Set<String> options, String message) {
        StringBuilder usage = new StringBuilder("usage: " + name + " [--port N] [--host H]");
        options.stream().sorted().forEach(o -> usage.append(" [").append(o).append(" VALUE]"));
        System.err.println(name + ": " + message);
        System.err.println(usage);
        System.exit(2);
    }
}
