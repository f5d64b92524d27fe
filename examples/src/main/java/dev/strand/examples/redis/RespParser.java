package dev.strand.examples.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An incremental RESP2 reply parser: fed the stream in pieces of any size, it hands each complete
 * top-level reply to a sink, in order. What a piece ends in the middle of (a line, a bulk string,
 * an array) is kept until the next piece, so the replies do not depend on how the stream was split.
 *
 * <p>Replies as Java values: simple string {@code +} → {@link String}; error {@code -} →
 * {@link ErrorReply}; integer {@code :} → {@link Long}; bulk string {@code $} → {@code byte[]};
 * array {@code *} → an unmodifiable {@link List} of these; a null bulk string or array
 * ({@code $-1}, {@code *-1}) → {@link Optional#empty()}. Never null.
 *
 * <p>Bounded: lines (headers, simple strings, errors) up to {@code maxLineBytes}, bulk strings up
 * to {@code maxBulkBytes}, arrays up to {@code maxArrayLength} elements, nested at most
 * {@code maxDepth} deep; a header over a limit is refused before anything is allocated for it, and
 * a bulk string's buffer grows with the bytes that actually arrive, not with what its header claims.
 *
 * <p>Not thread-safe: one parser per connection, fed on its loop. After it throws, it is spent:
 * further input is refused.
 */
final class RespParser {

    /** An error reply, as the server wrote it (without the leading {@code -}). */
    record ErrorReply(String message) {
    }

    private static final int FIRST_BULK_CHUNK = 8 * 1024;

    private enum State { LINE, BULK, BULK_CR, BULK_LF, FAILED }

    /** An array being filled. */
    private static final class Frame {
        final List<Object> items;
        int remaining;

        Frame(int length) {
            // Grows with the elements that arrive: the header's count alone allocates little.
            this.items = new ArrayList<>(Math.min(length, 16));
            this.remaining = length;
        }
    }

    private final long maxBulkBytes;
    private final int maxArrayLength;
    private final int maxDepth;
    private final byte[] line;
    private int lineLength;
    private State state = State.LINE;
    private byte[] bulk;
    private int bulkLength;
    private int bulkFilled;
    private final ArrayDeque<Frame> stack = new ArrayDeque<>();

    RespParser(long maxBulkBytes, int maxArrayLength, int maxLineBytes, int maxDepth) {
        this.maxBulkBytes = maxBulkBytes;
        this.maxArrayLength = maxArrayLength;
        this.maxDepth = maxDepth;
        this.line = new byte[maxLineBytes + 2]; // + CRLF
    }

    /**
     * Consumes all of {@code data}'s remaining bytes, handing each reply completed by them to
     * {@code sink}, in order.
     *
     * @throws RedisProtocolException when the bytes are not RESP or break a limit; the parser is
     *                                then spent
     */
    void feed(ByteBuffer data, Consumer<Object> sink) {
        if (state == State.FAILED) {
            throw new RedisProtocolException("strand-redis: the reply parser already failed; the connection is unusable");
        }
        try {
            while (data.hasRemaining()) {
                switch (state) {
                    case LINE -> readLine(data, sink);
                    case BULK -> {
                        int n = Math.min(data.remaining(), bulkLength - bulkFilled);
                        if (bulkFilled + n > bulk.length) {
                            // Doubles, capped at the announced length: memory follows the bytes received.
                            bulk = Arrays.copyOf(bulk, (int) Math.min(bulkLength, Math.max(bulkFilled + n, 2L * bulk.length)));
                        }
                        data.get(bulk, bulkFilled, n);
                        bulkFilled += n;
                        if (bulkFilled == bulkLength) {
                            state = State.BULK_CR;
                        }
                    }
                    case BULK_CR -> {
                        expect(data.get(), '\r');
                        state = State.BULK_LF;
                    }
                    case BULK_LF -> {
                        expect(data.get(), '\n');
                        state = State.LINE;
                        byte[] value = bulk.length == bulkLength ? bulk : Arrays.copyOf(bulk, bulkLength);
                        bulk = null;
                        complete(value, sink);
                    }
                    case FAILED -> throw new IllegalStateException("unreachable");
                }
            }
        } catch (RedisProtocolException e) {
            state = State.FAILED;
            bulk = null;
            stack.clear();
            throw e;
        }
    }

    private void readLine(ByteBuffer data, Consumer<Object> sink) {
        while (data.hasRemaining()) {
            byte b = data.get();
            if (lineLength == line.length) {
                throw new RedisProtocolException("strand-redis: a reply line is longer than the limit of "
                        + (line.length - 2) + " bytes");
            }
            line[lineLength++] = b;
            if (b == '\n') {
                if (lineLength < 3 || line[lineLength - 2] != '\r') {
                    throw new RedisProtocolException("strand-redis: a reply line does not end in CRLF: "
                            + printable(line, lineLength));
                }
                int length = lineLength - 2;
                lineLength = 0;
                onLine(length, sink);
                return;
            }
        }
    }

    private void onLine(int length, Consumer<Object> sink) {
        byte type = line[0];
        switch (type) {
            case '+' -> complete(new String(line, 1, length - 1, UTF_8), sink);
            case '-' -> complete(new ErrorReply(new String(line, 1, length - 1, UTF_8)), sink);
            case ':' -> complete(number(length), sink);
            case '$' -> {
                long n = number(length);
                if (n == -1) {
                    complete(Optional.empty(), sink);
                } else if (n < 0) {
                    throw new RedisProtocolException("strand-redis: a bulk string of negative length " + n);
                } else if (n > maxBulkBytes) {
                    throw new RedisProtocolException("strand-redis: a bulk string of " + n
                            + " bytes is over the limit of " + maxBulkBytes);
                } else {
                    bulkLength = (int) n;
                    bulkFilled = 0;
                    bulk = new byte[Math.min(bulkLength, FIRST_BULK_CHUNK)];
                    state = n == 0 ? State.BULK_CR : State.BULK;
                }
            }
            case '*' -> {
                long n = number(length);
                if (n == -1) {
                    complete(Optional.empty(), sink);
                } else if (n < 0) {
                    throw new RedisProtocolException("strand-redis: an array of negative length " + n);
                } else if (n > maxArrayLength) {
                    throw new RedisProtocolException("strand-redis: an array of " + n
                            + " elements is over the limit of " + maxArrayLength);
                } else if (n == 0) {
                    complete(List.of(), sink);
                } else if (stack.size() == maxDepth) {
                    throw new RedisProtocolException("strand-redis: arrays nested deeper than the limit of " + maxDepth);
                } else {
                    stack.push(new Frame((int) n));
                }
            }
            default -> throw new RedisProtocolException("strand-redis: not a RESP2 reply type: "
                    + printable(line, length + 2));
        }
    }

    /** Adds {@code value} to the array being filled, or hands it to the sink when it is a whole reply. */
    private void complete(Object value, Consumer<Object> sink) {
        Object done = value;
        while (!stack.isEmpty()) {
            Frame top = stack.peek();
            top.items.add(done);
            if (--top.remaining > 0) {
                return;
            }
            stack.pop();
            done = List.copyOf(top.items);
        }
        sink.accept(done);
    }

    /** The line's digits (after the type byte) as a number: an optional minus sign, then 1 to 18 digits. */
    private long number(int length) {
        int i = 1;
        boolean negative = length > 1 && line[1] == '-';
        if (negative) {
            i++;
        }
        if (i == length || length - i > 18) {
            throw new RedisProtocolException("strand-redis: not a number: " + printable(line, length + 2));
        }
        long n = 0;
        for (; i < length; i++) {
            byte digit = line[i];
            if (digit < '0' || digit > '9') {
                throw new RedisProtocolException("strand-redis: not a number: " + printable(line, length + 2));
            }
            n = n * 10 + (digit - '0');
        }
        return negative ? -n : n;
    }

    private static void expect(byte actual, char wanted) {
        if (actual != wanted) {
            throw new RedisProtocolException("strand-redis: a bulk string is not followed by CRLF (got byte 0x"
                    + Integer.toHexString(actual & 0xFF) + ")");
        }
    }

    /** At most 64 bytes of {@code bytes}, control bytes escaped: for error messages. */
    private static String printable(byte[] bytes, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(length, 64); i++) {
            int b = bytes[i] & 0xFF;
            text.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return "\"" + text + (length > 64 ? "...\"" : "\"");
    }
}
