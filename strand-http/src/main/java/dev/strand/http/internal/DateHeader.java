package dev.strand.http.internal;

import dev.strand.reactor.Clock;
import java.nio.charset.StandardCharsets;

/**
 * The {@code Date} header line, formatted once a second and shared by every connection.
 *
 * <p>Formats IMF-fixdate (RFC 9110 §5.6.7) by arithmetic: java.time's formatter would add tens of
 * milliseconds of class loading to the server's first response.
 */
final class DateHeader {

    private static final String[] DAYS = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private volatile byte[] line;
    private volatile long second = Long.MIN_VALUE;

    DateHeader() {
        refresh(Clock.system()); // until the server's reactor, and its clock, are known
    }

    /** Reformats when {@code clock}'s wall-clock second changed; cheap otherwise. Any thread. */
    void refresh(Clock clock) {
        long now = Math.floorDiv(clock.currentTimeMillis(), 1000);
        if (now != second) {
            line = ("Date: " + imfFixdate(now) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            second = now;
        }
    }

    /** {@code Date: <IMF-fixdate>\r\n}. */
    byte[] line() {
        return line;
    }

    /** E.g. {@code Sun, 06 Nov 1994 08:49:37 GMT} for an instant in epoch seconds. */
    static String imfFixdate(long epochSecond) {
        long days = Math.floorDiv(epochSecond, 86_400);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        int weekday = (int) Math.floorMod(days + 4, 7); // 1970-01-01 was a Thursday
        // Civil date from a day count (the proleptic Gregorian calendar, in 400-year eras).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153; // March is 0
        int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder s = new StringBuilder(29);
        s.append(DAYS[weekday]).append(", ");
        twoDigits(s, day).append(' ').append(MONTHS[month - 1]).append(' ').append(year).append(' ');
        twoDigits(s, secondOfDay / 3600).append(':');
        twoDigits(s, secondOfDay / 60 % 60).append(':');
        return twoDigits(s, secondOfDay % 60).append(" GMT").toString();
    }

    private static StringBuilder twoDigits(StringBuilder s, int value) {
        return s.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
