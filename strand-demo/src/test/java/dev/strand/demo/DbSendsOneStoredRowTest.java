package dev.strand.demo;

import static dev.strand.demo.HttpAssertions.assertOk;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.RepeatedTest;

/** {@code /db} sends one World row, {@code {"id":N,"randomNumber":M}}, as the table holds it. */
class DbSendsOneStoredRowTest extends OnEveryBackend {

    @RepeatedTest(3)
    void oneRowAsStored() throws Exception {
        var res = demo.get("/db");
        assertOk("application/json", res);
        World.Row row = HttpAssertions.row(res.body());
        assertEquals(demo.world().get(row.id()), row.randomNumber(), "row " + row.id() + " as stored");
    }
}
