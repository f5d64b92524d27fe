package dev.strand.pg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.jdbc.DatabaseException;
import dev.strand.jdbc.RowMapper;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rows come as text and are read through the {@link ResultSet} getters a mapper uses; parameters
 * go as text, and come back as they went.
 */
class RowsReadAsMappersExpectTest {

    private static final String ROW = """
            SELECT 42::int4 AS i, 9000000000::int8 AS l, 'héllo ✓ 世界 "q" ''s'::text AS s, true AS b, 1.5::float8 AS d,
                   12.340::numeric AS n, '\\x00ff10'::bytea AS bin, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u,
                   DATE '2024-02-29' AS dt, TIMESTAMPTZ '2024-05-01 10:00:00.25+02' AS ts, NULL::int AS nothing,
                   2.5::float4 AS f, 7::int2 AS sh, TIMESTAMP '2024-05-01 10:00:00.123456' AS lts, false AS nope,
                   ''::text AS empty, 12.00::numeric AS whole""";

    private static PgClient db;

    @BeforeAll
    static void open() {
        db = Postgres.client().build();
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
    }

    private static <T> T one(RowMapper<T> mapper) {
        return db.queryOne(ROW, mapper).orElseThrow();
    }

    @Test
    void typedGettersByPosition() {
        assertEquals(42, (int) one(rs -> rs.getInt(1)));
        assertEquals(9_000_000_000L, (long) one(rs -> rs.getLong(2)));
        assertEquals("héllo ✓ 世界 \"q\" 's", one(rs -> rs.getString(3)));
        assertTrue((boolean) one(rs -> rs.getBoolean(4)));
        assertFalse((boolean) one(rs -> rs.getBoolean(15)));
        assertEquals(1.5, (double) one(rs -> rs.getDouble(5)));
        assertEquals(new BigDecimal("12.340"), one(rs -> rs.getBigDecimal(6)));
        assertArrayEquals(new byte[] {0, (byte) 0xff, 0x10}, one(rs -> rs.getBytes(7)));
        assertEquals(2.5f, (float) one(rs -> rs.getFloat(12)));
        assertEquals((short) 7, (short) one(rs -> rs.getShort(13)));
        assertEquals(42L, (long) one(rs -> rs.getLong(1)), "an int read as a long");
        assertEquals("42", one(rs -> rs.getString(1)), "anything read as a string");
        assertEquals(12, (int) one(rs -> rs.getInt(17)), "a whole numeric read as an int, as pgjdbc does");
        assertEquals("", one(rs -> rs.getString(16)), "an empty string is not NULL");
        assertEquals(1, (int) one(rs -> rs.getRow()));
    }

    @Test
    void getObjectFollowsTheColumnsType() {
        List<Object> values = one(rs -> {
            List<Object> all = new ArrayList<>();
            for (int i = 1; i <= 17; i++) {
                all.add(rs.getObject(i) == null ? "NULL" : rs.getObject(i));
            }
            return all;
        });
        assertEquals(42, values.get(0));
        assertEquals(9_000_000_000L, values.get(1));
        assertEquals("héllo ✓ 世界 \"q\" 's", values.get(2));
        assertEquals(Boolean.TRUE, values.get(3));
        assertEquals(1.5, values.get(4));
        assertEquals(new BigDecimal("12.340"), values.get(5));
        assertArrayEquals(new byte[] {0, (byte) 0xff, 0x10}, (byte[]) values.get(6));
        assertEquals(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), values.get(7));
        assertEquals(LocalDate.of(2024, 2, 29), values.get(8));
        OffsetDateTime ts = assertInstanceOf(OffsetDateTime.class, values.get(9));
        assertEquals(OffsetDateTime.of(2024, 5, 1, 8, 0, 0, 250_000_000, ZoneOffset.UTC).toInstant(), ts.toInstant());
        assertEquals("NULL", values.get(10));
        assertEquals(2.5f, values.get(11));
        assertEquals(7, values.get(12), "int2 as an Integer, as pgjdbc does");
        assertEquals(LocalDateTime.of(2024, 5, 1, 10, 0, 0, 123_456_000), values.get(13));
    }

    @Test
    void getObjectWithAClass() {
        assertEquals(Instant.parse("2024-05-01T08:00:00.25Z"), one(rs -> rs.getObject(10, Instant.class)));
        assertEquals(Long.valueOf(42), one(rs -> rs.getObject(1, Long.class)));
        assertEquals("42", one(rs -> rs.getObject(1, String.class)));
        assertEquals(LocalDate.of(2024, 2, 29), one(rs -> rs.getObject("DT", LocalDate.class)));
        assertEquals(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), one(rs -> rs.getObject("u", UUID.class)));
        assertNull(one(rs -> Optional.ofNullable(rs.getObject("nothing", Integer.class))).orElse(null));
        DatabaseException e = assertThrows(DatabaseException.class, () -> one(rs -> rs.getObject(1, java.net.URI.class)));
        assertTrue(e.getMessage().contains("java.net.URI"), e.getMessage());
    }

    @Test
    void timestampsInOtherZonesAndOffsetsWithoutMinutes() {
        try (PgClient other = Postgres.client().build()) {
            String result = other.session(s -> {
                s.update("SET TIME ZONE 'Asia/Kolkata'");
                OffsetDateTime india = s.queryOne("SELECT TIMESTAMPTZ '2024-05-01 10:00:00Z'", rs -> rs.getObject(1, OffsetDateTime.class)).orElseThrow();
                s.update("SET TIME ZONE 'America/New_York'");
                OffsetDateTime newYork = s.queryOne("SELECT TIMESTAMPTZ '2024-05-01 10:00:00Z'", rs -> rs.getObject(1, OffsetDateTime.class)).orElseThrow();
                return india.getOffset() + " " + newYork.getOffset() + " " + india.toInstant().equals(newYork.toInstant());
            });
            assertEquals("+05:30 -04:00 true", result);
        }
    }

    @Test
    void rowsReadTheSameWhateverOutputFormatsTheRoleWouldHave() {
        String role = Postgres.table("r_formats");
        Postgres.execute("CREATE ROLE " + role + " LOGIN");
        try {
            Postgres.execute("ALTER ROLE " + role + " SET bytea_output = 'escape'");
            Postgres.execute("ALTER ROLE " + role + " SET DateStyle = 'SQL, DMY'");
            Postgres.execute("ALTER ROLE " + role + " SET extra_float_digits = -3");
            try (PgClient other = PgClient.builder().url("postgresql://" + role + "@127.0.0.1:5432/test").build()) {
                assertEquals(List.of("00ff105c41", "2024-02-29"), other.queryOne("SELECT '\\x00ff105c41'::bytea, DATE '2024-02-29'",
                        rs -> List.of(java.util.HexFormat.of().formatHex(rs.getBytes(1)), rs.getObject(2).toString())).orElseThrow());
                assertEquals(List.of(0.1 + 0.2, 1.0f / 3), other.queryOne("SELECT 0.1::float8 + 0.2::float8, (1::float4 / 3::float4)",
                        rs -> List.<Object>of(rs.getDouble(1), rs.getFloat(2))).orElseThrow(), "floats in full");
            }
            try (PgClient other = Postgres.client().build()) {
                assertEquals("00ff105c41272000", other.session(session -> {
                    session.update("SET bytea_output = 'escape'");
                    return session.queryOne("SELECT '\\x00ff105c41272000'::bytea", rs -> java.util.HexFormat.of().formatHex(rs.getBytes(1)))
                            .orElseThrow();
                }), "set in the session after the start-up");
            }
        } finally {
            Postgres.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void gettersByLabelIgnoreCase() {
        assertEquals(42, (int) one(rs -> rs.getInt("I")));
        assertEquals(9_000_000_000L, (long) one(rs -> rs.getLong("l")));
        assertEquals("héllo ✓ 世界 \"q\" 's", one(rs -> rs.getString("S")));
        assertTrue((boolean) one(rs -> rs.getBoolean("B")));
        assertEquals(new BigDecimal("12.340"), one(rs -> rs.getBigDecimal("N")));
        assertArrayEquals(new byte[] {0, (byte) 0xff, 0x10}, one(rs -> rs.getBytes("Bin")));
        assertEquals(13, (int) one(rs -> rs.findColumn("SH")));
    }

    @Test
    void nullsReadAsJdbcSays() {
        assertEquals("0 true null true null null null 0.0 false", one(rs -> {
            int i = rs.getInt("nothing");
            boolean nullAfterInt = rs.wasNull();
            String s = rs.getString("nothing");
            boolean nullAfterString = rs.wasNull();
            return i + " " + nullAfterInt + " " + s + " " + nullAfterString + " " + rs.getObject("nothing") + " "
                    + rs.getBigDecimal("nothing") + " " + rs.getBytes("nothing") + " " + rs.getDouble("nothing") + " " + rs.getBoolean("nothing");
        }));
        assertFalse((boolean) one(rs -> {
            rs.getInt("nothing");
            rs.getInt("i");
            return rs.wasNull();
        }), "wasNull speaks of the last column read");
    }

    @Test
    void aBadLabelNamesTheColumnsThereAre() {
        DatabaseException e = assertThrows(DatabaseException.class, () -> db.query("SELECT 1 AS alpha, 2 AS beta", rs -> rs.getInt("gamma")));
        assertTrue(e.getMessage().contains("gamma") && e.getMessage().contains("alpha, beta"), e.getMessage());
        assertTrue(e.getMessage().contains("SELECT 1 AS alpha"), "quotes the SQL: " + e.getMessage());
        DatabaseException position = assertThrows(DatabaseException.class, () -> db.query("SELECT 1", rs -> rs.getInt(2)));
        assertTrue(position.getMessage().contains("2"), position.getMessage());
        DatabaseException notANumber = assertThrows(DatabaseException.class, () -> db.query("SELECT 'x1'::text", rs -> rs.getInt(1)));
        assertTrue(notANumber.getMessage().contains("x1"), notANumber.getMessage());
        DatabaseException tooBig = assertThrows(DatabaseException.class, () -> db.query("SELECT 9000000000::int8", rs -> rs.getInt(1)));
        assertTrue(tooBig.getMessage().contains("9000000000"), tooBig.getMessage());
    }

    @Test
    void cursorMovesAndMetadataAreNotSupported() {
        assertEquals("next getMetaData absolute getClob updateInt", one(rs -> {
            List<String> unsupported = new ArrayList<>();
            try {
                rs.next();
            } catch (SQLFeatureNotSupportedException e) {
                unsupported.add("next");
            }
            try {
                rs.getMetaData();
            } catch (SQLFeatureNotSupportedException e) {
                unsupported.add("getMetaData");
            }
            try {
                rs.absolute(2);
            } catch (SQLFeatureNotSupportedException e) {
                unsupported.add("absolute");
            }
            try {
                rs.getClob(1);
            } catch (SQLFeatureNotSupportedException e) {
                unsupported.add("getClob");
            }
            try {
                rs.updateInt(1, 2);
            } catch (SQLFeatureNotSupportedException e) {
                unsupported.add("updateInt");
            }
            return String.join(" ", unsupported);
        }));
    }

    @Test
    void manyRowsAndABigValue() {
        List<Integer> numbers = db.query("SELECT g FROM generate_series(1, 20000) g", rs -> rs.getInt(1));
        assertEquals(20_000, numbers.size());
        assertEquals(20_000, numbers.getLast());
        String big = db.queryOne("SELECT repeat('ab✓', 100000)", rs -> rs.getString(1)).orElseThrow();
        assertEquals("ab✓".repeat(100_000), big);
    }

    enum Colour { RED, GREEN }

    @Test
    void parametersOfEveryTypeComeBackAsTheyWent() {
        String table = Postgres.table("t_types");
        Postgres.execute("CREATE TABLE " + table + " (i int4, l int8, s text, b bool, d float8, f float4, n numeric, u uuid, bin bytea,"
                + " dt date, lts timestamp, ts timestamptz, inst timestamptz, colour text, opt int4, nul text)");
        try {
            OffsetDateTime offset = OffsetDateTime.of(2024, 5, 1, 10, 15, 30, 123_456_000, ZoneOffset.ofHoursMinutes(5, 30));
            Instant instant = Instant.parse("2023-12-31T23:59:59.999999Z");
            UUID uuid = UUID.randomUUID();
            byte[] bytes = {0, 1, (byte) 0x80, (byte) 0xff, '\\', '\'', 'x'};
            LocalDateTime local = LocalDateTime.of(2024, 1, 2, 3, 4);
            assertEquals(1, db.update("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    -2_147_483_648, Long.MAX_VALUE, "it's \"quoted\" ✓ \\ ?", true, -0.1, 3.25f, new BigDecimal("-12345678901234567890.000000001"),
                    uuid, bytes, LocalDate.of(1999, 12, 31), local, offset, instant, Colour.GREEN, Optional.of(7), null));
            List<Object> back = db.queryOne("SELECT * FROM " + table, rs -> List.<Object>of(
                    rs.getInt("i"), rs.getLong("l"), rs.getString("s"), rs.getBoolean("b"), rs.getDouble("d"), rs.getFloat("f"),
                    rs.getBigDecimal("n"), rs.getObject("u"), rs.getBytes("bin"), rs.getObject("dt"), rs.getObject("lts"),
                    rs.getObject("ts", OffsetDateTime.class).toInstant(), rs.getObject("inst", Instant.class), rs.getString("colour"),
                    rs.getInt("opt"), String.valueOf(rs.getString("nul")))).orElseThrow();
            assertEquals(-2_147_483_648, back.get(0));
            assertEquals(Long.MAX_VALUE, back.get(1));
            assertEquals("it's \"quoted\" ✓ \\ ?", back.get(2));
            assertEquals(true, back.get(3));
            assertEquals(-0.1, back.get(4));
            assertEquals(3.25f, back.get(5));
            assertEquals(new BigDecimal("-12345678901234567890.000000001"), back.get(6));
            assertEquals(uuid, back.get(7));
            assertArrayEquals(bytes, (byte[]) back.get(8));
            assertEquals(LocalDate.of(1999, 12, 31), back.get(9));
            assertEquals(local, back.get(10));
            assertEquals(offset.toInstant(), back.get(11));
            assertEquals(instant, back.get(12));
            assertEquals("GREEN", back.get(13));
            assertEquals(7, back.get(14));
            assertEquals("null", back.get(15));

            assertEquals(List.of(true), db.query("SELECT ?::int4 IS NULL AND ?::text IS NULL", rs -> rs.getBoolean(1), Optional.empty(), null));
            assertEquals(List.of("NaN Infinity -Infinity"), db.query("SELECT ?::float8 || ' ' || ?::float8 || ' ' || ?::float4",
                    rs -> rs.getString(1), Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY));
        } finally {
            Postgres.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void questionMarksInLiteralsReachTheServerUntouched() {
        assertEquals(List.of("it's ? 'a?' ? $1 x"), db.query(
                "SELECT E'it\\'s ?' || ' ' || '''a?''' || $$ ? $1 $$ || /* ? */ ?::text -- ?",
                rs -> rs.getString(1), "x"));
        assertEquals(List.of(true), db.query("SELECT '{\"a\": 1}'::jsonb ?? 'a' AND ?::int = 1", rs -> rs.getBoolean(1), 1));
    }

    @Test
    void lessCommonParameterTypesComeBackToo() {
        java.time.ZonedDateTime paris = java.time.ZonedDateTime.of(2024, 7, 14, 10, 0, 0, 0, java.time.ZoneId.of("Europe/Paris"));
        List<Object> back = db.queryOne("SELECT ?::int2, ?::int2, ?::numeric, ?::text, ?::timestamptz, ?::time, ?::float8",
                rs -> List.<Object>of(rs.getShort(1), rs.getByte(2), rs.getBigDecimal(3), rs.getString(4),
                        rs.getObject(5, Instant.class), rs.getObject(6, java.time.LocalTime.class), rs.getDouble(7)),
                (short) -32768, (byte) 127, new java.math.BigInteger("123456789012345678901234567890"), 'é', paris,
                java.time.LocalTime.of(23, 59, 58, 500_000_000), 1.0E-300).orElseThrow();
        assertEquals(List.of((short) -32768, (byte) 127, new BigDecimal("123456789012345678901234567890"), "é", paris.toInstant(),
                java.time.LocalTime.of(23, 59, 58, 500_000_000), 1.0E-300), back);
    }

    @Test
    void aParameterOfAnUnsupportedTypeIsRefusedByPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> db.query("SELECT ?::int, ?::text", rs -> rs.getInt(1), 1, new StringBuilder("x")));
        assertTrue(e.getMessage().contains("parameter 2") && e.getMessage().contains("StringBuilder"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> db.batch("SELECT ?", List.<Object[]>of(new Object[] {1}, new Object[] {new Object()})));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> db.query("SELECT 1", rs -> rs.getInt(1), new Object[70_000]));
        assertTrue(tooMany.getMessage().contains("65535"), tooMany.getMessage());
        assertEquals(List.of(1), db.query("SELECT 1", rs -> rs.getInt(1)));
    }
}
