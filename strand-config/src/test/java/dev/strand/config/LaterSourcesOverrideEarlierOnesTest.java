package dev.strand.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flags override the environment, which overrides the file, which overrides defaults; each value knows its source. */
class LaterSourcesOverrideEarlierOnesTest {

    enum Level { NORMAL, SLOW, CRAWL }

    static final Setting<Integer> PORT = Setting.integer("server.port").defaultValue(8080);
    static final Setting<Duration> IDLE = Setting.duration("server.idle-timeout").defaultValue(Duration.ofSeconds(30));
    static final Setting<Long> BODY = Setting.bytes("server.max-body-size").defaultValue(1L << 20);
    static final Setting<Level> QOS = Setting.oneOf("qos.level", Level.class).defaultValue(Level.NORMAL);
    static final Setting<Boolean> ACCESS_LOG = Setting.bool("log.access").defaultValue(false);
    static final List<Setting<?>> ALL = List.of(PORT, IDLE, BODY, QOS, ACCESS_LOG);

    @TempDir
    Path dir;

    @Test
    void eachSettingTakesItsValueFromTheLastSourceThatGivesOne() throws IOException {
        Path yaml = Files.writeString(dir.resolve("strand.yaml"), """
                server:
                  port: 9000
                  idle-timeout: 45s
                  max-body-size: 4MiB
                qos:
                  level: slow
                """);
        Config config = Config.builder(ALL).file(yaml)
                .environment(Map.of("STRAND_SERVER_PORT", "9001", "STRAND_SERVER_IDLE_TIMEOUT", "2m", "HOME", "/root"))
                .arguments(List.of("--server.port=9002", "--log.access"))
                .load();

        assertEquals(9002, config.get(PORT));
        assertEquals(new Source(Source.Kind.COMMAND_LINE, "--server.port"), config.source(PORT));
        assertEquals(Duration.ofMinutes(2), config.get(IDLE));
        assertEquals(new Source(Source.Kind.ENVIRONMENT, "STRAND_SERVER_IDLE_TIMEOUT"), config.source(IDLE));
        assertEquals(4L << 20, config.get(BODY));
        assertEquals(new Source(Source.Kind.FILE, yaml + ":4"), config.source(BODY));
        assertEquals(Level.SLOW, config.get(QOS));
        assertEquals(true, config.get(ACCESS_LOG), "a bare boolean flag is true");
    }

    @Test
    void aPropertiesFileAndFlagsWithSeparateValuesWork() throws IOException {
        Path properties = Files.writeString(dir.resolve("strand.properties"), """
                # the port
                server.port = 7000
                ! another comment style
                qos.level: crawl
                """);
        Config config = Config.builder(ALL).file(properties).arguments(List.of("--server.idle-timeout", "PT1.5S")).load();
        assertEquals(7000, config.get(PORT));
        assertEquals(new Source(Source.Kind.FILE, properties + ":2"), config.source(PORT));
        assertEquals(Level.CRAWL, config.get(QOS));
        assertEquals(Duration.ofMillis(1500), config.get(IDLE));
        assertEquals(Source.defaults(), config.source(BODY));
        assertEquals(1L << 20, config.get(BODY));
    }

    @Test
    void withNoSourceEverySettingHasItsDefault() {
        Config config = Config.builder(ALL).load();
        assertEquals(8080, config.get(PORT));
        assertEquals(Duration.ofSeconds(30), config.get(IDLE));
        assertEquals(Level.NORMAL, config.get(QOS));
    }

    @Test
    void theValueFormatsOfEachType() {
        assertEquals(Duration.ofMillis(500), IDLE.parse("500ms"));
        assertEquals(Duration.ofHours(1), IDLE.parse("1h"));
        assertEquals(Duration.ofNanos(3000), IDLE.parse("3us"));
        assertEquals(64L * 1024, BODY.parse("64KiB"));
        assertEquals(512L, BODY.parse("512"));
        assertEquals(2L << 30, BODY.parse("2g"));
        assertEquals(Level.CRAWL, QOS.parse("Crawl"));
        assertEquals(1_000_000, PORT.parse("1_000_000"));
        assertEquals(false, ACCESS_LOG.parse("off"));
    }
}
