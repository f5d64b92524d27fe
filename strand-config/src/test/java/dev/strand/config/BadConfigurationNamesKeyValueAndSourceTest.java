package dev.strand.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unknown key or a bad value stops the load with every problem at once, each naming the key,
 * the value and where it came from — and a secret's value is never shown.
 */
class BadConfigurationNamesKeyValueAndSourceTest {

    static final Setting<Integer> PORT = Setting.integer("server.port").defaultValue(8080)
            .require(p -> p > 0 && p < 65_536, "between 1 and 65535");
    static final Setting<String> PASSWORD = Setting.string("db.password").secret();
    static final Setting<java.time.Duration> IDLE = Setting.duration("server.idle-timeout");
    static final List<Setting<?>> ALL = List.of(PORT, PASSWORD, IDLE);

    @TempDir
    Path dir;

    @Test
    void everyProblemOfEverySourceIsListedWithItsKeyValueAndSource() throws IOException {
        Path yaml = Files.writeString(dir.resolve("strand.yaml"), """
                server:
                  port: 70000
                  idel-timeout: 30s
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> Config.builder(ALL).file(yaml)
                .environment(Map.of("STRAND_DB_PASSWORD", "", "STRAND_SERVER_HOST", "x"))
                .arguments(List.of("--server.idle-timeout=soon", "--workers=4", "stray"))
                .load());
        List<ConfigException.Problem> problems = e.problems();
        assertEquals(List.of(
                new ConfigException.Problem("server.port", Optional.of("70000"), new Source(Source.Kind.FILE, yaml + ":2"),
                        "must be between 1 and 65535"),
                new ConfigException.Problem("server.idel-timeout", Optional.of("30s"), new Source(Source.Kind.FILE, yaml + ":3"),
                        "unknown setting; did you mean server.idle-timeout?"),
                new ConfigException.Problem("STRAND_DB_PASSWORD", Optional.of("******"), new Source(Source.Kind.ENVIRONMENT, "STRAND_DB_PASSWORD"),
                        "empty; expected text"),
                new ConfigException.Problem("STRAND_SERVER_HOST", Optional.of("x"), new Source(Source.Kind.ENVIRONMENT, "STRAND_SERVER_HOST"),
                        "unknown setting"),
                new ConfigException.Problem("--server.idle-timeout", Optional.of("soon"), new Source(Source.Kind.COMMAND_LINE, "--server.idle-timeout"),
                        "not a duration; expected a duration such as 500ms, 30s or 2m"),
                new ConfigException.Problem("--workers", Optional.of("4"), new Source(Source.Kind.COMMAND_LINE, "--workers"), "unknown setting"),
                new ConfigException.Problem("stray", Optional.empty(), new Source(Source.Kind.COMMAND_LINE, "stray"), "not a flag (--key=value)")),
                problems);
        assertTrue(e.getMessage().startsWith("invalid configuration, 7 problems:\n  server.port = '70000' (file " + yaml + ":2): must be between 1 and 65535"),
                e.getMessage());
    }

    @Test
    void aSecretsBadValueIsMasked() {
        Setting<Integer> pin = Setting.integer("vault.pin").secret();
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.builder(List.of(pin)).arguments(List.of("--vault.pin=hunter2")).load());
        assertEquals("invalid configuration: --vault.pin = '******' (command line --vault.pin): not a whole number (or out of range); expected a whole number",
                e.getMessage());
        assertTrue(!e.getMessage().contains("hunter2"));
    }

    @Test
    void malformedFilesAreProblemsWithTheirLine() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "server:\n  port: [1, 2]\n");
        Path twice = Files.writeString(dir.resolve("twice.properties"), "server.port=1\nserver.port=2\n");
        Path odd = Files.writeString(dir.resolve("strand.toml"), "port = 1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Config.builder(ALL).file(broken).file(twice).file(odd)
                .file(dir.resolve("missing.yaml")).load());
        assertEquals(List.of("server.port is a list; settings are single values (file " + broken + ":2)",
                        "server.port is set twice (file " + twice + ":2)",
                        "not a .properties, .yaml or .yml file (file " + odd + ")",
                        "no such file (file " + dir.resolve("missing.yaml") + ")"),
                e.problems().stream().map(p -> p.reason() + " (" + p.source() + ")").toList());
    }

    @Test
    void aFlagWithoutItsValueIsAProblem() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.builder(ALL).arguments(List.of("--server.port", "--server.idle-timeout=1s")).load());
        assertEquals("invalid configuration: --server.port (command line --server.port): no value; expected a whole number",
                e.getMessage());
    }
}
