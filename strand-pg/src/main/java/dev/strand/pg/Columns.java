package dev.strand.pg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The columns of a statement's result, as its RowDescription gives them: names and type OIDs.
 * Immutable, so a row mapper on any thread may read the same instance.
 */
record Columns(String[] names, int[] types) {

    /** A statement that returns no rows (NoData). */
    static final Columns NONE = new Columns(new String[0], new int[0]);

    static final int BOOL = 16;
    static final int BYTEA = 17;
    static final int INT8 = 20;
    static final int INT2 = 21;
    static final int INT4 = 23;
    static final int FLOAT4 = 700;
    static final int FLOAT8 = 701;
    static final int DATE = 1082;
    static final int TIME = 1083;
    static final int TIMESTAMP = 1114;
    static final int TIMESTAMPTZ = 1184;
    static final int NUMERIC = 1700;
    static final int UUID = 2950;

    /** Reads a RowDescription body from {@code in}, positioned after the length word. */
    static Columns read(ByteBuffer in) {
        int count = Short.toUnsignedInt(in.getShort());
        String[] names = new String[count];
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            names[i] = cstring(in);
            in.getInt(); // table OID
            in.getShort(); // attribute number
            types[i] = in.getInt();
            in.getShort(); // type size
            in.getInt(); // type modifier
            in.getShort(); // format
        }
        return new Columns(names, types);
    }

    int count() {
        return names.length;
    }

    /** The 1-based position of the column labelled {@code label}, ignoring case as JDBC does; -1 when none is. */
    int find(String label) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(label)) {
                return i + 1;
            }
        }
        String lower = label.toLowerCase(Locale.ROOT);
        for (int i = 0; i < names.length; i++) {
            if (names[i].toLowerCase(Locale.ROOT).equals(lower)) {
                return i + 1;
            }
        }
        return -1;
    }

    static String cstring(ByteBuffer in) {
        int start = in.position();
        int end = start;
        while (in.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        in.get(bytes);
        in.get(); // the NUL
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
