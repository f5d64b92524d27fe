package dev.strand.reactor.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed EC certificate for 127.0.0.1 and localhost, made by the running JDK's keytool
 * once per test JVM (about a second), and the TLS options and JDK contexts built on it.
 */
final class TestTls {

    static final char[] PASSWORD = "changeit".toCharArray();
    private static KeyStore keyStore;
    private static KeyStore trustStore;

    private TestTls() {
    }

    /** The key store holding the certificate and its private key. */
    static synchronized KeyStore keyStore() {
        if (keyStore == null) {
            try {
                keyStore = generate();
                Certificate certificate = keyStore.getCertificate("strand");
                trustStore = KeyStore.getInstance("PKCS12");
                trustStore.load(null, null);
                trustStore.setCertificateEntry("strand", certificate);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot make the test certificate", e);
            }
        }
        return keyStore;
    }

    /** A store trusting the certificate only. */
    static synchronized KeyStore trustStore() {
        keyStore();
        return trustStore;
    }

    private static KeyStore generate() throws IOException, GeneralSecurityException {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("the running java's path is unknown: cannot find keytool")));
        Path keytool = java.resolveSibling(java.getFileName().toString().endsWith(".exe") ? "keytool.exe" : "keytool");
        Path dir = Files.createTempDirectory("strand-tls");
        Path file = dir.resolve("test.p12");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1",
                "-alias", "strand", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + new String(output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for keytool", e);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        Files.delete(file);
        Files.delete(dir);
        return store;
    }

    /** A server's options with the certificate. */
    static TlsOptions.Builder server() {
        return TlsOptions.builder().keyStore(keyStore(), PASSWORD);
    }

    /** A client's options trusting the certificate (host names verified). */
    static TlsOptions.Builder client() {
        return TlsOptions.builder().trustStore(trustStore());
    }

    /** A JDK context with the certificate as key and as trust, for SSLSocket and SSLServerSocket peers. */
    static SSLContext jdkContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore(), PASSWORD);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JDK TLS client socket to 127.0.0.1:{@code port}, verifying the host name, with a 5 s read timeout. */
    static javax.net.ssl.SSLSocket jdkClient(int port, String... protocols) throws IOException {
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) jdkContext().getSocketFactory().createSocket("127.0.0.1", port);
        javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (protocols.length > 0) {
            parameters.setProtocols(protocols);
        }
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** As {@link #jdkClient}, over a TCP socket whose receive window is set before connecting (a slow reader). */
    static javax.net.ssl.SSLSocket jdkClientWithWindow(int port, int receiveBuffer) throws IOException {
        java.net.Socket plain = new java.net.Socket();
        plain.setReceiveBufferSize(receiveBuffer);
        plain.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) jdkContext().getSocketFactory()
                .createSocket(plain, "127.0.0.1", port, true);
        javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(5_000);
        return socket;
    }
}
