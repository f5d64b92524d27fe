package dev.strand.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Content-Length digits are written straight into the head buffer: every length reads back as itself. */
class ByteSinkWritesDecimalsTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 9, 10, 11, 99, 100, 101, 4096, 12_345, 999_999, 1_000_000, Integer.MAX_VALUE, Long.MAX_VALUE, -1, -42})
    void aDecimalReadsBackAsItself(long value) {
        ByteSink sink = new ByteSink(1); // too small on purpose: the digits must grow it
        sink.put("x=").putDecimal(value).crlf();
        var buffer = sink.toBuffer();
        String text = new String(buffer.array(), buffer.position(), buffer.remaining(), StandardCharsets.ISO_8859_1);
        assertEquals("x=" + value + "\r\n", text);
    }
}
