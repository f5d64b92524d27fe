package dev.strand.http.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte array for encoding response heads; ASCII only. A connection keeps one and encodes
 * every response head into it, handing out views of it: it is emptied ({@link #reset}) only once
 * nothing queued refers to it any more. Growing copies into a new array; views of the old one stay
 * valid, as nothing writes to it again.
 */
final class ByteSink {

    private byte[] bytes;
    private int size;
    private ByteBuffer view;

    ByteSink(int capacity) {
        bytes = new byte[capacity];
    }

    ByteSink put(byte[] b) {
        return put(b, 0, b.length);
    }

    ByteSink put(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
        return this;
    }

    /** Appends {@code b}'s remaining bytes; its position moves to its limit. */
    ByteSink put(java.nio.ByteBuffer b) {
        int len = b.remaining();
        ensure(len);
        b.get(bytes, size, len);
        size += len;
        return this;
    }

    /** Appends {@code s}, whose characters must all be below 256. */
    ByteSink put(String s) {
        int len = s.length();
        ensure(len);
        s.getBytes(0, len, bytes, size); // Latin-1 by definition: exactly what a header needs
        size += len;
        return this;
    }

    /** Appends {@code value} in decimal, its digits written straight in (no string on the way). */
    ByteSink putDecimal(long value) {
        if (value < 0) {
            return put(Long.toString(value)); // never a length: not worth a path of its own
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        ensure(digits);
        long v = value;
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        size += digits;
        return this;
    }

    ByteSink putByte(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
        return this;
    }

    ByteSink crlf() {
        ensure(2);
        bytes[size++] = '\r';
        bytes[size++] = '\n';
        return this;
    }

    int size() {
        return size;
    }

    int capacity() {
        return bytes.length;
    }

    /** The current array: views of it see what was put, up to {@link #size()}. */
    byte[] array() {
        return bytes;
    }

    /**
     * The sink's own view of {@code [start, size)}: one ByteBuffer object reused for the sink's life
     * (made again when the array grows). Only one may be queued at a time: check before reusing.
     */
    ByteBuffer view(int start) {
        if (view == null || view.array() != bytes) {
            view = ByteBuffer.wrap(bytes);
        }
        view.limit(size).position(start);
        return view;
    }

    /** The view {@link #view(int)} hands out, or null. */
    ByteBuffer currentView() {
        return view;
    }

    /** Empties it for reuse: only when no view of its bytes is still queued. */
    void reset() {
        size = 0;
    }

    ByteBuffer toBuffer() {
        return ByteBuffer.wrap(bytes, 0, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
