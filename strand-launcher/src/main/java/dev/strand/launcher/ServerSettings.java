package dev.strand.launcher;

import dev.strand.config.Config;
import dev.strand.config.Setting;
import dev.strand.http.ServerConfig;
import dev.strand.reactor.FiberMode;
import dev.strand.reactor.tcp.TlsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP server's settings, one per {@link ServerConfig.Builder} tunable, under {@code server.}:
 * {@code server.port}, {@code server.idle-timeout}, {@code server.tls.key-store}… Their defaults are
 * the server's own. {@link #apply} sets a builder from a loaded {@link Config}.
 */
public final class ServerSettings {

    private static final ServerConfig DEFAULTS = ServerConfig.builder().build();

    public static final Setting<String> HOST = Setting.string("server.host").defaultValue(DEFAULTS.host())
            .description("the address to listen on");
    public static final Setting<Integer> PORT = Setting.integer("server.port").defaultValue(DEFAULTS.port())
            .require(p -> p >= 0 && p <= 65_535, "between 0 and 65535").description("the port; 0 picks a free one");
    public static final Setting<Integer> LOOPS = Setting.integer("server.loops").defaultValue(DEFAULTS.loops())
            .require(n -> n >= 1, "at least 1").description("event loops, one per core by default");
    public static final Setting<FiberMode> FIBER_MODE = Setting.oneOf("server.fiber-mode", FiberMode.class)
            .defaultValue(DEFAULTS.fiberMode()).description("who carries fibers");
    public static final Setting<Integer> BACKLOG = Setting.integer("server.backlog").defaultValue(DEFAULTS.backlog())
            .require(n -> n >= 1, "at least 1");
    public static final Setting<Integer> MAX_CONNECTIONS = Setting.integer("server.max-connections")
            .defaultValue(DEFAULTS.maxConnections()).require(n -> n >= 1, "at least 1");
    public static final Setting<Long> MAX_REQUEST_LINE = Setting.bytes("server.max-request-line")
            .defaultValue((long) DEFAULTS.maxRequestLine()).require(ServerSettings::fitsAnInt, "at most 2GiB");
    public static final Setting<Long> MAX_HEADER_SIZE = Setting.bytes("server.max-header-size")
            .defaultValue((long) DEFAULTS.maxHeaderSize()).require(ServerSettings::fitsAnInt, "at most 2GiB");
    public static final Setting<Integer> MAX_HEADER_COUNT = Setting.integer("server.max-header-count")
            .defaultValue(DEFAULTS.maxHeaderCount()).require(n -> n >= 1, "at least 1");
    public static final Setting<Long> MAX_BODY_SIZE = Setting.bytes("server.max-body-size").defaultValue(DEFAULTS.maxBodySize());
    public static final Setting<Duration> HEADER_READ_TIMEOUT = Setting.duration("server.header-read-timeout")
            .defaultValue(DEFAULTS.headerReadTimeout());
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("server.idle-timeout").defaultValue(DEFAULTS.idleTimeout());
    public static final Setting<Duration> WRITE_TIMEOUT = Setting.duration("server.write-timeout").defaultValue(DEFAULTS.writeTimeout());
    public static final Setting<Long> WRITE_LOW_WATERMARK = Setting.bytes("server.write-low-watermark")
            .defaultValue((long) DEFAULTS.writeLowWatermark()).require(ServerSettings::fitsAnInt, "at most 2GiB");
    public static final Setting<Long> WRITE_HIGH_WATERMARK = Setting.bytes("server.write-high-watermark")
            .defaultValue((long) DEFAULTS.writeHighWatermark()).require(ServerSettings::fitsAnInt, "at most 2GiB");
    public static final Setting<Long> BODY_LOW_WATERMARK = Setting.bytes("server.body-low-watermark")
            .defaultValue((long) DEFAULTS.bodyLowWatermark()).require(ServerSettings::fitsAnInt, "at most 2GiB");
    public static final Setting<Long> BODY_HIGH_WATERMARK = Setting.bytes("server.body-high-watermark")
            .defaultValue((long) DEFAULTS.bodyHighWatermark()).require(ServerSettings::fitsAnInt, "at most 2GiB");
    public static final Setting<Duration> GRACE_PERIOD = Setting.duration("server.grace-period").defaultValue(DEFAULTS.gracePeriod())
            .description("how long a stop lets requests in flight finish");
    public static final Setting<String> NAME = Setting.string("server.name").defaultValue(DEFAULTS.serverName());
    public static final Setting<Duration> STALL_THRESHOLD = Setting.duration("server.stall-threshold")
            .defaultValue(DEFAULTS.stallThreshold().orElse(Duration.ofMillis(100)));
    public static final Setting<Boolean> STALL_WATCHDOG = Setting.bool("server.stall-watchdog")
            .defaultValue(DEFAULTS.stallThreshold().isPresent());
    public static final Setting<Long> READ_BUFFER_SIZE = Setting.bytes("server.read-buffer-size")
            .defaultValue((long) DEFAULTS.readBufferSize()).require(ServerSettings::fitsAnInt, "at most 2GiB");
    public static final Setting<Integer> ACCEPT_BATCH = Setting.integer("server.accept-batch").defaultValue(DEFAULTS.acceptBatch())
            .require(n -> n >= 1, "at least 1");
    public static final Setting<Duration> HOUSEKEEPING_PERIOD = Setting.duration("server.housekeeping-period")
            .defaultValue(DEFAULTS.housekeepingPeriod());
    /** How much the server and the application log through {@code System.Logger}; see {@link LogLevel}. */
    public static final Setting<LogLevel> LOG_LEVEL = Setting.oneOf("log.level", LogLevel.class).defaultValue(LogLevel.INFO)
            .description("error, warning, info, debug, trace or off (java.util.logging's root level)");
    public static final Setting<Boolean> HEALTH = Setting.bool("server.health").defaultValue(true)
            .description("serve GET /health/live and /health/ready (an Application's server)");
    public static final Setting<Path> TLS_KEY_STORE = Setting.path("server.tls.key-store")
            .description("a PKCS#12 key store with the server's certificate: serves HTTPS when set");
    public static final Setting<String> TLS_KEY_STORE_PASSWORD = Setting.string("server.tls.key-store-password").secret();

    private static final List<Setting<?>> ALL = List.of(HOST, PORT, LOOPS, FIBER_MODE, BACKLOG, MAX_CONNECTIONS, MAX_REQUEST_LINE,
            MAX_HEADER_SIZE, MAX_HEADER_COUNT, MAX_BODY_SIZE, HEADER_READ_TIMEOUT, IDLE_TIMEOUT, WRITE_TIMEOUT,
            WRITE_LOW_WATERMARK, WRITE_HIGH_WATERMARK, BODY_LOW_WATERMARK, BODY_HIGH_WATERMARK, GRACE_PERIOD, NAME,
            STALL_THRESHOLD, STALL_WATCHDOG, READ_BUFFER_SIZE, ACCEPT_BATCH, HOUSEKEEPING_PERIOD, HEALTH, LOG_LEVEL, TLS_KEY_STORE,
            TLS_KEY_STORE_PASSWORD);

    private ServerSettings() {
    }

    /** Every server setting. */
    public static List<Setting<?>> all() {
        return ALL;
    }

    /** Levels of {@link #LOG_LEVEL}, as {@link System.Logger.Level} names them. */
    public enum LogLevel {
        ERROR(java.util.logging.Level.SEVERE), WARNING(java.util.logging.Level.WARNING), INFO(java.util.logging.Level.INFO),
        DEBUG(java.util.logging.Level.FINE), TRACE(java.util.logging.Level.FINEST), OFF(java.util.logging.Level.OFF);

        private final java.util.logging.Level level;

        LogLevel(java.util.logging.Level level) {
            this.level = level;
        }

        /**
         * Makes this the level of {@code java.util.logging}'s root logger and of its handlers (the
         * JDK's default backend of {@code System.Logger}); with another backend, configure that one.
         */
        public void apply() {
            java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
            root.setLevel(level);
            for (java.util.logging.Handler handler : root.getHandlers()) {
                handler.setLevel(level);
            }
        }
    }

    private static boolean fitsAnInt(long bytes) {
        return bytes <= Integer.MAX_VALUE;
    }

    /**
     * Sets {@code builder} from {@code config}'s server settings (every one: the defaults are the
     * server's own).
     *
     * @throws IllegalArgumentException when the server refuses a value (say a low watermark above the
     *                                  high one), naming it
     * @throws UncheckedIOException     when the TLS key store cannot be read
     */
    public static ServerConfig.Builder apply(Config config, ServerConfig.Builder builder) {
        builder.host(config.get(HOST)).port(config.get(PORT)).loops(config.get(LOOPS)).fiberMode(config.get(FIBER_MODE))
                .backlog(config.get(BACKLOG)).maxConnections(config.get(MAX_CONNECTIONS))
                .maxRequestLine(config.get(MAX_REQUEST_LINE).intValue()).maxHeaderSize(config.get(MAX_HEADER_SIZE).intValue())
                .maxHeaderCount(config.get(MAX_HEADER_COUNT)).maxBodySize(config.get(MAX_BODY_SIZE))
                .headerReadTimeout(config.get(HEADER_READ_TIMEOUT)).idleTimeout(config.get(IDLE_TIMEOUT))
                .writeTimeout(config.get(WRITE_TIMEOUT))
                .writeWatermarks(config.get(WRITE_LOW_WATERMARK).intValue(), config.get(WRITE_HIGH_WATERMARK).intValue())
                .bodyWatermarks(config.get(BODY_LOW_WATERMARK).intValue(), config.get(BODY_HIGH_WATERMARK).intValue())
                .gracePeriod(config.get(GRACE_PERIOD)).serverName(config.get(NAME))
                .readBufferSize(config.get(READ_BUFFER_SIZE).intValue()).acceptBatch(config.get(ACCEPT_BATCH))
                .housekeepingPeriod(config.get(HOUSEKEEPING_PERIOD));
        if (config.get(STALL_WATCHDOG)) {
            builder.stallThreshold(config.get(STALL_THRESHOLD));
        } else {
            builder.stallWatchdog(false);
        }
        Optional<Path> keyStore = config.find(TLS_KEY_STORE);
        if (keyStore.isPresent()) {
            char[] password = config.find(TLS_KEY_STORE_PASSWORD).orElse("").toCharArray();
            builder.tls(TlsOptions.builder().keyStore(load(keyStore.get(), password), password)
                    .applicationProtocols("http/1.1").build());
        }
        return builder;
    }

    private static KeyStore load(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key store " + file + " (server.tls.key-store): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load the key store " + file + " (server.tls.key-store): " + e.getMessage(), e);
        }
    }
}
