package dev.strand.demo;

import static dev.strand.demo.HttpAssertions.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Many {@code /updates} at once, each writing 200 of the 10,000 rows, so that any two share about
 * four: none fails, as a deadlock between their batches would make one fail (PostgreSQL and MariaDB
 * abort one of the two, H2 times one out), and every row ends with a number one of them sent.
 */
class ConcurrentUpdatesDoNotDeadlockTest extends OnEveryBackend {

    private static final int REQUESTS = 64;
    private static final int ROWS_EACH = 200;

    @Test
    void sixtyFourConcurrentUpdatesAllSucceed() {
        Map<Integer, Integer> before = demo.world();
        List<CompletableFuture<HttpResponse<String>>> replies = IntStream.range(0, REQUESTS)
                .mapToObj(i -> demo.getAsync("/updates?queries=" + ROWS_EACH))
                .toList();
        Map<Integer, List<Integer>> sentById = new HashMap<>();
        for (var reply : replies) {
            HttpResponse<String> res = reply.join();
            assertEquals(200, res.statusCode(), res.body());
            List<World.Row> rows = rows(res.body());
            assertEquals(ROWS_EACH, rows.size());
            rows.forEach(row -> sentById.computeIfAbsent(row.id(), id -> new ArrayList<>()).add(row.randomNumber()));
        }
        Map<Integer, Integer> after = demo.world();
        after.forEach((id, number) -> {
            List<Integer> sent = sentById.get(id);
            if (sent == null) {
                assertEquals(before.get(id), number, "row " + id + " untouched");
            } else {
                assertTrue(sent.contains(number), "row " + id + " holds " + number + ", one of " + sent);
            }
        });
    }
}
