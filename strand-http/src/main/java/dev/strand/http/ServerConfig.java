package dev.strand.http;

import dev.strand.reactor.FiberMode;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Limits, timeouts and sizes of an {@link HttpServer}; immutable.
 *
 * @param host              address to bind
 * @param port              port to bind, 0 for any free one
 * @param backlog           listen backlog per listener
 * @param maxConnections    open connections beyond this get a 503 and are closed
 * @param maxRequestLine    longest request line, in bytes (414 beyond)
 * @param maxHeaderSize     longest header (or trailer) section, in bytes: its field lines with
 *                          their CRLFs (431 beyond)
 * @param maxHeaderCount    most header fields (431 beyond)
 * @param maxBodySize       largest request body, in bytes (413 beyond)
 * @param headerReadTimeout time a client has to send a whole request head (408, then closed)
 * @param idleTimeout       how long a keep-alive connection may sit idle, or a body stall
 * @param writeTimeout      how long a client may leave the server's writes pending
 * @param writeHighWatermark bytes of unwritten responses past which a connection stops reading
 *                          and dispatching requests, and a streaming handler's fiber parks
 * @param writeLowWatermark bytes of unwritten responses under which both resume
 * @param gracePeriod       how long {@link HttpServer#close()} waits for in-flight requests
 * @param serverName        the {@code Server} header's value
 * @param loops             loops of the reactor the server makes for itself
 * @param fiberMode         who carries fibers in the reactor the server makes for itself
 * @param stallThreshold    the reactor's stall watchdog threshold, when the server makes its own
 *                          reactor ({@link dev.strand.reactor.Reactor.Builder#stallThreshold});
 *                          empty turns the watchdog off
 */
public record ServerConfig(String host, int port, int backlog, int maxConnections,
                           int maxRequestLine, int maxHeaderSize, int maxHeaderCount, long maxBodySize,
                           Duration headerReadTimeout, Duration idleTimeout, Duration writeTimeout,
                           int writeHighWatermark, int writeLowWatermark, Duration gracePeriod, String serverName, int loops, FiberMode fiberMode,
                           Optional<Duration> stallThreshold) {

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ServerConfig}; every setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8080;
        private int backlog = 4096;
        private int maxConnections = 100_000;
        private int maxRequestLine = 8 * 1024;
        private int maxHeaderSize = 16 * 1024;
        private int maxHeaderCount = 100;
        private long maxBodySize = 10L * 1024 * 1024;
        private Duration headerReadTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private int writeHighWatermark = 64 * 1024;
        private int writeLowWatermark = 32 * 1024;
        private Duration gracePeriod = Duration.ofSeconds(10);
        private String serverName = "Strand";
        private int loops = Runtime.getRuntime().availableProcessors();
        private FiberMode fiberMode = FiberMode.AUTO;
        private Optional<Duration> stallThreshold = Optional.of(Duration.ofMillis(100));

        private Builder() {
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder backlog(int backlog) {
            this.backlog = positive("backlog", backlog);
            return this;
        }

        public Builder maxConnections(int max) {
            this.maxConnections = positive("maxConnections", max);
            return this;
        }

        public Builder maxRequestLine(int bytes) {
            this.maxRequestLine = atLeast("maxRequestLine", bytes, 64);
            return this;
        }

        public Builder maxHeaderSize(int bytes) {
            this.maxHeaderSize = atLeast("maxHeaderSize", bytes, 64);
            return this;
        }

        public Builder maxHeaderCount(int count) {
            this.maxHeaderCount = positive("maxHeaderCount", count);
            return this;
        }

        public Builder maxBodySize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxBodySize must not be negative: " + bytes);
            }
            this.maxBodySize = bytes;
            return this;
        }

        public Builder headerReadTimeout(Duration timeout) {
            this.headerReadTimeout = positive("headerReadTimeout", timeout);
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive("idleTimeout", timeout);
            return this;
        }

        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = positive("writeTimeout", timeout);
            return this;
        }

        /**
         * Bounds what one connection queues for a client that does not read: past {@code high}
         * unwritten bytes the connection stops reading and dispatching pipelined requests (and a
         * fiber streaming a response parks) until the client has read down to {@code low}. A
         * stalled connection so holds at most {@code high} plus one response. Defaults 64 KiB and
         * 32 KiB.
         *
         * @throws IllegalArgumentException when {@code low} is negative or not below {@code high}
         */
        public Builder writeWatermarks(int low, int high) {
            if (low < 0 || high <= low) {
                throw new IllegalArgumentException("need 0 <= low < high: low " + low + ", high " + high);
            }
            this.writeLowWatermark = low;
            this.writeHighWatermark = high;
            return this;
        }

        public Builder gracePeriod(Duration grace) {
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("gracePeriod must not be negative");
            }
            this.gracePeriod = grace;
            return this;
        }

        public Builder serverName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || name.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
                throw new IllegalArgumentException("serverName must be visible ASCII: " + name);
            }
            this.serverName = name;
            return this;
        }

        public Builder loops(int loops) {
            this.loops = positive("loops", loops);
            return this;
        }

        public Builder fiberMode(FiberMode mode) {
            this.fiberMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * The stall watchdog of the reactor the server makes for itself reports a loop turn longer
         * than {@code threshold} (default 100 ms; at least 10 ms). A shared reactor keeps its own.
         */
        public Builder stallThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "threshold");
            if (threshold.compareTo(Duration.ofMillis(10)) < 0) {
                throw new IllegalArgumentException("stallThreshold must be at least 10 ms: " + threshold);
            }
            this.stallThreshold = Optional.of(threshold);
            return this;
        }

        /** Turns the stall watchdog of the reactor the server makes for itself off (or back on at 100 ms). */
        public Builder stallWatchdog(boolean enabled) {
            this.stallThreshold = enabled ? Optional.of(stallThreshold.orElse(Duration.ofMillis(100))) : Optional.empty();
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(host, port, backlog, maxConnections, maxRequestLine, maxHeaderSize,
                    maxHeaderCount, maxBodySize, headerReadTimeout, idleTimeout, writeTimeout, writeHighWatermark,
                    writeLowWatermark, gracePeriod,
                    serverName, loops, fiberMode, stallThreshold);
        }

        private static int positive(String what, int value) {
            return atLeast(what, value, 1);
        }

        private static int atLeast(String what, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(what + " must be at least " + min + ": " + value);
            }
            return value;
        }

        private static Duration positive(String what, Duration value) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + value);
            }
            return value;
        }
    }
}
