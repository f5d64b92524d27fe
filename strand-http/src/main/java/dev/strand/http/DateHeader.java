package dev.strand.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The {@code Date} header line, formatted once a second and shared by every connection. */
final class DateHeader {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private volatile byte[] line;
    private volatile long second = Long.MIN_VALUE;

    DateHeader() {
        refresh();
    }

    /** Reformats when the wall-clock second changed; cheap otherwise. Any thread. */
    void refresh() {
        long now = System.currentTimeMillis() / 1000;
        if (now != second) {
            String date = IMF_FIXDATE.format(Instant.ofEpochSecond(now));
            // RFC 1123 formatting drops the leading zero of the day; IMF-fixdate needs two digits.
            if (date.charAt(6) == ' ') {
                date = date.substring(0, 5) + "0" + date.substring(5);
            }
            line = ("Date: " + date + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            second = now;
        }
    }

    /** {@code Date: <IMF-fixdate>\r\n}. */
    byte[] line() {
        return line;
    }
}
