package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.jdbc.DatabaseException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A host name with several addresses is tried address by address: {@code localhost} may be refused
 * on ::1 (pg_hba.conf is per address, and here allows only 127.0.0.1) and accepted on 127.0.0.1.
 */
class HostNamesTryEveryAddressTest {

    @Test
    void localhostConnectsWhicheverOfItsAddressesTheServerAccepts() throws Exception {
        Postgres.assumeAvailable();
        assertTrue(InetAddress.getAllByName("localhost").length >= 1);
        try (PgClient db = Postgres.client().host("localhost").build()) {
            assertEquals(List.of("ok"), db.query("SELECT 'ok'", rs -> rs.getString(1)));
        }
    }

    @Test
    void whenNoAddressAnswersTheFailureSaysSoAsAConnectionFailure() {
        Postgres.assumeAvailable();
        // Port 1 on loopback: nothing listens, every address refuses the connection.
        try (PgClient db = Postgres.client().port(1).build()) {
            DatabaseException e = assertThrows(DatabaseException.class, () -> db.query("SELECT 1", rs -> rs.getInt(1)));
            assertTrue(e.isConnectionFailure(), e.toString());
            assertTrue(e.getMessage().contains("PostgreSQL"), e.getMessage());
        }
    }
}
