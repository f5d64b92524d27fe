package dev.strand.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.jdbc.Database;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An empty database: the check the server runs at start names the missing table, and seeding
 * makes both. On an H2 of its own, so as not to pull the tables from under the other tests.
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
}
