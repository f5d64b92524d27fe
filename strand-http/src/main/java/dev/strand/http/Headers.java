package dev.strand.http;

import dev.strand.http.internal.ApiAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Header fields in the order received; names compare case-insensitively (ASCII).
 *
 * <p>Immutable once handed to a handler, so safe to share between threads.
 */
public final class Headers {

    private static final Headers EMPTY = new Headers(new String[0], 0);

    static {
        // The internals' way in to the package-private constructor (and to RequestContext's and
        // RouteOptions'): installed here, the class they initialize when it is not yet (ApiAccess.get).
        ApiAccess.install(new ApiAccessImpl());
    }

    /** Alternating name, value. */
    private final String[] fields;
    private final int size;

    /** Takes {@code fields} as it is; for the parser (through {@link ApiAccessImpl}), which hands over a copy of its own. */
    Headers(String[] fields, int size) {
        this.fields = fields;
        this.size = size;
    }

    /** No fields. */
    public static Headers empty() {
        return EMPTY;
    }

    /** Fields from alternating names and values, e.g. {@code of("Host", "a", "Accept", "*\/*")}. */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate");
        }
        return new Headers(namesAndValues.clone(), namesAndValues.length / 2);
    }

    /** The number of fields (a repeated name counts each time). */
    public int size() {
        return size;
    }

    /** The name of field {@code i}, as received. */
    public String name(int i) {
        return fields[2 * checkIndex(i)];
    }

    /** The value of field {@code i}, without surrounding whitespace. */
    public String value(int i) {
        return fields[2 * checkIndex(i) + 1];
    }

    /** The first value of {@code name}. */
    public Optional<String> first(String name) {
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                return Optional.of(fields[2 * i + 1]);
            }
        }
        return Optional.empty();
    }

    /** Every value of {@code name}, in order. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                values.add(fields[2 * i + 1]);
            }
        }
        return values;
    }

    /** Whether {@code name} is present. */
    public boolean contains(String name) {
        return first(name).isPresent();
    }

    private int checkIndex(int i) {
        return java.util.Objects.checkIndex(i, size);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < size; i++) {
            text.append(fields[2 * i]).append(": ").append(fields[2 * i + 1]).append('\n');
        }
        return text.toString();
    }
}
