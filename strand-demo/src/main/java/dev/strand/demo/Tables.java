package dev.strand.demo;

import dev.strand.jdbc.Database;
import dev.strand.jdbc.DatabaseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Creates and fills TechEmpower's {@code World} and {@code Fortune} tables, with the names, columns
 * and rows TechEmpower's own scripts ({@code create-postgres.sql}, {@code create.sql}) give them, so
 * that the demo serves either. Not thread-safe against itself: run one seeding at a time. Called on
 * a platform thread (the command line, a server's start), never on a loop.
 */
final class Tables {

    /** The twelve rows of TechEmpower's {@code Fortune} table. */
    static final List<Fortune> FORTUNES = List.of(
            new Fortune(1, "fortune: No such file or directory"),
            new Fortune(2, "A computer scientist is someone who fixes things that aren't broken."),
            new Fortune(3, "After enough decimal places, nobody gives a damn."),
            new Fortune(4, "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1"),
            new Fortune(5, "A computer program does what you tell it to do, not what you want it to do."),
            new Fortune(6, "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen"),
            new Fortune(7, "Any program that runs right is obsolete."),
            new Fortune(8, "A list is only as strong as its weakest link. — Donald Knuth"),
            new Fortune(9, "Feature: A bug with seniority."),
            new Fortune(10, "Computers make very fast, very accurate mistakes."),
            new Fortune(11, "<script>alert(\"This should not be displayed in a browser alert box.\");</script>"),
            new Fortune(12, "フレームワークのベンチマーク"));

    private Tables() {
    }

    /**
     * Makes both tables as TechEmpower's: a table that is already right (World: ids 1 to 10,000,
     * whatever its numbers, which {@code /updates} changes; Fortune: exactly the twelve rows) is left
     * as it is, one missing or different is dropped and made anew. Running it again changes nothing.
     *
     * @param url the database's JDBC URL, for the dialect of its {@code CREATE TABLE}
     * @return a line per table saying what was found and done
     * @throws DatabaseException            when a statement fails for another reason than a missing
     *                                      or differently shaped table (say, no permission)
     * @throws dev.strand.pool.PoolException when no connection could be had
     */
    static List<String> seed(Database db, String url) {
        List<String> done = new ArrayList<>(2);
        Optional<String> world = worldProblem(db);
        if (world.isPresent()) {
            createWorld(db, url);
            done.add("world: " + world.get() + "; created with " + World.ROWS + " rows");
        } else {
            done.add("world: already seeded, left as it is");
        }
        Optional<String> fortune = fortuneProblem(db);
        if (fortune.isPresent()) {
            createFortune(db, url);
            done.add("fortune: " + fortune.get() + "; created with " + FORTUNES.size() + " rows");
        } else {
            done.add("fortune: already seeded, left as it is");
        }
        return done;
    }

    /**
     * What keeps the demo from serving from {@code db}, if anything: a table missing or not as
     * TechEmpower's. Read-only.
     *
     * @throws DatabaseException            as {@link #seed}
     * @throws dev.strand.pool.PoolException when no connection could be had
     */
    static Optional<String> problem(Database db) {
        Optional<String> world = worldProblem(db).map(p -> "world: " + p);
        return world.isPresent() ? world : fortuneProblem(db).map(p -> "fortune: " + p);
    }

    private static Optional<String> worldProblem(Database db) {
        try {
            // Ids 1 to 10,000 with a primary key (both TechEmpower's scripts and ours declare one)
            // are the 10,000 rows; the numbers are the benchmark's to change. MIN(randomNumber)
            // is there to fail on a table without that column.
            int[] shape = db.queryOne("SELECT COUNT(*), MIN(id), MAX(id), MIN(randomNumber) FROM world",
                    rs -> new int[] {rs.getInt(1), rs.getInt(2), rs.getInt(3)}).orElseThrow();
            return shape[0] == World.ROWS && shape[1] == 1 && shape[2] == World.ROWS
                    ? Optional.empty()
                    : Optional.of("found " + shape[0] + " rows with ids " + shape[1] + " to " + shape[2]
                            + ", not " + World.ROWS + " with ids 1 to " + World.ROWS);
        } catch (DatabaseException e) {
            return missing(e);
        }
    }

    private static Optional<String> fortuneProblem(Database db) {
        try {
            List<Fortune> rows = db.query("SELECT id, message FROM fortune", rs -> new Fortune(rs.getInt(1), rs.getString(2)));
            return rows.size() == FORTUNES.size() && new HashSet<>(rows).containsAll(FORTUNES)
                    ? Optional.empty()
                    : Optional.of("found " + rows.size() + " rows that are not TechEmpower's " + FORTUNES.size() + " fortunes");
        } catch (DatabaseException e) {
            return missing(e);
        }
    }

    /**
     * A table that is not there, or lacks a column, fails its query with an SQLSTATE of class 42
     * (PostgreSQL 42P01 and 42703, MariaDB and H2 42S02 and 42S22): then it is to be made. Any other
     * failure is not the seeder's to paper over.
     */
    private static Optional<String> missing(DatabaseException e) {
        Optional<String> state = e.sqlState().filter(s -> s.startsWith("42"));
        if (state.isEmpty()) {
            throw e;
        }
        return Optional.of("missing or of another shape (SQL state " + state.get() + ")");
    }

    private static void createWorld(Database db, String url) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Object[]> rows = new ArrayList<>(World.ROWS);
        for (int id = 1; id <= World.ROWS; id++) {
            rows.add(new Object[] {id, random.nextInt(1, World.MAX_NUMBER + 1)});
        }
        db.update("DROP TABLE IF EXISTS world");
        db.update("CREATE TABLE world (id INTEGER NOT NULL, randomNumber INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (id))"
                + tableOptions(url));
        db.inTransaction(tx -> tx.batch("INSERT INTO world (id, randomNumber) VALUES (?, ?)", rows));
    }

    private static void createFortune(Database db, String url) {
        List<Object[]> rows = FORTUNES.stream().map(f -> new Object[] {f.id(), f.message()}).toList();
        db.update("DROP TABLE IF EXISTS fortune");
        db.update("CREATE TABLE fortune (id INTEGER NOT NULL, message VARCHAR(2048) NOT NULL, PRIMARY KEY (id))"
                + tableOptions(url));
        db.inTransaction(tx -> tx.batch("INSERT INTO fortune (id, message) VALUES (?, ?)", rows));
    }

    /**
     * MariaDB's (and MySQL's) tables take the database's character set, which may not hold the
     * Japanese fortune; TechEmpower's create.sql sets one too. The others store Unicode as it is.
     */
    private static String tableOptions(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        return u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:") ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" : "";
    }
}
