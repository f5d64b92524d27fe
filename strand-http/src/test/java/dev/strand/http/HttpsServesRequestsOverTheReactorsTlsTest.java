package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.tcp.TlsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * HTTPS: the HTTP/1.1 protocol over the reactor's TLS connection, the same path as the toolkit's
 * (no TLS code of the HTTP server's own). Requests, keep-alive, pipelining, large and streamed
 * bodies, malformed requests and clients that do not speak TLS, with a self-signed certificate for
 * 127.0.0.1 kept in the test resources.
 */
class HttpsServesRequestsOverTheReactorsTlsTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final byte[] LARGE = new byte[3 * 1024 * 1024 + 17];

    private static HttpServer server;
    private static SSLContext clientContext;

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < LARGE.length; i++) {
            LARGE[i] = (byte) (i % 251);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = HttpsServesRequestsOverTheReactorsTlsTest.class.getResourceAsStream("/tls/localhost.p12")) {
            store.load(in, PASSWORD);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, trust.getTrustManagers(), null);

        TlsOptions tls = TlsOptions.builder().keyStore(store, PASSWORD).applicationProtocols("http/1.1").build();
        server = HttpServer.builder().host("127.0.0.1").port(0).config(c -> c.tls(tls))
                .routing(r -> r
                        .get("/hello", (req, res) -> res.send("hello over " + (req.isSecure() ? "TLS" : "plain text")
                                + " " + req.tlsSession().map(s -> s.getProtocol()).orElse("-")))
                        .get("/inline", Handler.nonBlocking((req, res) -> res.send("inline")))
                        .post("/echo", (req, res) -> res.send(req.body().bytes()))
                        .get("/large", (req, res) -> res.send(LARGE))
                        .get("/streamed", (req, res) -> {
                            try (var out = res.outputStream()) {
                                for (int at = 0; at < LARGE.length; at += 10_000) {
                                    out.write(LARGE, at, Math.min(10_000, LARGE.length - at));
                                }
                            }
                        }))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().sslContext(clientContext).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }

    private static SSLSocket tlsSocket() throws IOException {
        SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the client checks the host name, as browsers do
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    @Test
    void aRequestOverHttpsIsAnsweredAndKnowsItIsSecure() throws Exception {
        try (HttpClient client = client()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("hello over TLS TLSv1.3", response.body());
            assertTrue(response.sslSession().isPresent(), "the client saw a TLS session");
        }
    }

    @Test
    void alpnSettlesOnHttp11WhenTheClientAlsoOffersHttp2() throws Exception {
        try (SSLSocket socket = tlsSocket()) {
            assertEquals("http/1.1", socket.getApplicationProtocol());
        }
    }

    @RepeatedTest(3)
    void keepAliveAndPipeliningWorkOverOneTlsConnection() throws Exception {
        try (RawConnection c = new RawConnection(tlsSocket(), 5_000)) {
            for (int i = 0; i < 5; i++) {
                RawConnection.Reply reply = c.send("GET /inline HTTP/1.1\r\nHost: a\r\n\r\n").read();
                assertEquals(200, reply.status(), "request " + i);
                assertEquals("inline", reply.text());
            }
            StringBuilder pipelined = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                String body = "body " + i;
                pipelined.append("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: ").append(body.length())
                        .append("\r\n\r\n").append(body);
            }
            c.send(pipelined.toString());
            for (int i = 0; i < 16; i++) {
                RawConnection.Reply reply = c.read();
                assertEquals(200, reply.status(), "pipelined request " + i);
                assertEquals("body " + i, reply.text(), "pipelined responses keep their order");
            }
        }
    }

    @Test
    void largeAndStreamedBodiesArriveWholeOverTls() throws Exception {
        try (HttpClient client = client()) {
            for (String path : new String[] {"/large", "/streamed"}) {
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri(path)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, response.statusCode(), path);
                assertArrayEquals(LARGE, response.body(), path + ": every byte, in order");
            }
            byte[] upload = Arrays.copyOf(LARGE, 1024 * 1024);
            HttpResponse<byte[]> echoed = client.send(HttpRequest.newBuilder(uri("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertArrayEquals(upload, echoed.body(), "a 1 MiB request body over TLS");
        }
    }

    @Test
    void aMalformedRequestOverTlsGets400AndTheConnectionEnds() throws Exception {
        try (RawConnection c = new RawConnection(tlsSocket(), 5_000)) {
            RawConnection.Reply reply = c.send("GET /hello HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n").read();
            assertEquals(400, reply.status());
            assertTrue(c.closedByServer(), "the server closes after a malformed request");
        }
    }

    @Test
    void aClientThatDoesNotSpeakTlsIsCutOffAndTheServerGoesOn() throws Exception {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            plain.setSoTimeout(5_000);
            OutputStream out = plain.getOutputStream();
            out.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = plain.getInputStream();
            byte[] answer = in.readAllBytes(); // at most a TLS alert, then the end
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            assertTrue(!text.contains("HTTP/1.1"), "no HTTP answer in plain text on the HTTPS port: " + text);
        }
        try (HttpClient client = client()) {
            assertEquals(200, client.send(HttpRequest.newBuilder(uri("/hello")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "the next HTTPS client is served");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsItsHandshake() throws Exception {
        try (HttpClient untrusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            assertThrows(IOException.class, () -> untrusting.send(HttpRequest.newBuilder(uri("/hello")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
    }
}
