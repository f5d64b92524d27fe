package dev.strand.demo;

import static dev.strand.demo.HttpAssertions.assertOk;
import static dev.strand.demo.HttpAssertions.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /updates?queries=N} gives N distinct rows a new number each, stores exactly those, and
 * sends them as stored; N is clamped as {@code /queries} clamps it.
 */
class UpdatesWriteNewNumbersTest extends OnEveryBackend {

    @Test
    void theRowsSentAreTheRowsChanged() throws Exception {
        Map<Integer, Integer> before = demo.world();
        var res = demo.get("/updates?queries=20");
        assertOk("application/json", res);
        List<World.Row> rows = rows(res.body());
        Map<Integer, Integer> after = demo.world();

        assertEquals(20, rows.size(), res.body());
        Map<Integer, Integer> sent = rows.stream().collect(Collectors.toMap(World.Row::id, World.Row::randomNumber));
        assertEquals(20, sent.size(), "distinct ids: " + res.body());
        Map<Integer, Integer> expected = new HashMap<>(before);
        expected.putAll(sent);
        assertEquals(expected, after, "the rows sent are stored, and no others changed");
        for (World.Row row : rows) {
            assertNotEquals(before.get(row.id()), row.randomNumber(), "row " + row.id() + " got a new number");
        }
    }

    @Test
    void everyUpdateChangesItsRows() throws Exception {
        // One row at a time, a hundred times: each gets a number other than the one it had, so no
        // update is lost to chance drawing the same number again.
        Map<Integer, Integer> table = demo.world();
        for (int i = 0; i < 100; i++) {
            World.Row row = rows(demo.get("/updates?queries=1").body()).getFirst();
            assertNotEquals(table.get(row.id()), row.randomNumber(), "row " + row.id() + " got a new number");
            table.put(row.id(), row.randomNumber());
        }
        assertEquals(table, demo.world());
    }

    @ParameterizedTest(name = "{0} updates {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /updates                     | 1
            /updates?queries=            | 1
            /updates?queries=abc         | 1
            /updates?queries=0           | 1
            /updates?queries=-5          | 1
            /updates?queries=20          | 20
            /updates?queries=501         | 500
            """)
    void countIsClamped(String target, int expected) throws Exception {
        Map<Integer, Integer> before = demo.world();
        var res = demo.get(target);
        assertOk("application/json", res);
        List<World.Row> rows = rows(res.body());
        assertEquals(expected, rows.size(), res.body());
        Set<Integer> changed = demo.world().entrySet().stream()
                .filter(e -> !e.getValue().equals(before.get(e.getKey())))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertEquals(rows.stream().map(World.Row::id).collect(Collectors.toSet()), changed);
    }
}
