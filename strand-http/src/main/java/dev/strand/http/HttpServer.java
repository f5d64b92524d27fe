package dev.strand.http;

import dev.strand.http.internal.Json;
import dev.strand.http.internal.Router;
import dev.strand.http.internal.StrandServer;
import dev.strand.http.spi.JsonMapper;
import dev.strand.reactor.Reactor;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * An HTTP/1.1 server on Strand's event loops.
 *
 * <pre>{@code
 * HttpServer.builder().port(8080)
 *     .routing(r -> r.get("/hello", (req, res) -> res.send("Hello")))
 *     .build().start();
 * }</pre>
 *
 * <p>Thread-safe. Each connection belongs to one loop; its requests run as fibers carried by that
 * loop, or inline on it (see {@link DispatchMode}).
 */
public interface HttpServer extends AutoCloseable {

    /** A builder with safe defaults. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and starts accepting; a server that does not {@linkplain ServerConfig#listen() listen}
     * binds nothing and only starts its loops. When binding fails, everything started is stopped
     * again and the failure is thrown.
     *
     * @return this server
     * @throws java.io.UncheckedIOException when the port cannot be bound
     * @throws IllegalStateException when already started or stopped
     */
    HttpServer start();

    /**
     * The bound port (useful with port 0). Any thread.
     *
     * @throws IllegalStateException before start, and always when the server does not listen
     *         ({@link ServerConfig#listen()} false): it has no port
     */
    int port();

    /**
     * Serves HTTP/1.1 over {@code transport}, a byte stream of one's own rather than an accepted
     * socket (memory in a test, a tunnel), as if it had been accepted: on one of the server's loops
     * (taken round-robin), with the server's limits and timeouts (but no TLS: the transport carries
     * plain HTTP/1.1), counted among its connections, so that {@link #stop} drains it like any
     * other. Works whether or not the server {@linkplain ServerConfig#listen() listens}.
     *
     * <p>Threading: call from any thread; returns at once, and the connection is set up on its loop
     * soon after. From then on every method of {@code transport} is called on that loop, as
     * {@link dev.strand.reactor.spi.Transport} requires, and the connection owns it (closes it).
     *
     * <p>Failures: when the server is already at {@link ServerConfig#maxConnections()}, or stops
     * before the connection is set up, the transport is closed without being served (its peer sees
     * the end of the stream).
     *
     * @throws IllegalStateException before {@link #start()} or once {@link #stop} has begun
     */
    void attach(dev.strand.reactor.spi.Transport transport);

    /** Whether the server accepts connections. */
    boolean isRunning();

    /**
     * Stops gracefully: stops accepting, closes idle connections, lets in-flight requests finish
     * within {@code grace} (their responses close the connection), then closes the rest and, when
     * the server owns its reactor, stops the loops. Idempotent; blocks until done, so call it
     * from a thread of your own (a shutdown hook, main), never from a handler or a loop.
     *
     * @return whether every in-flight request finished within the grace period
     */
    boolean stop(Duration grace);

    /** {@link #stop(Duration)} with the configured grace period. */
    @Override
    default void close() {
        stop(config().gracePeriod());
    }

    /** The configuration in force. */
    ServerConfig config();

    /** Builds an {@link HttpServer}. Not thread-safe. */
    final class Builder {
        private final ServerConfig.Builder config = ServerConfig.builder();
        private Consumer<Routing> routing = r -> { };
        private Reactor reactor;
        private JsonMapper jsonMapper;
        private Health health;

        private Builder() {
        }

        /** The port; default 8080, 0 picks a free one. */
        public Builder port(int port) {
            config.port(port);
            return this;
        }

        /** The address to bind; default {@code 0.0.0.0}. */
        public Builder host(String host) {
            config.host(host);
            return this;
        }

        /** Declares the routes. */
        public Builder routing(Consumer<Routing> routing) {
            this.routing = java.util.Objects.requireNonNull(routing, "routing");
            return this;
        }

        /** Tunes limits and timeouts; see {@link ServerConfig.Builder}. */
        public Builder config(Consumer<ServerConfig.Builder> tune) {
            tune.accept(config);
            return this;
        }

        /**
         * Runs on a shared reactor, which the server will not stop. By default the server makes
         * its own reactor (one loop per core) and stops it on {@link #stop}.
         */
        public Builder reactor(Reactor reactor) {
            this.reactor = java.util.Objects.requireNonNull(reactor, "reactor");
            return this;
        }

        /**
         * The mapper behind {@link Response#json} and {@link Request.Body#as}. By default the
         * server looks for one with {@link java.util.ServiceLoader} the first time it needs one
         * (the module {@code strand-json} provides one on Jackson 3).
         */
        public Builder jsonMapper(JsonMapper mapper) {
            this.jsonMapper = java.util.Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /**
         * Serves {@code GET /health/live} and {@code GET /health/ready}, readiness following the
         * server's state and {@code health}'s checks; see {@link Health}. None by default.
         */
        public Builder health(Health health) {
            this.health = java.util.Objects.requireNonNull(health, "health");
            return this;
        }

        /**
         * Builds the server, not yet started.
         *
         * @throws IllegalArgumentException when a route is malformed
         */
        public HttpServer build() {
            // The health routes report on the server they are part of, which exists only once built.
            java.util.concurrent.atomic.AtomicReference<HttpServer> built = new java.util.concurrent.atomic.AtomicReference<>();
            Health served = health;
            Consumer<Routing> all = served == null ? routing : routing.andThen(r -> served.routes(r, built::get));
            Router router = Router.build(all);
            HttpServer server = new StrandServer(config.build(), router, new Json(jsonMapper), java.util.Optional.ofNullable(reactor));
            built.set(server);
            return server;
        }
    }
}
