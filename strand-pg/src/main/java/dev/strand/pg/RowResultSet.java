package dev.strand.pg;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * One row of a result at a time, as the {@link dev.strand.jdbc.RowMapper} of a {@link PgClient}
 * call sees it: the {@link ResultSet} getters a mapper uses, over the row's text-format values.
 *
 * <p>Supported: {@code getString}, {@code getInt}, {@code getLong}, {@code getShort},
 * {@code getByte}, {@code getBoolean}, {@code getDouble}, {@code getFloat}, {@code getBigDecimal},
 * {@code getBytes}, {@code getObject} (by the column's type: {@code Integer}, {@code Long},
 * {@code Boolean}, {@code Double}, {@code Float}, {@code BigDecimal}, {@code byte[]}, {@code UUID},
 * and {@code java.time} values for dates and timestamps, else {@code String}) and
 * {@code getObject(column, type)} for those types, {@code Instant} and {@code LocalTime}; each by
 * position or by label; {@code wasNull}, {@code findColumn}, {@code getRow}. Moving the cursor and
 * everything else throws {@link java.sql.SQLFeatureNotSupportedException}.
 *
 * <p>Not thread-safe: it is positioned on each row in turn on the thread that maps the rows.
 */
final class RowResultSet extends UnsupportedResultSet {

    private final Columns columns;
    private final int[] offsets;
    private final int[] lengths;
    private byte[] row;
    private int number;
    private boolean wasNull;

    RowResultSet(Columns columns) {
        this.columns = columns;
        this.offsets = new int[columns.count()];
        this.lengths = new int[columns.count()];
    }

    /** Puts the result set on {@code row}, a DataRow's body, the {@code number}th (from 1). */
    void position(byte[] row, int number) throws SQLException {
        int count = ((row[0] & 0xff) << 8) | (row[1] & 0xff);
        if (count != offsets.length) {
            throw new SQLException("a row has " + count + " columns where its statement described " + offsets.length);
        }
        int at = 2;
        for (int i = 0; i < count; i++) {
            int length = ((row[at] & 0xff) << 24) | ((row[at + 1] & 0xff) << 16) | ((row[at + 2] & 0xff) << 8) | (row[at + 3] & 0xff);
            at += 4;
            offsets[i] = at;
            lengths[i] = length;
            if (length > 0) {
                at += length;
            }
        }
        this.row = row;
        this.number = number;
    }

    /** Index 0-based, after checking; marks {@link #wasNull}. Returns -1 for SQL NULL. */
    private int value(int column) throws SQLException {
        if (column < 1 || column > offsets.length) {
            throw new SQLException("no column " + column + ": the result has " + offsets.length, "22023");
        }
        int i = column - 1;
        wasNull = lengths[i] < 0;
        return wasNull ? -1 : i;
    }

    private String text(int i) {
        return new String(row, offsets[i], lengths[i], StandardCharsets.UTF_8);
    }

    private SQLException notA(int i, String what) {
        return new SQLException("column " + columns.names()[i] + " holds '" + shorten(text(i)) + "', which is not " + what, "22018");
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    @Override
    public int findColumn(String label) throws SQLException {
        int column = columns.find(label);
        if (column < 0) {
            throw new SQLException("no column labelled " + label + " in the result; it has " + String.join(", ", columns.names()), "42703");
        }
        return column;
    }

    @Override
    public boolean wasNull() {
        return wasNull;
    }

    @Override
    public int getRow() {
        return number;
    }

    @Override
    public String getString(int column) throws SQLException {
        int i = value(column);
        return i < 0 ? null : text(i);
    }

    @Override
    public long getLong(int column) throws SQLException {
        int i = value(column);
        return i < 0 ? 0 : parseLong(i, Long.MIN_VALUE, Long.MAX_VALUE, "a long");
    }

    @Override
    public int getInt(int column) throws SQLException {
        int i = value(column);
        return i < 0 ? 0 : (int) parseLong(i, Integer.MIN_VALUE, Integer.MAX_VALUE, "an int");
    }

    @Override
    public short getShort(int column) throws SQLException {
        int i = value(column);
        return i < 0 ? 0 : (short) parseLong(i, Short.MIN_VALUE, Short.MAX_VALUE, "a short");
    }

    @Override
    public byte getByte(int column) throws SQLException {
        int i = value(column);
        return i < 0 ? 0 : (byte) parseLong(i, Byte.MIN_VALUE, Byte.MAX_VALUE, "a byte");
    }

    /** Integers straight from the row's ASCII digits: no string on the common path. */
    private long parseLong(int i, long min, long max, String what) throws SQLException {
        int at = offsets[i];
        int end = at + lengths[i];
        boolean negative = at < end && row[at] == '-';
        if (negative || (at < end && row[at] == '+')) {
            at++;
        }
        if (at == end) {
            throw notA(i, what);
        }
        long value = 0;
        for (; at < end; at++) {
            int digit = row[at] - '0';
            if (digit < 0 || digit > 9) {
                return fromDecimal(i, min, max, what);
            }
            if (value < (Long.MIN_VALUE + digit) / 10) {
                throw notA(i, what);
            }
            value = value * 10 - digit; // accumulate negatively so that MIN_VALUE fits
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                throw notA(i, what);
            }
            value = -value;
        }
        if (value < min || value > max) {
            throw notA(i, what);
        }
        return value;
    }

    /** A numeric with a fraction, say {@code 12.00}, read as an integer when it is one, as pgjdbc does. */
    private long fromDecimal(int i, long min, long max, String what) throws SQLException {
        try {
            BigDecimal d = new BigDecimal(text(i));
            long value = d.longValueExact();
            if (value < min || value > max) {
                throw notA(i, what);
            }
            return value;
        } catch (NumberFormatException | ArithmeticException e) {
            throw notA(i, what);
        }
    }

    @Override
    public boolean getBoolean(int column) throws SQLException {
        int i = value(column);
        if (i < 0) {
            return false;
        }
        if (lengths[i] == 1) {
            switch (row[offsets[i]]) {
                case 't', 'T', '1', 'y', 'Y' -> {
                    return true;
                }
                case 'f', 'F', '0', 'n', 'N' -> {
                    return false;
                }
                default -> {
                }
            }
        }
        return switch (text(i).trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw notA(i, "a boolean");
        };
    }

    @Override
    public double getDouble(int column) throws SQLException {
        int i = value(column);
        if (i < 0) {
            return 0;
        }
        try {
            return Double.parseDouble(text(i));
        } catch (NumberFormatException e) {
            throw notA(i, "a double");
        }
    }

    @Override
    public float getFloat(int column) throws SQLException {
        int i = value(column);
        if (i < 0) {
            return 0;
        }
        try {
            return Float.parseFloat(text(i));
        } catch (NumberFormatException e) {
            throw notA(i, "a float");
        }
    }

    @Override
    public BigDecimal getBigDecimal(int column) throws SQLException {
        int i = value(column);
        if (i < 0) {
            return null;
        }
        try {
            return new BigDecimal(text(i));
        } catch (NumberFormatException e) {
            throw notA(i, "a decimal");
        }
    }

    /** bytea comes in hex ({@code \x…}, PostgreSQL's default output); any other column as its UTF-8 bytes. */
    @Override
    public byte[] getBytes(int column) throws SQLException {
        int i = value(column);
        if (i < 0) {
            return null;
        }
        if (columns.types()[i] == Columns.BYTEA && lengths[i] >= 2 && row[offsets[i]] == '\\' && row[offsets[i] + 1] == 'x') {
            try {
                return HexFormat.of().parseHex(new String(row, offsets[i] + 2, lengths[i] - 2, StandardCharsets.ISO_8859_1));
            } catch (IllegalArgumentException e) {
                throw notA(i, "hex-encoded bytes");
            }
        }
        if (columns.types()[i] == Columns.BYTEA) {
            return unescape(i); // bytea_output = 'escape', set in the session after the start-up chose hex
        }
        byte[] bytes = new byte[lengths[i]];
        System.arraycopy(row, offsets[i], bytes, 0, bytes.length);
        return bytes;
    }

    /** bytea's escape format: {@code \\} for a backslash, {@code \ooo} (octal) for other bytes, the rest as they are. */
    private byte[] unescape(int i) throws SQLException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(lengths[i]);
        int end = offsets[i] + lengths[i];
        for (int at = offsets[i]; at < end; at++) {
            byte b = row[at];
            if (b != '\\') {
                bytes.write(b);
            } else if (at + 1 < end && row[at + 1] == '\\') {
                bytes.write('\\');
                at++;
            } else if (at + 3 < end && isOctal(row[at + 1]) && isOctal(row[at + 2]) && isOctal(row[at + 3])) {
                bytes.write(((row[at + 1] - '0') << 6) | ((row[at + 2] - '0') << 3) | (row[at + 3] - '0'));
                at += 3;
            } else {
                throw notA(i, "bytea in the escape format");
            }
        }
        return bytes.toByteArray();
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }

    @Override
    public Object getObject(int column) throws SQLException {
        int i = value(column);
        if (i < 0) {
            return null;
        }
        return switch (columns.types()[i]) {
            case Columns.INT2, Columns.INT4 -> getInt(column);
            case Columns.INT8 -> getLong(column);
            case Columns.BOOL -> getBoolean(column);
            case Columns.FLOAT4 -> getFloat(column);
            case Columns.FLOAT8 -> getDouble(column);
            case Columns.NUMERIC -> getBigDecimal(column);
            case Columns.BYTEA -> getBytes(column);
            case Columns.UUID -> getObject(column, UUID.class);
            case Columns.DATE -> getObject(column, LocalDate.class);
            case Columns.TIME -> getObject(column, LocalTime.class);
            case Columns.TIMESTAMP -> getObject(column, LocalDateTime.class);
            case Columns.TIMESTAMPTZ -> getObject(column, OffsetDateTime.class);
            default -> text(i);
        };
    }

    @Override
    public <T> T getObject(int column, Class<T> type) throws SQLException {
        int i = value(column);
        if (i < 0) {
            return null;
        }
        Object value;
        try {
            value = switch (type.getName()) {
                case "java.lang.String" -> text(i);
                case "java.lang.Integer" -> getInt(column);
                case "java.lang.Long" -> getLong(column);
                case "java.lang.Short" -> getShort(column);
                case "java.lang.Byte" -> getByte(column);
                case "java.lang.Boolean" -> getBoolean(column);
                case "java.lang.Double" -> getDouble(column);
                case "java.lang.Float" -> getFloat(column);
                case "java.math.BigDecimal" -> getBigDecimal(column);
                case "[B" -> getBytes(column);
                case "java.util.UUID" -> UUID.fromString(text(i));
                case "java.time.LocalDate" -> LocalDate.parse(text(i));
                case "java.time.LocalTime" -> LocalTime.parse(text(i));
                case "java.time.LocalDateTime" -> LocalDateTime.parse(text(i).replace(' ', 'T'));
                case "java.time.OffsetDateTime" -> offsetDateTime(text(i));
                case "java.time.Instant" -> offsetDateTime(text(i)).toInstant();
                default -> throw new SQLException("a column cannot be read as " + type.getName()
                        + " from Strand's PostgreSQL client; read it as a String and convert it", "0A000");
            };
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw notA(i, "a " + type.getSimpleName());
        }
        return type.cast(value);
    }

    /** {@code 2024-05-01 10:00:00+02} as PostgreSQL writes it with DateStyle ISO: the offset may lack its minutes. */
    private static OffsetDateTime offsetDateTime(String text) {
        String iso = text.replace(' ', 'T');
        int sign = Math.max(iso.lastIndexOf('+'), iso.lastIndexOf('-'));
        if (sign > iso.indexOf('T') && iso.length() - sign == 3) {
            iso = iso + ":00";
        }
        return OffsetDateTime.parse(iso);
    }

    // By label

    @Override
    public String getString(String label) throws SQLException {
        return getString(findColumn(label));
    }

    @Override
    public long getLong(String label) throws SQLException {
        return getLong(findColumn(label));
    }

    @Override
    public int getInt(String label) throws SQLException {
        return getInt(findColumn(label));
    }

    @Override
    public short getShort(String label) throws SQLException {
        return getShort(findColumn(label));
    }

    @Override
    public byte getByte(String label) throws SQLException {
        return getByte(findColumn(label));
    }

    @Override
    public boolean getBoolean(String label) throws SQLException {
        return getBoolean(findColumn(label));
    }

    @Override
    public double getDouble(String label) throws SQLException {
        return getDouble(findColumn(label));
    }

    @Override
    public float getFloat(String label) throws SQLException {
        return getFloat(findColumn(label));
    }

    @Override
    public BigDecimal getBigDecimal(String label) throws SQLException {
        return getBigDecimal(findColumn(label));
    }

    @Override
    public byte[] getBytes(String label) throws SQLException {
        return getBytes(findColumn(label));
    }

    @Override
    public Object getObject(String label) throws SQLException {
        return getObject(findColumn(label));
    }

    @Override
    public <T> T getObject(String label, Class<T> type) throws SQLException {
        return getObject(findColumn(label), type);
    }

    // The rest of a cursor's life, as far as a mapper may see it

    @Override
    public boolean isClosed() {
        return false;
    }

    @Override
    public SQLWarning getWarnings() {
        return null;
    }

    @Override
    public void clearWarnings() {
    }

    @Override
    public int getType() {
        return ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public int getConcurrency() {
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("a row of Strand's PostgreSQL client is not a " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
