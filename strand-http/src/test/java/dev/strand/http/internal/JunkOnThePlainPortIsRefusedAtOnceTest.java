package dev.strand.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import dev.strand.http.HttpServer;
import dev.strand.http.RawConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes that cannot begin a request line (a TLS ClientHello on the plain port, binary junk) get a
 * 400 and a close at once: not a wait for a line end that never comes, nor for the header-read
 * timeout.
 */
class JunkOnThePlainPortIsRefusedAtOnceTest {

    /** Far longer than the test waits for the answer, so only an immediate refusal passes. */
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(30);
    private static HttpServer server;

    @BeforeAll
    static void start() {
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .config(c -> c.loops(1).headerReadTimeout(HEADER_TIMEOUT))
                .routing(r -> r.get("/", (req, res) -> res.send("root")))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The first bytes of a TLS 1.2/1.3 ClientHello record: handshake, TLS 1.0 record version, length. */
    private static final byte[] CLIENT_HELLO = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};

    static Stream<Arguments> junk() {
        return Stream.of(
                argumentSet("a TLS ClientHello", CLIENT_HELLO),
                argumentSet("a NUL byte", new byte[] {0}),
                argumentSet("binary after a plausible method", bytes("GE\u0001")),
                argumentSet("a space first", bytes(" GET")),
                argumentSet("a control byte in the target", bytes("GET /a\u0007")),
                argumentSet("a high byte in the target", new byte[] {'G', 'E', 'T', ' ', '/', (byte) 0xc3}),
                argumentSet("two spaces: an empty target", bytes("GET  ")),
                argumentSet("not a version", bytes("GET / HTTQ")),
                argumentSet("a letter for the minor version", bytes("GET / HTTP/1.x")),
                argumentSet("a version too long", bytes("GET / HTTP/1.10")),
                argumentSet("HTTP/2's preface to a space", bytes("GET * HTTP/2.0 ")));
    }

    /** Tokens that no method we implement begins with: 501, as for the whole line, but at once. */
    static Stream<Arguments> unknownMethods() {
        return Stream.of(
                argumentSet("an SSH banner", bytes("SSH-2.0-OpenSSH_9.6")),
                argumentSet("HTTP/2's preface", bytes("PRI * HT")),
                argumentSet("a known method's prefix that goes on", bytes("GETS")),
                argumentSet("a lower-case method", bytes("get")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @MethodSource("junk")
    void getsA400AndACloseWithoutALineEnd(byte[] junk) throws Exception {
        refusedAtOnce(junk, 400);
    }

    @ParameterizedTest
    @MethodSource("unknownMethods")
    void anUnknownMethodGetsA501AndACloseWithoutALineEnd(byte[] junk) throws Exception {
        refusedAtOnce(junk, 501);
        assertTrue(ParserDriver.whole(junk).startsWith("ERROR 501"));
        assertEquals(ParserDriver.whole(junk), ParserDriver.byteByByte(junk));
    }

    private static void refusedAtOnce(byte[] junk, int status) throws Exception {
        long start = System.nanoTime();
        try (RawConnection c = new RawConnection(server.port(), 10_000)) {
            RawConnection.Reply reply = c.send(junk).read();
            assertEquals(status, reply.status(), reply.text());
            assertEquals("close", reply.header("Connection"));
            assertTrue(c.closedByServer(), "the server closes the connection after the 400");
        }
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis < HEADER_TIMEOUT.toMillis() / 3, "answered at once, not on a timeout: " + tookMillis + " ms");
    }

    @ParameterizedTest
    @MethodSource("junk")
    void theParserRefusesItWhateverTheSplit(byte[] junk) {
        String whole = ParserDriver.whole(junk);
        assertTrue(whole.startsWith("ERROR 400"), "refused without a line end: " + whole);
        assertEquals(whole, ParserDriver.byteByByte(junk), "the same verdict fed byte by byte");
    }
}
