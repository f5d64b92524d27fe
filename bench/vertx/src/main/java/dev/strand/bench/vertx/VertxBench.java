package dev.strand.bench.vertx;

import dev.strand.bench.common.Args;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The Vert.x peer: one {@link ServerVerticle} per core, each with its own event loop and its own
 * {@code HttpServer} on the shared port; native epoll transport when available.
 *
 * <p>{@code java -jar vertx-bench.jar [--port N] [--host H]}
 */
public final class VertxBench {

    private VertxBench() {
    }

    public static void main(String[] args) {
        Args a = Args.parse("vertx-bench", args);
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(cores));
        vertx.deployVerticle(() -> new ServerVerticle(a.host(), a.port()), new DeploymentOptions().setInstances(cores))
                .onSuccess(id -> System.out.println("Vert.x " + io.vertx.core.impl.VertxImpl.version()
                        + " bench listening on port " + a.port() + " (" + cores + " verticles, "
                        + (vertx.isNativeTransportEnabled() ? "native transport" : "NIO transport") + ")"))
                .onFailure(e -> {
                    System.err.println("vertx-bench: cannot start: " + e);
                    vertx.close();
                    System.exit(1);
                });
    }
}
