package dev.strand.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.strand.http.Headers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;

/**
 * The parser never accepts a message that the strict framing rules refuse, and frames every message
 * it accepts as they do: held against {@link ReferenceFraming}, each head the parser delivers must
 * be one the reference accepts at the same offset, with the same fields, Content-Length, chunked
 * flag and persistence, and each message it completes must end where the reference's does, with
 * the same body bytes and trailers. Nor may the parser wait for more when the reference already
 * sees a complete, valid message (a desync, like a refusal the other way round).
 *
 * <p>The input is the raw bytes sent on a connection.
 */
@Tag("framing") // for -Pfuzz -Dfuzz.only=framing
class ParserAcceptsOnlyStrictFramingFuzzTest {

    @DictionaryFile(resourcePath = "http1-parser.dict")
    @FuzzTest
    void everyAcceptedMessageIsFramedAsTheReferenceReadsIt(byte[] input) {
        ParserDriver driver = new ParserDriver();
        String transcript = driver.run(input, new int[0]);
        ParserFuzzing.assertOnlyDocumentedErrors(transcript);
        boolean refused = ParserFuzzing.refused(transcript);
        ReferenceFraming reference = new ReferenceFraming(input);

        int start = 0;
        for (int i = 0; i < driver.heads.size(); i++) {
            RequestHead parsed = driver.heads.get(i);
            String where = "message " + i + " of\n" + transcript;
            if (!(reference.head(start) instanceof ReferenceFraming.Head head)) {
                fail("the parser accepted a head the reference reads as " + reference.head(start) + ", " + where);
                return;
            }
            assertEquals(head.end(), driver.headEnds.get(i), () -> "where the head ends, " + where);
            assertEquals(head.fields(), fieldsOf(parsed.headers()), () -> "fields, " + where);
            assertEquals(head.http11(), parsed.http11(), () -> "version, " + where);
            assertEquals(head.contentLength(), parsed.contentLength(), () -> "Content-Length, " + where);
            assertEquals(head.chunked(), parsed.chunked(), () -> "chunked, " + where);
            assertEquals(head.keepAlive(), parsed.keepAlive(), () -> "persistence, " + where);

            ReferenceFraming.BodyResult body = reference.body(head);
            if (i < driver.messageEnds.size()) {
                if (!(body instanceof ReferenceFraming.Body complete)) {
                    fail("the parser completed a message the reference reads as " + body + ", " + where);
                    return;
                }
                assertEquals(complete.end(), driver.messageEnds.get(i), () -> "where the message ends, " + where);
                assertArrayEquals(complete.bytes(), driver.bodies.get(i), () -> "body, " + where);
                assertEquals(complete.trailers(), fieldsOf(driver.trailers.get(i)), () -> "trailers, " + where);
                start = complete.end();
            } else if (!refused) {
                assertFalse(body instanceof ReferenceFraming.Body,
                        () -> "the parser waits for more of a body the reference has whole, " + where);
            }
        }
        if (!refused && driver.heads.size() == driver.messageEnds.size()) {
            ReferenceFraming.HeadResult next = reference.head(start);
            assertFalse(next instanceof ReferenceFraming.Head,
                    () -> "the parser waits for more of a head the reference has whole, " + next + ", in\n" + transcript);
        }
    }

    private static List<String> fieldsOf(Headers headers) {
        List<String> fields = new ArrayList<>(2 * headers.size());
        for (int i = 0; i < headers.size(); i++) {
            fields.add(headers.name(i));
            fields.add(headers.value(i));
        }
        return fields;
    }
}
