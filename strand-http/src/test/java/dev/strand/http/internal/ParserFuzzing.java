package dev.strand.http.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.HttpException;
import java.util.Set;

/** What the parser's fuzz tests share: small limits, and the oracle on error statuses. */
final class ParserFuzzing {

    /** Small limits, so that short fuzz inputs reach every one of them. */
    static final int SMALL_REQUEST_LINE = 100;
    static final int SMALL_HEADER_SIZE = 300;
    static final int SMALL_HEADER_COUNT = 4;
    static final long SMALL_BODY_SIZE = 64;

    /** The statuses {@link Http1Parser}'s Javadoc promises for its {@link HttpException}s. */
    static final Set<Integer> DOCUMENTED_STATUSES = Set.of(400, 413, 414, 417, 431, 501, 505);

    private ParserFuzzing() {
    }

    static ParserDriver withSmallLimits() {
        return new ParserDriver(SMALL_REQUEST_LINE, SMALL_HEADER_SIZE, SMALL_HEADER_COUNT, SMALL_BODY_SIZE);
    }

    /**
     * Checks that a transcript's error, if it has one, carries a documented status. Exceptions other
     * than {@link HttpException} are not caught by {@link ParserDriver}, so they fail the fuzz test
     * by themselves.
     */
    static void assertOnlyDocumentedErrors(String transcript) {
        if (refused(transcript)) {
            int status = Integer.parseInt(transcript.substring(transcript.length() - 4, transcript.length() - 1));
            assertTrue(DOCUMENTED_STATUSES.contains(status), () -> "undocumented status " + status + ":\n" + transcript);
        }
    }

    /** Whether the parser refused the input: an error is always a transcript's last line. */
    static boolean refused(String transcript) {
        int lastLine = transcript.lastIndexOf('\n', transcript.length() - 2) + 1;
        return transcript.startsWith("ERROR ", lastLine);
    }

    /** Cut points before every byte after the first: the input fed one byte at a time. */
    static int[] everyByte(int length) {
        int[] cuts = new int[Math.max(length - 1, 0)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return cuts;
    }
}
