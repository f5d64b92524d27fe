package dev.strand.http.internal;

import static dev.strand.http.internal.ParserFuzzing.SMALL_BODY_SIZE;
import static dev.strand.http.internal.ParserFuzzing.SMALL_HEADER_COUNT;
import static dev.strand.http.internal.ParserFuzzing.SMALL_HEADER_SIZE;
import static dev.strand.http.internal.ParserFuzzing.SMALL_REQUEST_LINE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.strand.http.Headers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;

/**
 * With small limits, no input makes the parser hold more than they allow, and no request it
 * accepts is over them. Holding is checked after every step of a byte-at-a-time feed, through
 * {@link Http1Parser#retainedBytes()}; what was accepted is measured on the raw bytes of each head
 * (so trimmed whitespace counts) and on the bodies and trailers the parser delivered.
 *
 * <p>The input is the raw bytes sent on a connection.
 */
@Tag("limits") // for -Pfuzz -Dfuzz.only=limits
class ParserStaysWithinLimitsFuzzTest {

    /** Chunk-size lines have a fixed limit of their own, not a configured one. */
    private static final int CHUNK_LINE_LIMIT = 4096;

    @DictionaryFile(resourcePath = "http1-parser.dict")
    @FuzzTest
    void holdsAndAcceptsNoMoreThanTheLimits(byte[] input) {
        // A line buffer grows to the longest line allowed so far, and field values are at most
        // the header section; chunk lines may take the buffer to their own limit.
        int headBound = Math.max(SMALL_REQUEST_LINE, SMALL_HEADER_SIZE) + SMALL_HEADER_SIZE;
        int chunkedBound = Math.max(CHUNK_LINE_LIMIT, SMALL_HEADER_SIZE) + SMALL_HEADER_SIZE;
        boolean[] chunkedSeen = {false};
        ParserDriver driver = ParserFuzzing.withSmallLimits().afterEachStep(parser -> {
            chunkedSeen[0] |= parser.head() != null && parser.head().chunked();
            int bound = chunkedSeen[0] ? chunkedBound : headBound;
            int held = parser.retainedBytes();
            assertTrue(held <= bound, () -> "holds " + held + " bytes, more than " + bound);
        });
        String transcript = driver.run(input, ParserFuzzing.everyByte(input.length));
        ParserFuzzing.assertOnlyDocumentedErrors(transcript);

        int start = 0;
        for (int i = 0; i < driver.heads.size(); i++) {
            String head = new String(input, start, driver.headEnds.get(i) - start, StandardCharsets.ISO_8859_1);
            while (head.startsWith("\r\n")) {
                head = head.substring(2);
            }
            int requestLineEnd = head.indexOf("\r\n");
            int requestLine = requestLineEnd;
            // The field lines with their CRLFs, without the empty line that ends the head.
            int fieldSection = head.length() - 2 - (requestLineEnd + 2);
            int fields = driver.heads.get(i).headers().size();
            String why = "head " + i + " of\n" + transcript;
            assertTrue(requestLine <= SMALL_REQUEST_LINE, () -> "request line of " + requestLine + " bytes accepted, " + why);
            assertTrue(fieldSection <= SMALL_HEADER_SIZE, () -> "header section of " + fieldSection + " bytes accepted, " + why);
            assertTrue(fields <= SMALL_HEADER_COUNT, () -> fields + " fields accepted, " + why);
            if (i < driver.messageEnds.size()) {
                int body = driver.bodies.get(i).length;
                Headers trailers = driver.trailers.get(i);
                int trailerBytes = 0;
                for (int t = 0; t < trailers.size(); t++) {
                    // At least name ":" value CRLF each: the raw line may have had OWS too.
                    trailerBytes += trailers.name(t).length() + 1 + trailers.value(t).length() + 2;
                }
                int trailerSection = trailerBytes;
                assertTrue(body <= SMALL_BODY_SIZE, () -> "body of " + body + " bytes accepted, " + why);
                assertTrue(trailers.size() <= SMALL_HEADER_COUNT, () -> trailers.size() + " trailers accepted, " + why);
                assertTrue(trailerSection <= SMALL_HEADER_SIZE, () -> "trailers of " + trailerSection + " bytes accepted, " + why);
                start = driver.messageEnds.get(i);
            }
        }
    }
}
