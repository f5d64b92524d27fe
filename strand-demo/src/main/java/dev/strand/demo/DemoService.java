package dev.strand.demo;

import dev.strand.config.Config;
import dev.strand.config.Setting;
import dev.strand.launcher.ServerSettings;
import dev.strand.launcher.Service;
import java.util.List;

/**
 * The demo as the {@code strand} launcher runs it: the same server as {@link DemoMain}'s, with every
 * server setting from the launcher's sources ({@code --config FILE}, {@code STRAND_*} variables,
 * flags) and the database's as settings of its own:
 *
 * <pre>
 * strand dev.strand.demo.DemoService --port 8080 [--db URL] [--db.user=U] [--db.password=P] [--db.pool=N]
 * </pre>
 *
 * <p>Without {@code db.url} the tables live in an in-memory H2, seeded at start.
 */
public final class DemoService implements Service {

    static final Setting<String> DB_URL = Setting.string("db.url").defaultValue(DatabaseSettings.IN_MEMORY)
            .require(u -> u.startsWith("jdbc:") || u.startsWith("postgresql://") || u.startsWith("postgres://"),
                    "postgresql://host:port/database or a JDBC URL")
            .description("postgresql://… (Strand's pipelined client), jdbc:postgresql://… or jdbc:mariadb://…; default H2 in memory");
    static final Setting<String> DB_USER = Setting.string("db.user").description("the database user");
    static final Setting<String> DB_PASSWORD = Setting.string("db.password").secret().description("the database password");
    static final Setting<Integer> DB_POOL = Setting.integer("db.pool").defaultValue(DatabaseSettings.defaultPoolSize())
            .require(n -> n >= 1, "at least 1").description("the most connections to the database");

    /** For the launcher. */
    public DemoService() {
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(DB_URL, DB_USER, DB_PASSWORD, DB_POOL);
    }

    @Override
    public AutoCloseable start(Config config) {
        DatabaseSettings database = new DatabaseSettings(config.get(DB_URL), config.find(DB_USER), config.find(DB_PASSWORD),
                config.get(DB_POOL));
        return DemoMain.start(database, server -> ServerSettings.apply(config, server), System.out, System.err);
    }
}
