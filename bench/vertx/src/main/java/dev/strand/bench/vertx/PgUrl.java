package dev.strand.bench.vertx;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code jdbc:postgresql://host[:port]/database[?user=U&password=P]} URL as Vert.x's connect
 * options, read the way pgjdbc reads it: port 5432 and the operating-system user when not given.
 * Other parameters are refused rather than silently ignored.
 */
final class PgUrl {

    private static final String PREFIX = "jdbc:postgresql://";

    private PgUrl() {
    }

    /**
     * The connect options {@code url} names.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code url}
     */
    static PgConnectOptions parse(String url) {
        if (!url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a " + PREFIX + " URL: " + url);
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
            throw new IllegalArgumentException("no host or no database in " + url);
        }
        String hostPort = rest.substring(0, slash);
        String database = decode(rest.substring(slash + 1));
        String host = hostPort;
        int port = 5432;
        int colon = hostPort.lastIndexOf(':');
        if (colon > 0 && !hostPort.endsWith("]")) {
            host = hostPort.substring(0, colon);
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in " + url);
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        PgConnectOptions options = new PgConnectOptions().setHost(host).setPort(port).setDatabase(database)
                .setUser(System.getProperty("user.name"));
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                switch (key) {
                    case "user" -> options.setUser(value);
                    case "password" -> options.setPassword(value);
                    default -> throw new IllegalArgumentException("parameter " + key + " is not supported by this peer: " + url);
                }
            }
        }
        return options;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
