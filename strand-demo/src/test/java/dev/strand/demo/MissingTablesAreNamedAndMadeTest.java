package dev.strand.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.jdbc.Database;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An empty database: the check the server runs at start names the missing table, so the server
 * refuses to start and says to seed, and seeding makes both. On H2s of their own, so as not to pull
 * the tables from under the other tests.
 */
class MissingTablesAreNamedAndMadeTest {

    @Test
    void missingTablesAreNamedThenMade() {
        var settings = new DatabaseSettings("jdbc:h2:mem:empty-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                Optional.empty(), Optional.empty(), 1);
        try (Database empty = settings.open()) {
            String problem = Tables.problem(empty).orElseThrow();
            assertTrue(problem.startsWith("world: missing or of another shape"), problem);
            Tables.seed(empty, settings.url());
            assertEquals(Optional.empty(), Tables.problem(empty));
        }
    }

    @Test
    void aServerWithoutTheTablesDoesNotStart(@TempDir Path dir) {
        // An H2 on files stands in for a database server: only in-memory ones are seeded at start.
        var err = new ByteArrayOutputStream();
        int status = DemoMain.run(new String[] {"--port", "0", "--db", "jdbc:h2:" + dir.resolve("empty")},
                new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, status, printed);
        assertTrue(printed.contains("does not hold TechEmpower's tables (world: missing") && printed.contains("strand-demo seed"),
                printed);
    }
}
