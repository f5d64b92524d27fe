package dev.strand.examples.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reply parser, fed without sockets: the same replies however the stream is cut, and bounded. */
class RespParserIsSplitInvariantAndBoundedTest {

    /** Replies of every RESP2 type, and what each parses to (bulk strings shown decoded). */
    private static final List<String> REPLIES = List.of(
            "+OK\r\n",
            "+\r\n",
            "-ERR unknown command 'nope'\r\n",
            ":0\r\n",
            ":-42\r\n",
            ":9223372036854775\r\n",
            "$5\r\nhello\r\n",
            "$0\r\n\r\n",
            "$-1\r\n",
            "$12\r\nwith\r\nCRLF\r\n\r\n",
            "$5\r\n\u00e9t\u00e9\r\n", // 5 bytes in UTF-8
            "*0\r\n",
            "*-1\r\n",
            "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n",
            "*2\r\n*2\r\n:1\r\n$-1\r\n*1\r\n-WRONGTYPE no\r\n");

    private static final List<Object> EXPECTED = List.of(
            "OK", "", new RespParser.ErrorReply("ERR unknown command 'nope'"), 0L, -42L, 9223372036854775L,
            "hello", "", Optional.empty(), "with\r\nCRLF\r\n", "\u00e9t\u00e9", List.of(), Optional.empty(),
            List.of("message", "news", "hi"),
            List.of(List.of(1L, Optional.empty()), List.of(new RespParser.ErrorReply("WRONGTYPE no"))));

    private static RespParser parser() {
        return new RespParser(1024, 1024, 256, 8);
    }

    /** Feeds {@code stream} cut at {@code cuts} (ascending positions), returning the replies, bulk strings decoded. */
    private static List<Object> feed(RespParser parser, byte[] stream, int... cuts) {
        List<Object> replies = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : stream.length;
            // A direct buffer, as the loop lends: the parser must copy, not keep it.
            ByteBuffer piece = ByteBuffer.allocateDirect(to - from).put(stream, from, to - from).flip();
            parser.feed(piece, reply -> replies.add(decoded(reply)));
            assertEquals(0, piece.remaining(), "the parser takes every byte it is given");
            from = to;
        }
        return replies;
    }

    private static Object decoded(Object reply) {
        if (reply instanceof byte[] bytes) {
            return new String(bytes, UTF_8);
        }
        if (reply instanceof List<?> list) {
            return list.stream().map(RespParserIsSplitInvariantAndBoundedTest::decoded).toList();
        }
        return reply;
    }

    @Test
    void everyReplySplitAtEveryBytePositionParsesTheSame() {
        for (int r = 0; r < REPLIES.size(); r++) {
            byte[] bytes = REPLIES.get(r).getBytes(UTF_8);
            for (int cut = 0; cut <= bytes.length; cut++) {
                assertEquals(List.of(EXPECTED.get(r)), feed(parser(), bytes, cut),
                        "reply " + r + " cut at " + cut);
            }
            for (int a = 1; a < bytes.length; a++) {
                for (int b = a; b < bytes.length; b++) {
                    assertEquals(List.of(EXPECTED.get(r)), feed(parser(), bytes, a, b),
                            "reply " + r + " cut at " + a + " and " + b);
                }
            }
        }
    }

    @Test
    void theWholeStreamByteByByteOrAtOnceGivesEveryReplyInOrder() {
        byte[] stream = String.join("", REPLIES).getBytes(UTF_8);
        assertEquals(EXPECTED, feed(parser(), stream));
        int[] everyByte = new int[stream.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertEquals(EXPECTED, feed(parser(), stream, everyByte));
        for (int cut = 0; cut <= stream.length; cut++) {
            assertEquals(EXPECTED, feed(parser(), stream, cut), "stream cut at " + cut);
        }
    }

    @Test
    void aBulkStringOverTheLimitFailsFromItsHeaderAlone() {
        RespParser parser = parser();
        // Only the header arrives: the parser refuses before any body, and allocates nothing for it.
        RedisProtocolException e = assertThrows(RedisProtocolException.class,
                () -> feed(parser, "$1025\r\n".getBytes(UTF_8)));
        assertTrue(e.getMessage().contains("1025 bytes is over the limit of 1024"), e.getMessage());
        assertEquals(List.of("x".repeat(1024)), feed(parser(), ("$1024\r\n" + "x".repeat(1024) + "\r\n").getBytes(UTF_8)));
    }

    @Test
    void aHugeAnnouncedBulkStringWithinTheLimitAllocatesOnlyWhatArrives() {
        RespParser parser = new RespParser(Integer.MAX_VALUE - 8, 1024, 256, 8);
        // 2 GiB announced, a few bytes sent: no OutOfMemoryError, the parser just waits for more.
        assertEquals(List.of(), feed(parser, ("$" + (Integer.MAX_VALUE - 8) + "\r\nabc").getBytes(UTF_8)));
    }

    @Test
    void anArrayOverTheLimitOrNestedTooDeepFails() {
        assertThrows(RedisProtocolException.class, () -> feed(parser(), "*1025\r\n".getBytes(UTF_8)));
        assertThrows(RedisProtocolException.class, () -> feed(parser(), "*1\r\n".repeat(9).getBytes(UTF_8)));
        assertEquals(List.of(List.of(List.of(1L))), feed(parser(), "*1\r\n*1\r\n:1\r\n".getBytes(UTF_8)));
    }

    @Test
    void aLineOverTheLimitFailsBeforeItsEnd() {
        assertThrows(RedisProtocolException.class, () -> feed(parser(), ("+" + "x".repeat(300)).getBytes(UTF_8)));
    }

    @Test
    void malformedRepliesFailWithAClearMessageAndSpendTheParser() {
        for (String bad : List.of("?what\r\n", "+OK\n", ":12a\r\n", ":\r\n", "$-2\r\n", "*-5\r\n",
                "$3\r\nabcX\r\n", ":1234567890123456789\r\n")) {
            RespParser parser = parser();
            RedisProtocolException e = assertThrows(RedisProtocolException.class,
                    () -> feed(parser, bad.getBytes(UTF_8)), bad);
            assertTrue(e.getMessage().startsWith("strand-redis: "), e.getMessage());
            assertThrows(RedisProtocolException.class, () -> feed(parser, "+OK\r\n".getBytes(UTF_8)),
                    "a spent parser refuses more input");
        }
    }
}
