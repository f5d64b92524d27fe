package dev.strand.http.internal;

import dev.strand.http.Headers;
import java.util.Arrays;

/** Collects fields while a head is parsed. Not thread-safe: the parser's, on its loop. */
final class HeadersBuilder {

    /** Kept here, so that building makes the {@link Headers} with a direct call. */
    private static final ApiAccess API = ApiAccess.get();

    private String[] fields = new String[32];
    private int size;

    void add(String name, String value) {
        if (2 * size + 2 > fields.length) {
            fields = Arrays.copyOf(fields, fields.length * 2);
        }
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
    }

    int size() {
        return size;
    }

    /** The characters of the names and values collected so far. */
    int chars() {
        int chars = 0;
        for (int i = 0; i < 2 * size; i++) {
            chars += fields[i].length();
        }
        return chars;
    }

    Headers build() {
        return size == 0 ? Headers.empty() : API.headers(Arrays.copyOf(fields, 2 * size), size);
    }

    void clear() {
        Arrays.fill(fields, 0, 2 * size, null);
        size = 0;
    }
}
