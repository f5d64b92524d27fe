package dev.strand.demo;

import dev.strand.jdbc.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The demo's database: TechEmpower's {@code World} table of 10,000 rows, in an in-memory H2 made on
 * first use (a few hundred milliseconds, like Jackson's first load), shared by every request and
 * open for the life of the process. Thread-safe.
 */
final class World {

    /** Rows in the table; ids run from 1 to this. */
    static final int ROWS = 10_000;

    /** One row, as {@code /db} sends it. */
    record Row(int id, int randomNumber) {
    }

    /*
     * Opened by the first /db under a lock, not in a class-initialization holder as Jackson is: a
     * fiber that waits inside a static initializer pins its carrier, here the loop, and the pool's
     * creator fibers, started on that same loop, could then never run to make its connection.
     */
    private static final ReentrantLock OPENING = new ReentrantLock();
    private static volatile Database db;

    private World() {
    }

    /**
     * A row picked at random. On a fiber: in-memory H2 computes on the caller, briefly, and never
     * waits on I/O.
     *
     * @throws dev.strand.jdbc.DatabaseException when the query fails (say, its deadline passed)
     */
    static Row random() {
        int id = ThreadLocalRandom.current().nextInt(1, ROWS + 1);
        return database().queryOne("SELECT id, randomNumber FROM world WHERE id = ?", rs -> new Row(rs.getInt(1), rs.getInt(2)), id)
                .orElseThrow(() -> new IllegalStateException("world row " + id + " is missing"));
    }

    private static Database database() {
        Database opened = db;
        if (opened == null) {
            OPENING.lock();
            try {
                opened = db;
                if (opened == null) {
                    opened = open();
                    db = opened;
                }
            } finally {
                OPENING.unlock();
            }
        }
        return opened;
    }

    private static Database open() {
        Database db = Database.builder().name("world").url("jdbc:h2:mem:world;DB_CLOSE_DELAY=-1").user("sa")
                .poolSize(Math.max(4, 2 * Runtime.getRuntime().availableProcessors())).build();
        db.update("CREATE TABLE IF NOT EXISTS world (id INT PRIMARY KEY, randomNumber INT NOT NULL)");
        if (db.queryOne("SELECT COUNT(*) FROM world", rs -> rs.getInt(1)).orElseThrow() == 0) {
            List<Object[]> rows = new ArrayList<>(ROWS);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int id = 1; id <= ROWS; id++) {
                rows.add(new Object[] {id, random.nextInt(1, 10_001)});
            }
            db.inTransaction(tx -> tx.batch("INSERT INTO world (id, randomNumber) VALUES (?, ?)", rows));
        }
        return db;
    }
}
