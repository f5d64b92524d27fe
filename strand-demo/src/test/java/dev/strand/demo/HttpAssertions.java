package dev.strand.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the benchmark rules ask of every response, and the JSON rows the database endpoints send. */
final class HttpAssertions {

    private static final Pattern ROW = Pattern.compile("\\{\"id\":(\\d+),\"randomNumber\":(\\d+)}");

    private HttpAssertions() {
    }

    /** {@code Content-Type} is {@code expected}, alone or with parameters. */
    static void assertContentType(String expected, HttpResponse<?> res) {
        String type = res.headers().firstValue("Content-Type").orElseThrow(() -> new AssertionError("no Content-Type"));
        assertTrue(type.equals(expected) || type.startsWith(expected + ";"), "Content-Type: " + type);
    }

    /** {@code Server} is Strand's, {@code Date} is now (give or take 5 s). */
    static void assertServerAndDate(HttpResponse<?> res) {
        assertEquals("Strand", res.headers().firstValue("Server").orElseThrow(() -> new AssertionError("no Server header")));
        String date = res.headers().firstValue("Date").orElseThrow(() -> new AssertionError("no Date header"));
        ZonedDateTime parsed = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
        long skew = Math.abs(Duration.between(parsed, ZonedDateTime.now()).toSeconds());
        assertTrue(skew <= 5, "Date is current: " + date);
    }

    /** A 200 with the rules' headers and a {@code Content-Length} that is the body's length in bytes. */
    static void assertOk(String contentType, HttpResponse<String> res) {
        assertEquals(200, res.statusCode(), res.body());
        assertContentType(contentType, res);
        assertServerAndDate(res);
        assertEquals(res.body().getBytes(StandardCharsets.UTF_8).length,
                Integer.parseInt(res.headers().firstValue("Content-Length").orElseThrow(() -> new AssertionError("no Content-Length"))));
    }

    /** {@code body} as one row, {@code {"id":N,"randomNumber":M}} exactly, both in 1..10,000. */
    static World.Row row(String body) {
        Matcher m = ROW.matcher(body);
        assertTrue(m.matches(), "one row: " + body);
        return checked(m, body);
    }

    /** {@code body} as a JSON array of one or more such rows, exactly: {@code [{"id":N,"randomNumber":M},…]}. */
    static List<World.Row> rows(String body) {
        assertTrue(body.startsWith("[") && body.endsWith("]"), "an array: " + body);
        List<World.Row> rows = new ArrayList<>();
        Matcher m = ROW.matcher(body);
        int at = 1;
        while (true) {
            assertTrue(m.find(at) && m.start() == at, "a row at " + at + ": " + body);
            rows.add(checked(m, body));
            at = m.end();
            if (at == body.length() - 1) {
                return rows;
            }
            assertEquals(',', body.charAt(at), "rows apart by commas: " + body);
            at++;
        }
    }

    private static World.Row checked(Matcher m, String body) {
        var row = new World.Row(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        assertTrue(row.id() >= 1 && row.id() <= World.ROWS, "id in range: " + body);
        assertTrue(row.randomNumber() >= 1 && row.randomNumber() <= World.MAX_NUMBER, "number in range: " + body);
        return row;
    }
}
