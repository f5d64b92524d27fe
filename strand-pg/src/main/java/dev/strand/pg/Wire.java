package dev.strand.pg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Frontend messages of PostgreSQL's protocol (version 3), appended to one growing buffer that is
 * written out in as few writes as the socket allows: the messages of every statement queued in a
 * loop turn leave together, which is what pipelining is.
 *
 * <p>Not thread-safe: a connection's buffer is used on its loop only (or, during start-up, by the
 * one thread that opens it).
 */
final class Wire {

    private static final int PROTOCOL_3_0 = 196_608;
    /** A buffer that grew past this is given back once written, so that one big batch does not pin memory. */
    private static final int KEEP = 64 * 1024;

    private byte[] buf = new byte[8 * 1024];
    /** First byte not yet written to the socket. */
    private int start;
    private int size;
    private int messageStart = -1;

    /** Whether bytes wait to be written. */
    boolean hasPending() {
        return size > start;
    }

    /** How many bytes wait to be written. */
    int pending() {
        return size - start;
    }

    /**
     * Writes what it can of the pending bytes to {@code channel} without blocking.
     *
     * @return whether everything was written
     */
    boolean writeTo(WritableByteChannel channel) throws IOException {
        while (start < size) {
            int n = channel.write(ByteBuffer.wrap(buf, start, size - start));
            if (n == 0) {
                return false;
            }
            start += n;
        }
        start = 0;
        size = 0;
        if (buf.length > KEEP) {
            buf = new byte[8 * 1024];
        }
        return true;
    }

    // Messages

    void startup(String user, String database, String applicationName, java.util.Map<String, String> parameters) {
        ensure(4);
        messageStart = size;
        size += 4;
        int32(PROTOCOL_3_0);
        cstring("user");
        cstring(user);
        cstring("database");
        cstring(database);
        cstring("client_encoding");
        cstring("UTF8");
        cstring("DateStyle");
        cstring("ISO");
        cstring("bytea_output");
        cstring("hex"); // whatever the role or database would have: RowResultSet reads hex
        cstring("extra_float_digits");
        cstring("3"); // floats in full (shortest exact form since PostgreSQL 12), whatever the role or database would have
        cstring("application_name");
        cstring(applicationName);
        for (var parameter : parameters.entrySet()) {
            cstring(parameter.getKey());
            cstring(parameter.getValue());
        }
        byte1(0);
        end();
    }

    /** PasswordMessage, SASLInitialResponse and SASLResponse all have type {@code 'p'}. */
    void password(String password) {
        begin('p');
        cstring(password);
        end();
    }

    void saslInitialResponse(String mechanism, byte[] data) {
        begin('p');
        cstring(mechanism);
        int32(data.length);
        bytes(data);
        end();
    }

    void saslResponse(byte[] data) {
        begin('p');
        bytes(data);
        end();
    }

    /** Parse: prepares {@code text} as statement {@code name} ("" for the unnamed one), types inferred. */
    void parse(String name, String text) {
        begin('P');
        cstring(name);
        cstring(text);
        int16(0);
        end();
    }

    /** Describe of a prepared statement: answered by ParameterDescription and RowDescription or NoData. */
    void describeStatement(String name) {
        begin('D');
        byte1('S');
        cstring(name);
        end();
    }

    /** Bind of the unnamed portal to statement {@code name}, every parameter and result column as text. */
    void bind(String name, byte[][] params) {
        begin('B');
        byte1(0); // unnamed portal
        cstring(name);
        int16(0); // parameter formats: all text
        int16(params.length);
        for (byte[] param : params) {
            if (param == null) {
                int32(-1);
            } else {
                int32(param.length);
                bytes(param);
            }
        }
        int16(0); // result formats: all text
        end();
    }

    /** Execute of the unnamed portal, every row. */
    void execute() {
        begin('E');
        byte1(0);
        int32(0);
        end();
    }

    void sync() {
        begin('S');
        end();
    }

    void terminate() {
        begin('X');
        end();
    }

    // Encoding

    private void begin(char type) {
        ensure(5);
        buf[size++] = (byte) type;
        messageStart = size;
        size += 4;
    }

    private void end() {
        int length = size - messageStart;
        buf[messageStart] = (byte) (length >>> 24);
        buf[messageStart + 1] = (byte) (length >>> 16);
        buf[messageStart + 2] = (byte) (length >>> 8);
        buf[messageStart + 3] = (byte) length;
        messageStart = -1;
    }

    private void byte1(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    private void int16(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    private void int32(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    private void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /** A NUL-terminated UTF-8 string; a NUL inside it would cut the message short, so it is refused. */
    private void cstring(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL character cannot be sent to PostgreSQL in a name or statement");
        }
        bytes(s.getBytes(StandardCharsets.UTF_8));
        byte1(0);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
