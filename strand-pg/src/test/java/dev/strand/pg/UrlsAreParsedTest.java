package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link PgClient.Builder#url} reads libpq's and pgjdbc's URL forms, and refuses what is neither. */
class UrlsAreParsedTest {

    @Test
    void aLibpqUrlSetsEveryPart() {
        PgClient.Builder b = PgClient.builder().url("postgresql://alice:s%40cret@db.example.com:6543/orders");
        assertEquals("db.example.com", b.host);
        assertEquals(6543, b.port);
        assertEquals("orders", b.database);
        assertEquals("alice", b.user);
        assertEquals("s@cret", b.password);
    }

    @Test
    void theShortSchemeAndMissingPartsKeepTheDefaults() {
        PgClient.Builder b = PgClient.builder().url("postgres://db");
        assertEquals("db", b.host);
        assertEquals(5432, b.port);
        assertEquals("postgres", b.database);
        assertEquals(System.getProperty("user.name"), b.user, "the operating system's user, as for psql and pgjdbc");
        assertNull(b.password);
    }

    @Test
    void aUserWithoutPasswordSetsOnlyTheUser() {
        PgClient.Builder b = PgClient.builder().url("postgresql://bob@127.0.0.1/test");
        assertEquals("bob", b.user);
        assertNull(b.password);
        assertEquals("test", b.database);
    }

    @Test
    void aPgjdbcUrlTakesUserPasswordAndApplicationNameFromItsQuery() {
        PgClient.Builder b = PgClient.builder()
                .url("jdbc:postgresql://localhost/shop?user=carol&password=p%26w%3D1&ApplicationName=billing&sslmode=disable");
        assertEquals("localhost", b.host);
        assertEquals(5432, b.port);
        assertEquals("shop", b.database);
        assertEquals("carol", b.user);
        assertEquals("p&w=1", b.password);
        assertEquals("billing", b.applicationName);
    }

    @Test
    void anIpv6HostLosesItsBrackets() {
        PgClient.Builder b = PgClient.builder().url("postgresql://[::1]:5433/test");
        assertEquals("::1", b.host);
        assertEquals(5433, b.port);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "mysql://localhost/db",
        "jdbc:mysql://localhost/db",
        "localhost:5432/db",
        "postgresql:///db",
        "postgresql://",
        "postgresql://host name/db",
        "postgresql://host:99999/db",
        "postgresql://host:0/db"})
    void aBadUrlIsRefused(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PgClient.builder().url(url));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "postgresql://db/x?sslmode=require",
        "postgresql://db/x?sslmode=verify-full&password=hunter2",
        "jdbc:postgresql://db/x?sslmode=verify-ca",
        "jdbc:postgresql://db/x?ssl=true",
        "jdbc:postgresql://db/x?ssl"})
    void aUrlThatAsksForTlsIsRefusedRatherThanConnectingInTheClear(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PgClient.builder().url(url));
        assertTrue(e.getMessage().contains("TLS") && !e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void theSettingsNeverPrintThePassword() {
        try (PgClient db = PgClient.builder().url("postgresql://alice:hunter2@db.example.com/orders").build()) {
            String settings = db.settings().toString();
            assertTrue(!settings.contains("hunter2") && settings.contains("alice") && settings.contains("db.example.com"), settings);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"disable", "allow", "prefer"})
    void aUrlThatMakesTlsOptionalIsTaken(String mode) {
        assertEquals("db", PgClient.builder().url("postgresql://db/x?sslmode=" + mode).host);
        assertEquals("db", PgClient.builder().url("jdbc:postgresql://db/x?ssl=false").host);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "mysql://u:hunter2@localhost/db",
        "postgresql://u:hunter2@host name/db",
        "postgresql://u:hunter2@/db",
        "jdbc:postgresql://host name/db?user=u&password=hunter2"})
    void aBadUrlDoesNotSayItsPassword(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PgClient.builder().url(url));
        assertTrue(!e.getMessage().contains("hunter2"), "the URL may hold a password: " + e.getMessage());
        assertTrue(e.getCause() == null || !String.valueOf(e.getCause().getMessage()).contains("hunter2"), "nor may its cause");
    }
}
