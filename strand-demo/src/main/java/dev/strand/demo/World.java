package dev.strand.demo;

import dev.strand.jdbc.Database;
import dev.strand.jdbc.SqlOperations;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TechEmpower's {@code World} table: {@value #ROWS} rows of {@code id} (1 to {@value #ROWS}) and
 * {@code randomNumber} (1 to {@value #MAX_NUMBER}), read and written through {@code db}, one
 * statement per row read and never cached. Thread-safe: one instance serves every request.
 *
 * <p>Every method is called from request fibers, in plain blocking style: the database layer parks
 * the fiber while it waits. Each throws {@link dev.strand.jdbc.DatabaseException} or
 * {@link dev.strand.pool.PoolException} when the database fails or the deadline in force passes,
 * and {@link IllegalStateException} when a row the table should have is missing.
 */
final class World {

    /** Rows in the table; ids run from 1 to this. */
    static final int ROWS = 10_000;
    /** The largest {@code randomNumber}; the smallest is 1. */
    static final int MAX_NUMBER = 10_000;

    /*
     * Table and column names unquoted and the table's in lower case, as TechEmpower's scripts
     * create them: PostgreSQL folds World to world and randomNumber to randomnumber, H2 folds to
     * upper case, and MariaDB keeps table names as written (case-sensitive on Linux), where
     * TechEmpower's create.sql names it world.
     */
    private static final String SELECT = "SELECT id, randomNumber FROM world WHERE id = ?";
    private static final String UPDATE = "UPDATE world SET randomNumber = ? WHERE id = ?";

    /** One row, as the endpoints send it. */
    record Row(int id, int randomNumber) {
    }

    private final Database db;

    World(Database db) {
        this.db = db;
    }

    /** A row picked at random. */
    Row random() {
        return read(randomId());
    }

    /**
     * {@code count} rows picked at random, each by a query of its own; an id may come twice. The
     * queries share one connection (a session): one wait for the pool, not one per row.
     */
    List<Row> random(int count) {
        return db.session(s -> {
            List<Row> rows = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                rows.add(read(s, randomId()));
            }
            return rows;
        });
    }

    /**
     * Reads {@code count} distinct rows picked at random, each by a query of its own, gives each a
     * new {@code randomNumber} (never the one it had), writes them back in one batch and returns
     * them as written, by ascending id.
     *
     * <p>The reads and the batch share one connection (a session). The batch runs in auto-commit mode, which PostgreSQL treats as one implicit transaction
     * that holds each row's lock until the batch ends. The rows go in ascending id order, so two
     * concurrent batches take the locks of the rows they share in the same order: neither can hold
     * one the other waits for while waiting for one the other holds, so they cannot deadlock.
     * Distinct ids keep a response true to what was stored (two updates of one row would leave
     * only the second).
     */
    List<Row> update(int count) {
        int[] ids = ThreadLocalRandom.current().ints(1, ROWS + 1).distinct().limit(count).sorted().toArray();
        return db.session(s -> {
            List<Row> rows = new ArrayList<>(count);
            List<Object[]> writes = new ArrayList<>(count);
            for (int id : ids) {
                Row row = new Row(id, otherNumber(read(s, id).randomNumber()));
                rows.add(row);
                writes.add(new Object[] {row.randomNumber(), row.id()});
            }
            s.batch(UPDATE, writes);
            return rows;
        });
    }

    private Row read(int id) {
        return read(db, id);
    }

    private static Row read(SqlOperations sql, int id) {
        return sql.queryOne(SELECT, rs -> new Row(rs.getInt(1), rs.getInt(2)), id)
                .orElseThrow(() -> new IllegalStateException("world row " + id + " is missing"));
    }

    private static int randomId() {
        return ThreadLocalRandom.current().nextInt(1, ROWS + 1);
    }

    /** A random number from 1 to {@link #MAX_NUMBER} other than {@code old}, so that an update always changes the row. */
    static int otherNumber(int old) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (old < 1 || old > MAX_NUMBER) {
            return random.nextInt(1, MAX_NUMBER + 1);
        }
        // One of the MAX_NUMBER - 1 others, uniformly: skip over old.
        int number = random.nextInt(1, MAX_NUMBER);
        return number >= old ? number + 1 : number;
    }
}
