package dev.strand.bench.db;

import dev.strand.bench.common.Args;
import java.util.Optional;
import java.util.Set;

/**
 * A database peer's {@code --db URL} and {@code --db-pool N}: the PostgreSQL database to serve
 * {@code /db}, {@code /queries}, {@code /fortunes} and {@code /updates} from, and how many
 * connections the server keeps to it in all.
 *
 * @param url      a {@code jdbc:postgresql://host[:port]/database[?user=...&password=...]} URL;
 *                 without a user, the operating-system user's name (as pgjdbc does)
 * @param poolSize the most connections the server holds, 1 to {@value #MAX_POOL}
 */
public record DbOptions(String url, int poolSize) {

    /** The options a database peer accepts beyond {@code --port} and {@code --host}. */
    public static final Set<String> OPTIONS = Set.of("--db", "--db-pool");
    /** The pool size when {@code --db-pool} is not given: the sweep's default too. */
    public static final int DEFAULT_POOL = 16;
    /** The largest pool a peer accepts (PostgreSQL's default {@code max_connections} is 100). */
    public static final int MAX_POOL = 1024;

    /**
     * The database options among the parsed {@code args}; empty when {@code --db} is not given (the
     * peer then serves no database endpoint). Bad values print the usage and exit with status 2.
     */
    public static Optional<DbOptions> of(String name, Args args) {
        String url = args.extras().get("--db");
        String pool = args.extras().get("--db-pool");
        if (url == null) {
            if (pool != null) {
                Args.fail(name, OPTIONS, "--db-pool needs --db");
            }
            return Optional.empty();
        }
        if (!url.startsWith("jdbc:postgresql://")) {
            Args.fail(name, OPTIONS, "--db needs a jdbc:postgresql://host[:port]/database URL: " + url);
        }
        int size = DEFAULT_POOL;
        if (pool != null) {
            try {
                size = Integer.parseInt(pool);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > MAX_POOL) {
                Args.fail(name, OPTIONS, "--db-pool needs an integer from 1 to " + MAX_POOL + ": " + pool);
            }
        }
        return Optional.of(new DbOptions(url, size));
    }
}
