package dev.strand.http;

import dev.strand.reactor.FiberMode;
import dev.strand.reactor.tcp.TlsOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Limits, timeouts, sizes and tunables of an {@link HttpServer}; immutable, made only by its
 * {@link Builder} (which checks every value). Thread-safe.
 */
public final class ServerConfig {
    private final String host;
    private final int port;
    private final int backlog;
    private final int maxConnections;
    private final int maxRequestLine;
    private final int maxHeaderSize;
    private final int maxHeaderCount;
    private final long maxBodySize;
    private final Duration headerReadTimeout;
    private final Duration idleTimeout;
    private final Duration writeTimeout;
    private final int writeHighWatermark;
    private final int writeLowWatermark;
    private final Duration gracePeriod;
    private final String serverName;
    private final int loops;
    private final FiberMode fiberMode;
    private final Optional<Duration> stallThreshold;
    private final int readBufferSize;
    private final int acceptBatch;
    private final int bodyHighWatermark;
    private final int bodyLowWatermark;
    private final Duration housekeepingPeriod;
    private final Optional<TlsOptions> tls;
    private final boolean listen;

    private ServerConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.backlog = b.backlog;
        this.maxConnections = b.maxConnections;
        this.maxRequestLine = b.maxRequestLine;
        this.maxHeaderSize = b.maxHeaderSize;
        this.maxHeaderCount = b.maxHeaderCount;
        this.maxBodySize = b.maxBodySize;
        this.headerReadTimeout = b.headerReadTimeout;
        this.idleTimeout = b.idleTimeout;
        this.writeTimeout = b.writeTimeout;
        this.writeHighWatermark = b.writeHighWatermark;
        this.writeLowWatermark = b.writeLowWatermark;
        this.gracePeriod = b.gracePeriod;
        this.serverName = b.serverName;
        this.loops = b.loops;
        this.fiberMode = b.fiberMode;
        this.stallThreshold = b.stallThreshold;
        this.readBufferSize = b.readBufferSize;
        this.acceptBatch = b.acceptBatch;
        this.bodyHighWatermark = b.bodyHighWatermark;
        this.bodyLowWatermark = b.bodyLowWatermark;
        this.housekeepingPeriod = b.housekeepingPeriod;
        this.tls = b.tls;
        this.listen = b.listen;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Address to bind. */
    public String host() {
        return host;
    }

    /** Port to bind, 0 for any free one. */
    public int port() {
        return port;
    }

    /** Listen backlog per listener. */
    public int backlog() {
        return backlog;
    }

    /** Open connections beyond this get a 503 and are closed. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Longest request line, in bytes (414 beyond). */
    public int maxRequestLine() {
        return maxRequestLine;
    }

    /** Longest header (or trailer) section, in bytes: its field lines with their CRLFs (431 beyond). */
    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    /** Most header fields (431 beyond). */
    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    /** Largest request body, in bytes (413 beyond). */
    public long maxBodySize() {
        return maxBodySize;
    }

    /** Time a client has to send a whole request head (408, then closed). */
    public Duration headerReadTimeout() {
        return headerReadTimeout;
    }

    /** How long a keep-alive connection may sit idle, or a body stall. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How long a client may leave the server's writes pending. */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** Bytes of unwritten responses past which a connection stops reading and dispatching requests, and a streaming handler's fiber parks. */
    public int writeHighWatermark() {
        return writeHighWatermark;
    }

    /** Bytes of unwritten responses under which both resume. */
    public int writeLowWatermark() {
        return writeLowWatermark;
    }

    /** How long {@link HttpServer#close()} waits for in-flight requests. */
    public Duration gracePeriod() {
        return gracePeriod;
    }

    /** The {@code Server} header's value. */
    public String serverName() {
        return serverName;
    }

    /** Loops of the reactor the server makes for itself. */
    public int loops() {
        return loops;
    }

    /** Who carries fibers in the reactor the server makes for itself. */
    public FiberMode fiberMode() {
        return fiberMode;
    }

    /** The reactor's stall watchdog threshold, when the server makes its own reactor ({@link dev.strand.reactor.Reactor.Builder#stallThreshold}); empty turns the watchdog off. */
    public Optional<Duration> stallThreshold() {
        return stallThreshold;
    }

    /** Bytes each loop reads into at once, shared by its connections (64 KiB). */
    public int readBufferSize() {
        return readBufferSize;
    }

    /** Connections a listener accepts per wake-up before the loop serves others (64). */
    public int acceptBatch() {
        return acceptBatch;
    }

    /** Bytes of a request body buffered for a handler that has not read them, past which the connection stops reading (256 KiB). */
    public int bodyHighWatermark() {
        return bodyHighWatermark;
    }

    /** Bytes of buffered request body under which reading resumes (64 KiB). */
    public int bodyLowWatermark() {
        return bodyLowWatermark;
    }

    /** How often each loop checks its connections' timeouts and refreshes the Date header (100 ms). */
    public Duration housekeepingPeriod() {
        return housekeepingPeriod;
    }

    /** TLS for every connection (HTTPS), as the server; empty: plain HTTP. */
    public Optional<TlsOptions> tls() {
        return tls;
    }

    /**
     * Whether {@link HttpServer#start()} binds {@link #host()}:{@link #port()} and accepts
     * connections there (the default); when false the server opens no port at all and is reached
     * only through {@link HttpServer#attach}.
     */
    public boolean listen() {
        return listen;
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", backlog=" + backlog + ", maxConnections=" + maxConnections
                + ", maxRequestLine=" + maxRequestLine + ", maxHeaderSize=" + maxHeaderSize + ", maxHeaderCount=" + maxHeaderCount
                + ", maxBodySize=" + maxBodySize + ", headerReadTimeout=" + headerReadTimeout + ", idleTimeout=" + idleTimeout
                + ", writeTimeout=" + writeTimeout + ", writeHighWatermark=" + writeHighWatermark + ", writeLowWatermark=" + writeLowWatermark
                + ", gracePeriod=" + gracePeriod + ", serverName=" + serverName + ", loops=" + loops
                + ", fiberMode=" + fiberMode + ", stallThreshold=" + stallThreshold + ", readBufferSize=" + readBufferSize
                + ", acceptBatch=" + acceptBatch + ", bodyHighWatermark=" + bodyHighWatermark + ", bodyLowWatermark=" + bodyLowWatermark
                + ", housekeepingPeriod=" + housekeepingPeriod + ", tls=" + (tls.isPresent() ? "on" : "off") + ", listen=" + listen + "]";
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
        private int readBufferSize = 64 * 1024;
        private int acceptBatch = 64;
        private int bodyHighWatermark = 256 * 1024;
        private int bodyLowWatermark = 64 * 1024;
        private Duration housekeepingPeriod = Duration.ofMillis(100);
        private Optional<TlsOptions> tls = Optional.empty();
        private boolean listen = true;

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

        /** Bytes each loop reads into at once, shared by its connections; default 64 KiB, at least 1 KiB. */
        public Builder readBufferSize(int bytes) {
            this.readBufferSize = atLeast("readBufferSize", bytes, 1024);
            return this;
        }

        /** Connections a listener accepts per wake-up before its loop serves others; default 64. */
        public Builder acceptBatch(int connections) {
            this.acceptBatch = positive("acceptBatch", connections);
            return this;
        }

        /**
         * Bounds the request body buffered for a handler that has not read it: past {@code high}
         * bytes the connection stops reading until the handler has read down to {@code low}.
         * Defaults 256 KiB and 64 KiB.
         *
         * @throws IllegalArgumentException when {@code low} is negative or not below {@code high}
         */
        public Builder bodyWatermarks(int low, int high) {
            if (low < 0 || high <= low) {
                throw new IllegalArgumentException("need 0 <= low < high: low " + low + ", high " + high);
            }
            this.bodyLowWatermark = low;
            this.bodyHighWatermark = high;
            return this;
        }

        /**
         * How often each loop checks its connections' timeouts and refreshes the {@code Date}
         * header; default 100 ms, between 10 ms and 1 s (the header must change every second).
         */
        public Builder housekeepingPeriod(Duration period) {
            positive("housekeepingPeriod", period);
            if (period.compareTo(Duration.ofMillis(10)) < 0 || period.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("housekeepingPeriod must be between 10 ms and 1 s: " + period);
            }
            this.housekeepingPeriod = period;
            return this;
        }

        /**
         * Serves HTTPS: every accepted connection speaks TLS, as the server, with {@code tls}'s
         * certificate, protocols (TLS 1.3 and 1.2 by default) and client authentication, through
         * the reactor's TLS (handshakes' slow steps off the loop, see
         * {@link dev.strand.reactor.tcp.Connection}). Give ALPN {@code "http/1.1"}
         * ({@link TlsOptions.Builder#applicationProtocols}) so that clients offering HTTP/2 settle
         * on HTTP/1.1 during the handshake. Default: plain HTTP.
         */
        public Builder tls(TlsOptions tls) {
            this.tls = Optional.of(Objects.requireNonNull(tls, "tls"));
            return this;
        }

        /**
         * Whether the server listens on a port; default true. With false, {@link HttpServer#start()}
         * binds nothing (no listening socket at all; {@link #host} and {@link #port} are then unused)
         * and {@link HttpServer#port()} throws: connections come only through
         * {@link HttpServer#attach}, such as a test kit's in-memory ones.
         */
        public Builder listen(boolean listen) {
            this.listen = listen;
            return this;
        }

        /** The configuration. */
        public ServerConfig build() {
            return new ServerConfig(this);
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
