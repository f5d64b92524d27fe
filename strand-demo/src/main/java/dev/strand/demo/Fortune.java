package dev.strand.demo;

import java.util.Objects;

/**
 * One row of TechEmpower's {@code Fortune} table. Immutable.
 *
 * @param id      the row's id
 * @param message the text, unescaped
 */
record Fortune(int id, String message) {

    /** @throws NullPointerException when {@code message} is null */
    Fortune {
        Objects.requireNonNull(message, "message");
    }
}
