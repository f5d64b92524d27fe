package dev.strand.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A keep-alive client sends much the same head each time: the parser gives back the previous
 * request's strings for bytes equal to them (no allocation), and new strings, never stale ones,
 * for bytes that differ.
 */
class RepeatedHeadsReuseTheirStringsTest {

    private static final String SAME = "GET /json?x=1 HTTP/1.1\r\nHost: a.example\r\nAccept: */*\r\n\r\n";

    @Test
    void equalBytesGiveTheSameStringsAndDifferentBytesNewOnes() {
        // The first head's strings are not kept (a connection that makes one request and idles holds none).
        String input = SAME + SAME + SAME
                + "GET /json?x=2 HTTP/1.1\r\nHost: b.example\r\nAccept: */*\r\n\r\n"
                + "GET /jsoo?x=2 HTTP/1.1\r\nAccept: */*\r\nHost: b.example\r\n\r\n";
        var driver = new ParserDriver();
        driver.run(input.getBytes(StandardCharsets.ISO_8859_1), new int[0]);
        assertEquals(5, driver.heads.size());
        driver.heads.removeFirst();
        RequestHead first = driver.heads.get(0);
        RequestHead second = driver.heads.get(1);
        assertSame(first.target(), second.target());
        assertSame(first.path(), second.path());
        assertSame(first.headers().first("Host").orElseThrow(), second.headers().first("Host").orElseThrow());

        RequestHead third = driver.heads.get(2);
        assertEquals("/json?x=2", third.target());
        assertEquals("/json", third.path());
        assertEquals(Optional.of("x=2"), third.rawQuery());
        assertEquals("b.example", third.headers().first("Host").orElseThrow());
        assertSame(first.headers().first("Accept").orElseThrow(), third.headers().first("Accept").orElseThrow());

        // The same values in other positions, and a target differing in one byte: read afresh, right.
        RequestHead fourth = driver.heads.get(3);
        assertEquals("/jsoo", fourth.path());
        assertEquals("b.example", fourth.headers().first("Host").orElseThrow());
        assertEquals("*/*", fourth.headers().first("Accept").orElseThrow());
    }
}
