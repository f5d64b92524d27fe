package dev.strand.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DateHeaderIsImfFixdateTest {

    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Test
    void matchesJavaTimeOnKnownAndRandomInstants() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", DateHeader.imfFixdate(784111777L)); // RFC 9110's example
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", DateHeader.imfFixdate(0));
        assertEquals("Tue, 29 Feb 2000 23:59:59 GMT", DateHeader.imfFixdate(951868799L));
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long second = random.nextLong(0, 253_402_300_799L); // up to the year 9999
            assertEquals(REFERENCE.format(Instant.ofEpochSecond(second)), DateHeader.imfFixdate(second),
                    "epoch second " + second);
        }
    }

    @Test
    void theHeaderLineIsCurrent() {
        String line = new String(new DateHeader().line(), StandardCharsets.ISO_8859_1);
        assertTrue(line.startsWith("Date: ") && line.endsWith(" GMT\r\n"), line);
        String now = REFERENCE.format(Instant.now());
        String lineDate = line.substring(6, line.length() - 2);
        // Allow for the second turning between the two readings.
        assertTrue(lineDate.substring(0, 16).equals(now.substring(0, 16)), lineDate + " vs " + now);
    }
}
