package dev.strand.bench.db;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TechEmpower's rules for the database endpoints, in one place for every database peer: how many
 * queries a request asks for, which rows it reads, what its updates write, and the fortunes page's
 * rows. Stateless and thread-safe.
 */
public final class Rules {

    /** Rows in {@code World}; ids and random numbers both run from 1 to this. */
    public static final int ROWS = 10_000;
    /** The most queries one {@code /queries} or {@code /updates} request runs. */
    public static final int MAX_QUERIES = 500;
    /** The fortune every page adds to the table's, with id 0. */
    public static final String ADDED_FORTUNE = "Additional fortune added at request time.";
    /** {@code /fortunes}' media type. */
    public static final String HTML_UTF8 = "text/html; charset=utf-8";

    private static final Comparator<Fortune> BY_MESSAGE = Comparator.comparing(Fortune::message);

    private Rules() {
    }

    /**
     * The number of queries {@code ?queries=value} asks for: 1 when the value is missing, empty or
     * not an integer, else the integer clamped to 1..{@value #MAX_QUERIES}.
     *
     * @param value the parameter's value, or null when the request has none
     */
    public static int queries(String value) {
        if (value == null || value.isEmpty()) {
            return 1;
        }
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            // An integer too large for an int is still an integer: clamped, not "invalid".
            return value.matches("\\+?\\d+") ? MAX_QUERIES : 1;
        }
        return Math.clamp(n, 1, MAX_QUERIES);
    }

    /** A row id picked at random, 1 to {@value #ROWS}. */
    public static int randomId() {
        return ThreadLocalRandom.current().nextInt(1, ROWS + 1);
    }

    /**
     * The number an update writes over {@code old}: random in 1..{@value #ROWS} and never
     * {@code old} itself, so that every updated row changes.
     */
    public static int newRandomNumber(int old) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int n = random.nextInt(1, ROWS);
        return n >= old ? n + 1 : n; // 1..ROWS without old
    }

    /**
     * The rows of the fortunes page: those read from the table, plus {@link #ADDED_FORTUNE} with id
     * 0, sorted by message (the rules forbid {@code ORDER BY}: the application sorts).
     */
    public static List<Fortune> page(List<Fortune> fromTable) {
        List<Fortune> rows = new ArrayList<>(fromTable.size() + 1);
        rows.addAll(fromTable);
        rows.add(new Fortune(0, ADDED_FORTUNE));
        rows.sort(BY_MESSAGE);
        return rows;
    }
}
