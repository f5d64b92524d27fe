package dev.strand.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The header (and trailer) section limit counts every field line with its CRLF, the last one
 * included: a section of exactly the limit is accepted, one byte more is refused with 431. (The
 * limits fuzz test found sections of limit + 1 and + 2 bytes accepted when the last line's CRLF
 * went uncounted.)
 */
class HeaderSectionLimitCountsEveryCrlfTest {

    private static final int LIMIT = 300;

    /** A field line of {@code length} bytes with its CRLF, e.g. "X: vvvv\r\n". */
    private static String fieldLine(int length) {
        return "X: " + "v".repeat(length - 5) + "\r\n";
    }

    private static String parse(String input) {
        ParserDriver driver = new ParserDriver(8192, LIMIT, 100, 1024);
        return driver.run(input.getBytes(StandardCharsets.ISO_8859_1), new int[0]);
    }

    @Test
    void aHeaderSectionOfExactlyTheLimitIsAcceptedAndOneByteMoreIsNot() {
        String host = "Host: x\r\n";
        String atLimit = "GET / HTTP/1.1\r\n" + host + fieldLine(LIMIT - host.length()) + "\r\n";
        assertTrue(parse(atLimit).endsWith("END\n"), parse(atLimit));
        String over = "GET / HTTP/1.1\r\n" + host + fieldLine(LIMIT - host.length() + 1) + "\r\n";
        assertEquals("ERROR 431\n", parse(over));
        String overByTheCrlfOnly = "GET / HTTP/1.1\r\n" + host + fieldLine(LIMIT - host.length() + 2) + "\r\n";
        assertEquals("ERROR 431\n", parse(overByTheCrlfOnly));
    }

    @Test
    void aTrailerSectionOfExactlyTheLimitIsAcceptedAndOneByteMoreIsNot() {
        String chunked = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n";
        String atLimit = chunked + fieldLine(LIMIT) + "\r\n";
        assertTrue(parse(atLimit).endsWith("END\n"), parse(atLimit));
        String over = chunked + fieldLine(LIMIT + 1) + "\r\n";
        assertTrue(parse(over).endsWith("ERROR 431\n"), parse(over));
    }
}
