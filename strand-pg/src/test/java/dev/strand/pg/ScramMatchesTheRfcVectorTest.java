package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The SCRAM-SHA-256 exchange of RFC 7677, section 3, and MD5 as PostgreSQL defines it. */
class ScramMatchesTheRfcVectorTest {

    private static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL =
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static Scram rfcExchange() {
        return new Scram("pencil", "user", CLIENT_NONCE);
    }

    @Test
    void theClientMessagesAreTheRfcs() {
        Scram scram = rfcExchange();
        assertEquals("n,,n=user,r=" + CLIENT_NONCE, scram.clientFirst());
        assertEquals(CLIENT_FINAL, scram.clientFinal(SERVER_FIRST));
        assertDoesNotThrow(() -> scram.verifyServerFinal(SERVER_FINAL));
    }

    @Test
    void aWrongServerSignatureIsRefused() {
        Scram scram = rfcExchange();
        scram.clientFinal(SERVER_FIRST);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> scram.verifyServerFinal("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void aServerFinalBeforeAnyProofIsRefused() {
        assertThrows(IllegalStateException.class, () -> rfcExchange().verifyServerFinal(SERVER_FINAL));
    }

    @Test
    void theServersErrorIsRefusedWithItsText() {
        Scram scram = rfcExchange();
        scram.clientFinal(SERVER_FIRST);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> scram.verifyServerFinal("e=invalid-proof"));
        assertTrue(e.getMessage().contains("invalid-proof"), e.getMessage());
    }

    @Test
    void aNonceThatDoesNotExtendOursIsRefused() {
        assertThrows(IllegalStateException.class,
                () -> rfcExchange().clientFinal("r=someoneElsesNonce123,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        assertThrows(IllegalStateException.class, () -> rfcExchange().clientFinal("r=" + CLIENT_NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"),
                "the server must add its own part");
    }

    @Test
    void malformedServerFirstMessagesAreRefused() {
        assertThrows(IllegalStateException.class, () -> rfcExchange().clientFinal("r=" + CLIENT_NONCE + "xyz,i=4096"), "no salt");
        assertThrows(IllegalStateException.class,
                () -> rfcExchange().clientFinal("r=" + CLIENT_NONCE + "xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0"), "no iterations");
    }

    @Test
    void md5IsPostgresqlsScheme() throws Exception {
        byte[] salt = {0x01, (byte) 0xab, 0x7f, (byte) 0x80};
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        String inner = HexFormat.of().formatHex(md5.digest("secretalice".getBytes(StandardCharsets.UTF_8)));
        byte[] innerAndSalt = new byte[inner.length() + 4];
        System.arraycopy(inner.getBytes(StandardCharsets.US_ASCII), 0, innerAndSalt, 0, inner.length());
        System.arraycopy(salt, 0, innerAndSalt, inner.length(), 4);
        String expected = "md5" + HexFormat.of().formatHex(md5.digest(innerAndSalt));

        assertEquals(expected, Startup.md5("alice", "secret", salt));
        assertEquals(35, expected.length());
    }

    @Test
    void md5OfAKnownPassword() {
        // md5("postgrespostgres") is 3175bce1…, what pg_authid holds for postgres/postgres;
        // the answer to salt 01 02 03 04 is md5 of that hex and the salt (computed with md5sum).
        assertEquals("md568be9ed08db75f318087ab337aaea044", Startup.md5("postgres", "postgres", new byte[] {1, 2, 3, 4}));
    }
}
