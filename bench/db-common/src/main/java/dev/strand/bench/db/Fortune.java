package dev.strand.bench.db;

import java.util.Objects;

/**
 * One row of TechEmpower's {@code Fortune} table. Public so that the template's generated class can
 * read it.
 *
 * @param id      the row's id; 0 for the fortune added at request time
 * @param message the text, unescaped: the template escapes it
 */
public record Fortune(int id, String message) {

    /** @throws NullPointerException when {@code message} is null */
    public Fortune {
        Objects.requireNonNull(message, "message");
    }
}
