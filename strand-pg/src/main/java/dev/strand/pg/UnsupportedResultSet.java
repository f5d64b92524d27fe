package dev.strand.pg;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * Every method of {@link ResultSet} failing with {@link SQLFeatureNotSupportedException}: the base
 * of {@link RowResultSet}, which overrides what a row mapper reads. Generated from the interface
 * so that the row class shows only what it supports.
 */
abstract class UnsupportedResultSet implements ResultSet {

    /** The exception every unsupported method throws, naming it. */
    static SQLFeatureNotSupportedException unsupported(String method) {
        return new SQLFeatureNotSupportedException(
                "ResultSet." + method + " is not supported by a row of Strand's PostgreSQL client: read the current row's columns");
    }

    @Override
    public boolean absolute(int value) throws SQLException {
        throw unsupported("absolute");
    }

    @Override
    public void afterLast() throws SQLException {
        throw unsupported("afterLast");
    }

    @Override
    public void beforeFirst() throws SQLException {
        throw unsupported("beforeFirst");
    }

    @Override
    public void cancelRowUpdates() throws SQLException {
        throw unsupported("cancelRowUpdates");
    }

    @Override
    public void clearWarnings() throws SQLException {
        throw unsupported("clearWarnings");
    }

    @Override
    public void close() throws SQLException {
        throw unsupported("close");
    }

    @Override
    public void deleteRow() throws SQLException {
        throw unsupported("deleteRow");
    }

    @Override
    public int findColumn(String label) throws SQLException {
        throw unsupported("findColumn");
    }

    @Override
    public boolean first() throws SQLException {
        throw unsupported("first");
    }

    @Override
    public Array getArray(String label) throws SQLException {
        throw unsupported("getArray");
    }

    @Override
    public Array getArray(int column) throws SQLException {
        throw unsupported("getArray");
    }

    @Override
    public InputStream getAsciiStream(String label) throws SQLException {
        throw unsupported("getAsciiStream");
    }

    @Override
    public InputStream getAsciiStream(int column) throws SQLException {
        throw unsupported("getAsciiStream");
    }

    @Override
    public BigDecimal getBigDecimal(String label, int scale) throws SQLException {
        throw unsupported("getBigDecimal");
    }

    @Override
    public BigDecimal getBigDecimal(String label) throws SQLException {
        throw unsupported("getBigDecimal");
    }

    @Override
    public BigDecimal getBigDecimal(int column, int scale) throws SQLException {
        throw unsupported("getBigDecimal");
    }

    @Override
    public BigDecimal getBigDecimal(int column) throws SQLException {
        throw unsupported("getBigDecimal");
    }

    @Override
    public InputStream getBinaryStream(String label) throws SQLException {
        throw unsupported("getBinaryStream");
    }

    @Override
    public InputStream getBinaryStream(int column) throws SQLException {
        throw unsupported("getBinaryStream");
    }

    @Override
    public Blob getBlob(String label) throws SQLException {
        throw unsupported("getBlob");
    }

    @Override
    public Blob getBlob(int column) throws SQLException {
        throw unsupported("getBlob");
    }

    @Override
    public boolean getBoolean(String label) throws SQLException {
        throw unsupported("getBoolean");
    }

    @Override
    public boolean getBoolean(int column) throws SQLException {
        throw unsupported("getBoolean");
    }

    @Override
    public byte getByte(String label) throws SQLException {
        throw unsupported("getByte");
    }

    @Override
    public byte getByte(int column) throws SQLException {
        throw unsupported("getByte");
    }

    @Override
    public byte[] getBytes(String label) throws SQLException {
        throw unsupported("getBytes");
    }

    @Override
    public byte[] getBytes(int column) throws SQLException {
        throw unsupported("getBytes");
    }

    @Override
    public Reader getCharacterStream(String label) throws SQLException {
        throw unsupported("getCharacterStream");
    }

    @Override
    public Reader getCharacterStream(int column) throws SQLException {
        throw unsupported("getCharacterStream");
    }

    @Override
    public Clob getClob(String label) throws SQLException {
        throw unsupported("getClob");
    }

    @Override
    public Clob getClob(int column) throws SQLException {
        throw unsupported("getClob");
    }

    @Override
    public int getConcurrency() throws SQLException {
        throw unsupported("getConcurrency");
    }

    @Override
    public String getCursorName() throws SQLException {
        throw unsupported("getCursorName");
    }

    @Override
    public Date getDate(String label, Calendar value) throws SQLException {
        throw unsupported("getDate");
    }

    @Override
    public Date getDate(String label) throws SQLException {
        throw unsupported("getDate");
    }

    @Override
    public Date getDate(int column, Calendar value) throws SQLException {
        throw unsupported("getDate");
    }

    @Override
    public Date getDate(int column) throws SQLException {
        throw unsupported("getDate");
    }

    @Override
    public double getDouble(String label) throws SQLException {
        throw unsupported("getDouble");
    }

    @Override
    public double getDouble(int column) throws SQLException {
        throw unsupported("getDouble");
    }

    @Override
    public int getFetchDirection() throws SQLException {
        throw unsupported("getFetchDirection");
    }

    @Override
    public int getFetchSize() throws SQLException {
        throw unsupported("getFetchSize");
    }

    @Override
    public float getFloat(String label) throws SQLException {
        throw unsupported("getFloat");
    }

    @Override
    public float getFloat(int column) throws SQLException {
        throw unsupported("getFloat");
    }

    @Override
    public int getHoldability() throws SQLException {
        throw unsupported("getHoldability");
    }

    @Override
    public int getInt(String label) throws SQLException {
        throw unsupported("getInt");
    }

    @Override
    public int getInt(int column) throws SQLException {
        throw unsupported("getInt");
    }

    @Override
    public long getLong(String label) throws SQLException {
        throw unsupported("getLong");
    }

    @Override
    public long getLong(int column) throws SQLException {
        throw unsupported("getLong");
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        throw unsupported("getMetaData");
    }

    @Override
    public Reader getNCharacterStream(String label) throws SQLException {
        throw unsupported("getNCharacterStream");
    }

    @Override
    public Reader getNCharacterStream(int column) throws SQLException {
        throw unsupported("getNCharacterStream");
    }

    @Override
    public NClob getNClob(String label) throws SQLException {
        throw unsupported("getNClob");
    }

    @Override
    public NClob getNClob(int column) throws SQLException {
        throw unsupported("getNClob");
    }

    @Override
    public String getNString(String label) throws SQLException {
        throw unsupported("getNString");
    }

    @Override
    public String getNString(int column) throws SQLException {
        throw unsupported("getNString");
    }

    @Override
    public <T> T getObject(String label, Class<T> type) throws SQLException {
        throw unsupported("getObject");
    }

    @Override
    public Object getObject(String label, Map<String, Class<?>> map) throws SQLException {
        throw unsupported("getObject");
    }

    @Override
    public Object getObject(String label) throws SQLException {
        throw unsupported("getObject");
    }

    @Override
    public <T> T getObject(int column, Class<T> type) throws SQLException {
        throw unsupported("getObject");
    }

    @Override
    public Object getObject(int column, Map<String, Class<?>> map) throws SQLException {
        throw unsupported("getObject");
    }

    @Override
    public Object getObject(int column) throws SQLException {
        throw unsupported("getObject");
    }

    @Override
    public Ref getRef(String label) throws SQLException {
        throw unsupported("getRef");
    }

    @Override
    public Ref getRef(int column) throws SQLException {
        throw unsupported("getRef");
    }

    @Override
    public int getRow() throws SQLException {
        throw unsupported("getRow");
    }

    @Override
    public RowId getRowId(String label) throws SQLException {
        throw unsupported("getRowId");
    }

    @Override
    public RowId getRowId(int column) throws SQLException {
        throw unsupported("getRowId");
    }

    @Override
    public SQLXML getSQLXML(String label) throws SQLException {
        throw unsupported("getSQLXML");
    }

    @Override
    public SQLXML getSQLXML(int column) throws SQLException {
        throw unsupported("getSQLXML");
    }

    @Override
    public short getShort(String label) throws SQLException {
        throw unsupported("getShort");
    }

    @Override
    public short getShort(int column) throws SQLException {
        throw unsupported("getShort");
    }

    @Override
    public Statement getStatement() throws SQLException {
        throw unsupported("getStatement");
    }

    @Override
    public String getString(String label) throws SQLException {
        throw unsupported("getString");
    }

    @Override
    public String getString(int column) throws SQLException {
        throw unsupported("getString");
    }

    @Override
    public Time getTime(String label, Calendar value) throws SQLException {
        throw unsupported("getTime");
    }

    @Override
    public Time getTime(String label) throws SQLException {
        throw unsupported("getTime");
    }

    @Override
    public Time getTime(int column, Calendar value) throws SQLException {
        throw unsupported("getTime");
    }

    @Override
    public Time getTime(int column) throws SQLException {
        throw unsupported("getTime");
    }

    @Override
    public Timestamp getTimestamp(String label, Calendar value) throws SQLException {
        throw unsupported("getTimestamp");
    }

    @Override
    public Timestamp getTimestamp(String label) throws SQLException {
        throw unsupported("getTimestamp");
    }

    @Override
    public Timestamp getTimestamp(int column, Calendar value) throws SQLException {
        throw unsupported("getTimestamp");
    }

    @Override
    public Timestamp getTimestamp(int column) throws SQLException {
        throw unsupported("getTimestamp");
    }

    @Override
    public int getType() throws SQLException {
        throw unsupported("getType");
    }

    @Override
    public URL getURL(String label) throws SQLException {
        throw unsupported("getURL");
    }

    @Override
    public URL getURL(int column) throws SQLException {
        throw unsupported("getURL");
    }

    @Override
    public InputStream getUnicodeStream(String label) throws SQLException {
        throw unsupported("getUnicodeStream");
    }

    @Override
    public InputStream getUnicodeStream(int column) throws SQLException {
        throw unsupported("getUnicodeStream");
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        throw unsupported("getWarnings");
    }

    @Override
    public void insertRow() throws SQLException {
        throw unsupported("insertRow");
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        throw unsupported("isAfterLast");
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        throw unsupported("isBeforeFirst");
    }

    @Override
    public boolean isClosed() throws SQLException {
        throw unsupported("isClosed");
    }

    @Override
    public boolean isFirst() throws SQLException {
        throw unsupported("isFirst");
    }

    @Override
    public boolean isLast() throws SQLException {
        throw unsupported("isLast");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        throw unsupported("isWrapperFor");
    }

    @Override
    public boolean last() throws SQLException {
        throw unsupported("last");
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        throw unsupported("moveToCurrentRow");
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        throw unsupported("moveToInsertRow");
    }

    @Override
    public boolean next() throws SQLException {
        throw unsupported("next");
    }

    @Override
    public boolean previous() throws SQLException {
        throw unsupported("previous");
    }

    @Override
    public void refreshRow() throws SQLException {
        throw unsupported("refreshRow");
    }

    @Override
    public boolean relative(int value) throws SQLException {
        throw unsupported("relative");
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        throw unsupported("rowDeleted");
    }

    @Override
    public boolean rowInserted() throws SQLException {
        throw unsupported("rowInserted");
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        throw unsupported("rowUpdated");
    }

    @Override
    public void setFetchDirection(int value) throws SQLException {
        throw unsupported("setFetchDirection");
    }

    @Override
    public void setFetchSize(int value) throws SQLException {
        throw unsupported("setFetchSize");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw unsupported("unwrap");
    }

    @Override
    public void updateArray(String label, Array value) throws SQLException {
        throw unsupported("updateArray");
    }

    @Override
    public void updateArray(int column, Array value) throws SQLException {
        throw unsupported("updateArray");
    }

    @Override
    public void updateAsciiStream(String label, InputStream value, int length) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(String label, InputStream value, long length) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(String label, InputStream value) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(int column, InputStream value, int length) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(int column, InputStream value, long length) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(int column, InputStream value) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateBigDecimal(String label, BigDecimal value) throws SQLException {
        throw unsupported("updateBigDecimal");
    }

    @Override
    public void updateBigDecimal(int column, BigDecimal value) throws SQLException {
        throw unsupported("updateBigDecimal");
    }

    @Override
    public void updateBinaryStream(String label, InputStream value, int length) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(String label, InputStream value, long length) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(String label, InputStream value) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(int column, InputStream value, int length) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(int column, InputStream value, long length) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(int column, InputStream value) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBlob(String label, InputStream value, long length) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(String label, InputStream value) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(String label, Blob value) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(int column, InputStream value, long length) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(int column, InputStream value) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(int column, Blob value) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBoolean(String label, boolean value) throws SQLException {
        throw unsupported("updateBoolean");
    }

    @Override
    public void updateBoolean(int column, boolean value) throws SQLException {
        throw unsupported("updateBoolean");
    }

    @Override
    public void updateByte(String label, byte value) throws SQLException {
        throw unsupported("updateByte");
    }

    @Override
    public void updateByte(int column, byte value) throws SQLException {
        throw unsupported("updateByte");
    }

    @Override
    public void updateBytes(String label, byte[] value) throws SQLException {
        throw unsupported("updateBytes");
    }

    @Override
    public void updateBytes(int column, byte[] value) throws SQLException {
        throw unsupported("updateBytes");
    }

    @Override
    public void updateCharacterStream(String label, Reader value, int length) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(String label, Reader value, long length) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(String label, Reader value) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(int column, Reader value, int length) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(int column, Reader value, long length) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(int column, Reader value) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateClob(String label, Reader value, long length) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(String label, Reader value) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(String label, Clob value) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(int column, Reader value, long length) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(int column, Reader value) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(int column, Clob value) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateDate(String label, Date value) throws SQLException {
        throw unsupported("updateDate");
    }

    @Override
    public void updateDate(int column, Date value) throws SQLException {
        throw unsupported("updateDate");
    }

    @Override
    public void updateDouble(String label, double value) throws SQLException {
        throw unsupported("updateDouble");
    }

    @Override
    public void updateDouble(int column, double value) throws SQLException {
        throw unsupported("updateDouble");
    }

    @Override
    public void updateFloat(String label, float value) throws SQLException {
        throw unsupported("updateFloat");
    }

    @Override
    public void updateFloat(int column, float value) throws SQLException {
        throw unsupported("updateFloat");
    }

    @Override
    public void updateInt(String label, int value) throws SQLException {
        throw unsupported("updateInt");
    }

    @Override
    public void updateInt(int column, int value) throws SQLException {
        throw unsupported("updateInt");
    }

    @Override
    public void updateLong(String label, long value) throws SQLException {
        throw unsupported("updateLong");
    }

    @Override
    public void updateLong(int column, long value) throws SQLException {
        throw unsupported("updateLong");
    }

    @Override
    public void updateNCharacterStream(String label, Reader value, long length) throws SQLException {
        throw unsupported("updateNCharacterStream");
    }

    @Override
    public void updateNCharacterStream(String label, Reader value) throws SQLException {
        throw unsupported("updateNCharacterStream");
    }

    @Override
    public void updateNCharacterStream(int column, Reader value, long length) throws SQLException {
        throw unsupported("updateNCharacterStream");
    }

    @Override
    public void updateNCharacterStream(int column, Reader value) throws SQLException {
        throw unsupported("updateNCharacterStream");
    }

    @Override
    public void updateNClob(String label, Reader value, long length) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(String label, Reader value) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(String label, NClob value) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(int column, Reader value, long length) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(int column, Reader value) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(int column, NClob value) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNString(String label, String value) throws SQLException {
        throw unsupported("updateNString");
    }

    @Override
    public void updateNString(int column, String value) throws SQLException {
        throw unsupported("updateNString");
    }

    @Override
    public void updateNull(String label) throws SQLException {
        throw unsupported("updateNull");
    }

    @Override
    public void updateNull(int column) throws SQLException {
        throw unsupported("updateNull");
    }

    @Override
    public void updateObject(String label, Object value, int scaleOrLength) throws SQLException {
        throw unsupported("updateObject");
    }

    @Override
    public void updateObject(String label, Object value) throws SQLException {
        throw unsupported("updateObject");
    }

    @Override
    public void updateObject(int column, Object value, int scaleOrLength) throws SQLException {
        throw unsupported("updateObject");
    }

    @Override
    public void updateObject(int column, Object value) throws SQLException {
        throw unsupported("updateObject");
    }

    @Override
    public void updateRef(String label, Ref value) throws SQLException {
        throw unsupported("updateRef");
    }

    @Override
    public void updateRef(int column, Ref value) throws SQLException {
        throw unsupported("updateRef");
    }

    @Override
    public void updateRow() throws SQLException {
        throw unsupported("updateRow");
    }

    @Override
    public void updateRowId(String label, RowId value) throws SQLException {
        throw unsupported("updateRowId");
    }

    @Override
    public void updateRowId(int column, RowId value) throws SQLException {
        throw unsupported("updateRowId");
    }

    @Override
    public void updateSQLXML(String label, SQLXML value) throws SQLException {
        throw unsupported("updateSQLXML");
    }

    @Override
    public void updateSQLXML(int column, SQLXML value) throws SQLException {
        throw unsupported("updateSQLXML");
    }

    @Override
    public void updateShort(String label, short value) throws SQLException {
        throw unsupported("updateShort");
    }

    @Override
    public void updateShort(int column, short value) throws SQLException {
        throw unsupported("updateShort");
    }

    @Override
    public void updateString(String label, String value) throws SQLException {
        throw unsupported("updateString");
    }

    @Override
    public void updateString(int column, String value) throws SQLException {
        throw unsupported("updateString");
    }

    @Override
    public void updateTime(String label, Time value) throws SQLException {
        throw unsupported("updateTime");
    }

    @Override
    public void updateTime(int column, Time value) throws SQLException {
        throw unsupported("updateTime");
    }

    @Override
    public void updateTimestamp(String label, Timestamp value) throws SQLException {
        throw unsupported("updateTimestamp");
    }

    @Override
    public void updateTimestamp(int column, Timestamp value) throws SQLException {
        throw unsupported("updateTimestamp");
    }

    @Override
    public boolean wasNull() throws SQLException {
        throw unsupported("wasNull");
    }
}
