package dev.strand.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** describe() shows every setting's effective value and its source, in key order, with secrets masked. */
class EffectiveConfigurationIsPrintedWithSecretsMaskedTest {

    @Test
    void eachSettingOnALineWithItsSource() {
        Setting<Integer> port = Setting.integer("server.port").defaultValue(8080);
        Setting<String> password = Setting.string("db.password").secret();
        Setting<String> url = Setting.string("db.url");
        Setting<Duration> idle = Setting.duration("server.idle-timeout").defaultValue(Duration.ofSeconds(90));
        Config config = Config.builder(List.of(port, password, url, idle))
                .environment(Map.of("STRAND_DB_PASSWORD", "hunter2")).arguments(List.of("--server.port=9000")).load();
        assertEquals("""
                db.password = ******  # environment variable STRAND_DB_PASSWORD
                db.url = (unset)  # default
                server.idle-timeout = 90s  # default
                server.port = 9000  # command line --server.port
                """, config.describe());
        assertEquals("hunter2", config.get(password));
        assertThrows(java.util.NoSuchElementException.class, () -> config.get(url));
        assertThrows(IllegalArgumentException.class, () -> config.get(Setting.integer("server.port")),
                "a setting of the same key but not of this configuration");
    }

    @Test
    void keysAreCheckedWhenSettingsAreMade() {
        assertThrows(IllegalArgumentException.class, () -> Setting.integer("Server.Port"));
        assertThrows(IllegalArgumentException.class, () -> Setting.integer("server..port"));
        assertEquals("STRAND_SERVER_IDLE_TIMEOUT", Setting.duration("server.idle-timeout").environmentName("STRAND_"));
        assertThrows(IllegalArgumentException.class, () -> Config.builder(List.of(Setting.integer("a"), Setting.string("a"))));
    }
}
