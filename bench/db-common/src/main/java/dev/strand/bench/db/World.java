package dev.strand.bench.db;

/**
 * One row of TechEmpower's {@code World} table, serialized by Jackson as
 * {@code {"id":N,"randomNumber":M}}.
 *
 * @param id           1 to {@value Rules#ROWS}
 * @param randomNumber 1 to {@value Rules#ROWS}
 */
public record World(int id, int randomNumber) {
}
