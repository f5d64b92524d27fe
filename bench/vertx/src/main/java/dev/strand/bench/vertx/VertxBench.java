package dev.strand.bench.vertx;

import dev.strand.bench.common.Args;
import dev.strand.bench.db.DbOptions;
import dev.strand.bench.db.FortunesPage;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgConnectOptions;
import java.util.Optional;

/**
 * The Vert.x peer: one {@link ServerVerticle} per core, each with its own event loop and its own
 * {@code HttpServer} on the shared port; native epoll transport when available. With {@code --db},
 * each verticle also has its own pipelined PostgreSQL client, of {@code --db-pool} connections
 * shared out among the verticles (at least one each).
 *
 * <p>{@code java -jar vertx-bench.jar [--port N] [--host H] [--db jdbc:postgresql://... [--db-pool N]]}
 */
public final class VertxBench {

    private VertxBench() {
    }

    public static void main(String[] args) {
        Args a = Args.parse("vertx-bench", args, DbOptions.OPTIONS);
        Optional<DbOptions> dbOptions = DbOptions.of("vertx-bench", a);
        int cores = Runtime.getRuntime().availableProcessors();
        ServerVerticle.Database database = null;
        if (dbOptions.isPresent()) {
            PgConnectOptions connect = null;
            try {
                connect = PgUrl.parse(dbOptions.get().url());
            } catch (IllegalArgumentException e) {
                Args.fail("vertx-bench", DbOptions.OPTIONS, "--db: " + e.getMessage());
            }
            database = new ServerVerticle.Database(connect, Math.max(1, dbOptions.get().poolSize() / cores), new FortunesPage());
        }
        ServerVerticle.Database db = database;
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(cores));
        vertx.deployVerticle(() -> new ServerVerticle(a.host(), a.port(), db), new DeploymentOptions().setInstances(cores))
                .onSuccess(id -> System.out.println("Vert.x " + io.vertx.core.impl.VertxImpl.version()
                        + " bench listening on port " + a.port() + " (" + cores + " verticles, "
                        + (vertx.isNativeTransportEnabled() ? "native transport" : "NIO transport")
                        + (db == null ? "" : ", PostgreSQL " + dbOptions.get().url() + ", a pipelined client of "
                                + db.poolSize() + " connections per verticle, " + PgEndpoints.PIPELINING_LIMIT
                                + " statements deep")
                        + ")"))
                .onFailure(e -> {
                    System.err.println("vertx-bench: cannot start: " + e);
                    vertx.close();
                    System.exit(1);
                });
    }
}
