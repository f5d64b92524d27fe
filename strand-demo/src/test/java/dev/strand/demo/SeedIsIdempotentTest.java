package dev.strand.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The seed command leaves tables that are already TechEmpower's as they are, numbers included, and
 * makes anew one that is missing or differs, saying what it found.
 */
class SeedIsIdempotentTest extends OnEveryBackend {

    @Test
    void seedingAgainChangesNothing() throws Exception {
        demo.get("/updates?queries=50"); // numbers of its own, which a re-seed would lose
        var before = demo.world();
        String printed = demo.backend.seed();
        assertTrue(printed.contains("world: already seeded, left as it is"), printed);
        assertTrue(printed.contains("fortune: already seeded, left as it is"), printed);
        assertEquals(before, demo.world());
    }

    @Test
    void aDamagedTableIsMadeAnew() throws Exception {
        demo.db.update("DELETE FROM world WHERE id = ?", World.ROWS);
        demo.db.update("UPDATE fortune SET message = ? WHERE id = ?", "changed", 12);
        assertEquals(Optional.of("world: found 9999 rows with ids 1 to 9999, not 10000 with ids 1 to 10000"),
                Tables.problem(demo.db));

        String printed = demo.backend.seed();
        assertTrue(printed.contains("world: found 9999 rows"), printed);
        assertTrue(printed.contains("fortune: found 12 rows that are not TechEmpower's 12 fortunes"), printed);
        assertEquals(Optional.empty(), Tables.problem(demo.db));
        assertEquals(World.ROWS, demo.world().size());
        assertTrue(demo.get("/fortunes").body().contains("フレームワークのベンチマーク"));
    }
}
