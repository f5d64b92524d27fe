package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.jdbc.DatabaseException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real server trusts every local connection, so password authentication is checked against a
 * tiny fake server here: it asks for a cleartext, MD5 or SCRAM-SHA-256 password, checks the
 * client's answer by its own computation, and then either lets the session open and answers one
 * statement, or refuses it as PostgreSQL does (FATAL 28P01).
 */
class PasswordAuthenticationAgainstAFakeServerTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "correct horse";

    enum Method { CLEARTEXT, MD5, SCRAM }

    /** How the fake server ends a SCRAM exchange it accepted: with its proof, a wrong one, or none. */
    enum Ending { PROOF, WRONG_PROOF, NO_PROOF }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Method.class)
    void theRightPasswordOpensTheSession(Method method) throws Exception {
        try (FakeServer server = new FakeServer(method, PASSWORD, Ending.PROOF);
                PgClient db = client(server, PASSWORD)) {
            assertEquals(0, db.update("SET search_path = public"));
            assertEquals("ok", server.outcome.get(10, TimeUnit.SECONDS));
            assertEquals(USER, server.startupParameters.get("user"));
            assertEquals("shop", server.startupParameters.get("database"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Method.class)
    void aWrongPasswordFailsTheCallAsAConnectionFailureWith28P01(Method method) throws Exception {
        try (FakeServer server = new FakeServer(method, PASSWORD, Ending.PROOF);
                PgClient db = client(server, "battery staple")) {
            DatabaseException e = assertThrows(DatabaseException.class, () -> db.update("SET search_path = public"));
            assertEquals("28P01", e.sqlState().orElse(null), e.getMessage());
            assertTrue(e.isConnectionFailure(), e.getMessage());
            assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
            assertEquals("refused", server.outcome.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void noPasswordWhenOneIsAskedForFailsWith28P01() throws Exception {
        try (FakeServer server = new FakeServer(Method.MD5, PASSWORD, Ending.PROOF);
                PgClient db = PgClient.builder().host("127.0.0.1").port(server.port()).user(USER).database("shop").build()) {
            DatabaseException e = assertThrows(DatabaseException.class, () -> db.update("SET search_path = public"));
            assertEquals("28P01", e.sqlState().orElse(null), e.getMessage());
            assertTrue(e.isConnectionFailure(), e.getMessage());
        }
    }

    @Test
    void aServerThatCannotProveItKnowsThePasswordIsRefused() throws Exception {
        try (FakeServer server = new FakeServer(Method.SCRAM, PASSWORD, Ending.WRONG_PROOF);
                PgClient db = client(server, PASSWORD)) {
            DatabaseException e = assertThrows(DatabaseException.class, () -> db.update("SET search_path = public"));
            assertTrue(e.isConnectionFailure(), e.getMessage());
            assertTrue(e.getMessage().contains("signature"), e.getMessage());
        }
    }

    @Test
    void aServerThatSkipsItsScramProofIsRefused() throws Exception {
        try (FakeServer server = new FakeServer(Method.SCRAM, PASSWORD, Ending.NO_PROOF);
                PgClient db = client(server, PASSWORD)) {
            DatabaseException e = assertThrows(DatabaseException.class, () -> db.update("SET search_path = public"));
            assertTrue(e.isConnectionFailure(), e.getMessage());
            assertEquals("28000", e.sqlState().orElse(null), e.getMessage());
            assertTrue(e.getMessage().contains("without proving"), e.getMessage());
        }
    }

    private static PgClient client(FakeServer server, String password) {
        return PgClient.builder().url("postgresql://" + USER + "@127.0.0.1:" + server.port() + "/shop").password(password).build();
    }

    /** One connection's worth of a PostgreSQL server, on a free port of 127.0.0.1. */
    private static final class FakeServer implements AutoCloseable {

        final CompletableFuture<String> outcome = new CompletableFuture<>();
        final Map<String, String> startupParameters = new HashMap<>();
        private final ServerSocket listener;
        private final Method method;
        private final String password;
        private final Ending ending;

        FakeServer(Method method, String password, Ending ending) throws IOException {
            this.method = method;
            this.password = password;
            this.ending = ending;
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().name("fake-pg").start(this::serve);
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }

        private void serve() {
            try (Socket socket = listener.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                readStartup(in);
                boolean accepted = switch (method) {
                    case CLEARTEXT -> cleartext(in, out);
                    case MD5 -> md5(in, out);
                    case SCRAM -> scram(in, out);
                };
                if (!accepted) {
                    send(out, 'E', error("FATAL", "28P01", "password authentication failed for user \"" + USER + "\""));
                    outcome.complete("refused");
                    return;
                }
                send(out, 'R', int32(0));
                send(out, 'S', concat(cstring("server_version"), cstring("15.0")));
                send(out, 'K', concat(int32(4242), int32(777)));
                send(out, 'Z', new byte[] {'I'});
                outcome.complete("ok");
                answerStatements(in, out);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                outcome.complete("failed: " + e);
            }
        }

        private void readStartup(DataInputStream in) throws IOException {
            int length = in.readInt();
            byte[] body = in.readNBytes(length - 4);
            int protocol = ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
            if (protocol != 196_608) {
                throw new IOException("protocol " + protocol);
            }
            String[] parts = new String(body, 4, body.length - 4, StandardCharsets.UTF_8).split("\0");
            for (int i = 0; i + 1 < parts.length; i += 2) {
                startupParameters.put(parts[i], parts[i + 1]);
            }
        }

        private boolean cleartext(DataInputStream in, OutputStream out) throws IOException {
            send(out, 'R', int32(3));
            byte[] body = readMessage(in, 'p');
            return new String(body, 0, body.length - 1, StandardCharsets.UTF_8).equals(password);
        }

        private boolean md5(DataInputStream in, OutputStream out) throws IOException, GeneralSecurityException {
            byte[] salt = new byte[4];
            new SecureRandom().nextBytes(salt);
            send(out, 'R', concat(int32(5), salt));
            byte[] body = readMessage(in, 'p');
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            String inner = HexFormat.of().formatHex(md5.digest((password + USER).getBytes(StandardCharsets.UTF_8)));
            String expected = "md5" + HexFormat.of().formatHex(md5.digest(concat(inner.getBytes(StandardCharsets.US_ASCII), salt)));
            return new String(body, 0, body.length - 1, StandardCharsets.US_ASCII).equals(expected);
        }

        /** RFC 5802's server side, with a salt and nonce of its own. */
        private boolean scram(DataInputStream in, OutputStream out) throws IOException, GeneralSecurityException {
            send(out, 'R', concat(int32(10), cstring("SCRAM-SHA-256-PLUS"), cstring("SCRAM-SHA-256"), new byte[] {0}));
            byte[] initial = readMessage(in, 'p');
            int nul = indexOf(initial, (byte) 0);
            String mechanism = new String(initial, 0, nul, StandardCharsets.UTF_8);
            if (!mechanism.equals("SCRAM-SHA-256")) {
                throw new IOException("mechanism " + mechanism);
            }
            String clientFirst = new String(initial, nul + 5, initial.length - nul - 5, StandardCharsets.UTF_8);
            if (!clientFirst.startsWith("n,,")) {
                throw new IOException("client-first " + clientFirst);
            }
            String clientFirstBare = clientFirst.substring(3);
            String clientNonce = attribute(clientFirstBare, "r");
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            int iterations = 4096;
            String serverFirst = "r=" + clientNonce + "Fake+Server/Nonce,s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
            send(out, 'R', concat(int32(11), serverFirst.getBytes(StandardCharsets.UTF_8)));

            String clientFinal = new String(readMessage(in, 'p'), StandardCharsets.UTF_8);
            int proofAt = clientFinal.lastIndexOf(",p=");
            String withoutProof = clientFinal.substring(0, proofAt);
            byte[] proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
            if (!attribute(withoutProof, "c").equals("biws") || !attribute(withoutProof, "r").equals(attribute(serverFirst, "r"))) {
                return false;
            }
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            var spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
            byte[] clientSignature = hmac(storedKey, authMessage);
            byte[] clientKey = new byte[proof.length];
            for (int i = 0; i < proof.length && i < clientSignature.length; i++) {
                clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
            }
            if (!MessageDigest.isEqual(MessageDigest.getInstance("SHA-256").digest(clientKey), storedKey)) {
                return false;
            }
            byte[] serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
            if (ending == Ending.NO_PROOF) {
                return true;
            }
            if (ending == Ending.WRONG_PROOF) {
                serverSignature[0] ^= 1;
            }
            send(out, 'R', concat(int32(12), ("v=" + Base64.getEncoder().encodeToString(serverSignature)).getBytes(StandardCharsets.UTF_8)));
            return true;
        }

        /** Parse, Describe, Bind, Execute up to each Sync, answered as for a statement without rows. */
        private void answerStatements(DataInputStream in, OutputStream out) throws IOException {
            while (true) {
                int type = in.read();
                if (type < 0 || type == 'X') {
                    return;
                }
                in.readNBytes(in.readInt() - 4);
                switch (type) {
                    case 'P' -> send(out, '1', new byte[0]);
                    case 'D' -> {
                        send(out, 't', new byte[] {0, 0});
                        send(out, 'n', new byte[0]);
                    }
                    case 'B' -> send(out, '2', new byte[0]);
                    case 'E' -> send(out, 'C', cstring("SET"));
                    case 'S' -> send(out, 'Z', new byte[] {'I'});
                    default -> throw new IOException("unexpected message " + (char) type);
                }
            }
        }

        private static byte[] readMessage(DataInputStream in, char expected) throws IOException {
            int type = in.read();
            if (type != expected) {
                throw new IOException("expected '" + expected + "', got " + type);
            }
            return in.readNBytes(in.readInt() - 4);
        }

        private static void send(OutputStream out, char type, byte[] body) throws IOException {
            DataOutputStream data = new DataOutputStream(out);
            data.writeByte(type);
            data.writeInt(body.length + 4);
            data.write(body);
            data.flush();
        }

        private static byte[] error(String severity, String sqlState, String message) {
            return concat(new byte[] {'S'}, cstring(severity), new byte[] {'V'}, cstring(severity), new byte[] {'C'}, cstring(sqlState),
                    new byte[] {'M'}, cstring(message), new byte[] {0});
        }

        private static String attribute(String message, String name) {
            for (String part : message.split(",")) {
                if (part.startsWith(name + "=")) {
                    return part.substring(name.length() + 1);
                }
            }
            throw new IllegalArgumentException("no " + name + " in " + message);
        }

        private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        }

        private static int indexOf(byte[] bytes, byte b) {
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == b) {
                    return i;
                }
            }
            return -1;
        }

        private static byte[] int32(int v) {
            return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }

        private static byte[] cstring(String s) {
            return concat(s.getBytes(StandardCharsets.UTF_8), new byte[] {0});
        }

        private static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] part : parts) {
                all.writeBytes(part);
            }
            return all.toByteArray();
        }
    }
}
