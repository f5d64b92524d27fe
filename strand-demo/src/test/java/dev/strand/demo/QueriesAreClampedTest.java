package dev.strand.demo;

import static dev.strand.demo.HttpAssertions.assertOk;
import static dev.strand.demo.HttpAssertions.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /queries?queries=N} sends N World rows as they are in the table, N clamped to 1..500, a
 * missing or invalid N counting as 1, never a server error.
 */
class QueriesAreClampedTest extends OnEveryBackend {

    @ParameterizedTest(name = "{0} gives {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            /queries                     | 1
            /queries?queries=            | 1
            /queries?queries=abc         | 1
            /queries?queries=0           | 1
            /queries?queries=-5          | 1
            /queries?queries=1.5         | 1
            /queries?queries=1           | 1
            /queries?queries=20          | 20
            /queries?queries=%2B7        | 7
            /queries?queries=500         | 500
            /queries?queries=501         | 500
            /queries?queries=99999999999 | 500
            /queries?other=3&queries=12  | 12
            """)
    void countIsClamped(String target, int expected) throws Exception {
        var res = demo.get(target);
        assertOk("application/json", res);
        assertEquals(expected, rows(res.body()).size(), res.body());
    }

    @Test
    void rowsAreTheTablesOwn() throws Exception {
        var res = demo.get("/queries?queries=20");
        assertOk("application/json", res);
        List<World.Row> rows = rows(res.body());
        Map<Integer, Integer> table = demo.world();
        for (World.Row row : rows) {
            assertEquals(table.get(row.id()), row.randomNumber(), "row " + row.id() + " as stored");
        }
    }

    @Test
    void aMalformedQueryStringIsRefusedNotFailed() throws Exception {
        // Not a URI the JDK's client would send: written on a socket of its own. The server's
        // parser refuses the target before the handler runs, with a 400 rather than a 500.
        try (var socket = new Socket("127.0.0.1", demo.server.port())) {
            socket.getOutputStream().write("GET /queries?queries=%zz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        }
    }
}
