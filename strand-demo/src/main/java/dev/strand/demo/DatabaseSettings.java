package dev.strand.demo;

import dev.strand.jdbc.Database;
import dev.strand.pg.PgClient;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the demo's tables live and how many connections it keeps to them. Immutable.
 *
 * @param url      a JDBC URL ({@code jdbc:h2:}, {@code jdbc:postgresql:} or {@code jdbc:mariadb:}), or
 *                 {@code postgresql://host[:port]/database} for Strand's own pipelined PostgreSQL client
 * @param user     the user to connect as; empty for the driver's default
 * @param password the password; empty for none
 * @param poolSize the most connections open at once, at least 1
 */
record DatabaseSettings(String url, Optional<String> user, Optional<String> password, int poolSize) {

    /** The default: an H2 database in this process's memory, seeded when the server starts. */
    static final String IN_MEMORY = "jdbc:h2:mem:strand-demo;DB_CLOSE_DELAY=-1";

    /**
     * The default pool size: twice the cores, at least 4. A connection spends most of a request
     * waiting for the database's answer, so one per core would leave the loops idle meanwhile; far
     * more would only queue inside the database (PostgreSQL runs a process per connection, on the
     * same few cores here), where the pool's own queue is cheaper and fair. The floor keeps a
     * server pinned to one core from serialising its requests on two connections.
     */
    static int defaultPoolSize() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    /** The in-memory H2 with the default pool size. */
    static DatabaseSettings inMemory() {
        return new DatabaseSettings(IN_MEMORY, Optional.empty(), Optional.empty(), defaultPoolSize());
    }

    /** @throws IllegalArgumentException when {@code poolSize} is below 1 */
    DatabaseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (poolSize < 1) {
            throw new IllegalArgumentException("the pool size must be at least 1: " + poolSize);
        }
    }

    /** Whether the tables live in this process, to be seeded at start, rather than on a server. */
    boolean inProcess() {
        return url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:mem:");
    }

    /** Whether the URL names PostgreSQL for Strand's own client ({@code postgresql://…}) rather than a JDBC driver. */
    boolean pipelinedPostgres() {
        return url.startsWith("postgresql://") || url.startsWith("postgres://");
    }

    /**
     * Opens the database: it does not connect yet. With Strand's PostgreSQL client the pool size is
     * spread over the loops (one per core), each keeping its share of pipelined connections.
     *
     * @throws IllegalStateException when no driver on the path accepts the URL (the message says
     *                               which dependency to add)
     */
    Database open() {
        if (pipelinedPostgres()) {
            int cores = Runtime.getRuntime().availableProcessors();
            PgClient.Builder client = PgClient.builder().name("demo").url(url)
                    .connectionsPerLoop((poolSize + cores - 1) / cores).transactionConnections(Math.min(poolSize, 4));
            user.ifPresent(client::user);
            password.ifPresent(client::password);
            return client.build();
        }
        Database.Builder builder = Database.builder().name("demo").url(url).poolSize(poolSize);
        user.ifPresent(builder::user);
        password.ifPresent(builder::password);
        return builder.build();
    }
}
