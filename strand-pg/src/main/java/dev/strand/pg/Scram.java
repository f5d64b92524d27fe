package dev.strand.pg;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client's side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL runs it: no channel
 * binding, and an empty user name in the messages (the server takes the one from the start-up).
 * One exchange per instance; not thread-safe.
 *
 * <p>The password is normalized with NFKC, the core of SASLprep; for the ASCII passwords most
 * deployments use the two agree.
 */
final class Scram {

    static final String MECHANISM = "SCRAM-SHA-256";
    private static final String GS2_HEADER = "n,,";

    private final String password;
    private final String user;
    private final String clientNonce;
    private byte[] serverSignature;
    private boolean verified;

    /** An exchange with a fresh random nonce. */
    Scram(String password) {
        this(password, "", randomNonce());
    }

    /** An exchange with a given user name and nonce: for the RFC's test vector. */
    Scram(String password, String user, String clientNonce) {
        this.password = password;
        this.user = user;
        this.clientNonce = clientNonce;
    }

    private static String randomNonce() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private String clientFirstBare() {
        return "n=" + user + ",r=" + clientNonce;
    }

    /** The client-first-message. */
    String clientFirst() {
        return GS2_HEADER + clientFirstBare();
    }

    /**
     * The client-final-message answering {@code serverFirst}.
     *
     * @throws IllegalStateException when the server's message is malformed or its nonce does not extend ours
     */
    String clientFinal(String serverFirst) {
        String nonce = attribute(serverFirst, 'r');
        byte[] salt = Base64.getDecoder().decode(attribute(serverFirst, 's'));
        int iterations = Integer.parseInt(attribute(serverFirst, 'i'));
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new IllegalStateException("the server's SCRAM nonce does not extend the client's");
        }
        if (iterations < 1) {
            throw new IllegalStateException("the server asked for " + iterations + " SCRAM iterations");
        }
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.US_ASCII)) + ",r=" + nonce;
        String authMessage = clientFirstBare() + "," + serverFirst + "," + withoutProof;
        try {
            byte[] salted = hi(Normalizer.normalize(password, Normalizer.Form.NFKC), salt, iterations);
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            byte[] clientSignature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
            }
            serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
            return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SCRAM-SHA-256 is not available in this JDK", e);
        }
    }

    /**
     * Checks the server-final-message: the server proves it knew the password too.
     *
     * @throws IllegalStateException when the server reports an error or its signature is wrong
     */
    void verifyServerFinal(String serverFinal) {
        if (serverFinal.startsWith("e=")) {
            throw new IllegalStateException("the server ended SCRAM authentication: " + serverFinal.substring(2));
        }
        byte[] signature = Base64.getDecoder().decode(attribute(serverFinal, 'v'));
        if (serverSignature == null || !MessageDigest.isEqual(signature, serverSignature)) {
            throw new IllegalStateException("the server's SCRAM signature is wrong: it does not know the password");
        }
        verified = true;
    }

    /** Whether the server's final message proved that it knows the password. */
    boolean verified() {
        return verified;
    }

    private static String attribute(String message, char name) {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        throw new IllegalStateException("SCRAM message without '" + name + "': " + message);
    }

    private static byte[] hi(String password, byte[] salt, int iterations) throws GeneralSecurityException {
        var spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }
}
