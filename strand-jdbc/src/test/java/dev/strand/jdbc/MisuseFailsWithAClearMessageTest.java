package dev.strand.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.pool.PoolClosedException;
import dev.strand.reactor.Reactor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MisuseFailsWithAClearMessageTest {

    @Test
    void aUrlNoDriverAcceptsNamesTheSchemeButNeverTheRestOfTheUrl() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Database.builder().url("jdbc:nosuchdb://host/db?password=secret").build());
        assertTrue(e.getMessage().contains("no JDBC driver") && e.getMessage().contains("'jdbc:nosuchdb:'"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret"), "the URL may hold a password: " + e.getMessage());
    }

    @Test
    void aDatabaseNeedsAUrlOrADataSource() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Database.builder().name("nowhere").build());
        assertTrue(e.getMessage().contains("url(...)") && e.getMessage().contains("nowhere"), e.getMessage());
    }

    @Test
    void settingsOutOfRangeAreRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> Database.builder().poolSize(0));
        assertThrows(IllegalArgumentException.class, () -> Database.builder().acquireTimeout(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> Database.builder().statementCacheSize(-1));
        assertThrows(IllegalArgumentException.class, () -> Database.builder().maxLifetime(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Database.builder().url("jdbc:h2:mem:x").poolSize(2).minIdle(3).build());
        assertThrows(NullPointerException.class, () -> Database.builder().url(null));
    }

    @Test
    void aCallOnALoopsOwnThreadIsRefusedRatherThanBlockingTheLoop() throws Exception {
        try (Database db = Target.H2.builder().build(); Reactor reactor = Reactor.builder().loops(1).build()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            reactor.next().execute(() -> {
                try {
                    db.query("SELECT 1", rs -> rs.getInt(1));
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            IllegalStateException refused = assertInstanceOf(IllegalStateException.class, outcome.get(10, TimeUnit.SECONDS));
            assertTrue(refused.getMessage().contains("fiber"), refused.getMessage());
        }
    }

    @Test
    void aClosedDatabaseRefusesCallsAndClosingAgainDoesNothing() {
        Database db = Target.H2.builder().name("closing").build();
        assertEquals(List.of(1), db.query("SELECT 1", rs -> rs.getInt(1)));
        db.close();
        db.close();
        PoolClosedException closed = assertThrows(PoolClosedException.class, () -> db.query("SELECT 1", rs -> rs.getInt(1)));
        assertEquals("closing", closed.pool());
        assertEquals(0, db.metrics().pool().size(), "its connections are closed");
    }
}
