package dev.strand.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;

/**
 * Whatever the parser makes of an input (heads, bodies, trailers, the error status, or where it
 * stopped), it makes of the same bytes however they arrive: in one buffer, one byte at a time, cut
 * at points the fuzzer chooses, and, for short inputs, cut in two at every point.
 *
 * <p>Input layout (FuzzedDataProvider reads numbers from the end): the last byte picks the
 * limits (odd: {@link ParserFuzzing}'s small ones, so limit errors are reachable; even: the
 * server's defaults), the byte before it the number of cuts (0 to 7), then two bytes per cut give
 * its place as a fraction of the message; what is left, from the start, is the message.
 */
@Tag("split") // for -Pfuzz -Dfuzz.only=split
class ParserSplitInvarianceFuzzTest {

    /** Inputs up to this long are also cut in two at every point (quadratic, so kept short). */
    private static final int EVERY_SPLIT_UP_TO = 96;

    @DictionaryFile(resourcePath = "http1-parser.dict")
    @FuzzTest
    void sameTranscriptHoweverTheInputIsSplit(FuzzedDataProvider data) {
        boolean small = data.consumeBoolean();
        int[] fractions = new int[data.consumeInt(0, 7)];
        for (int i = 0; i < fractions.length; i++) {
            fractions[i] = data.consumeInt(0, 0xffff);
        }
        byte[] input = data.consumeRemainingAsBytes();
        ParserDriver driver = small ? ParserFuzzing.withSmallLimits() : new ParserDriver();

        String whole = driver.run(input, new int[0]);
        ParserFuzzing.assertOnlyDocumentedErrors(whole);

        int[] cuts = Arrays.stream(fractions).map(f -> (int) ((long) f * (input.length + 1) >> 16)).sorted().toArray();
        assertEquals(whole, driver.run(input, cuts), () -> "cut before " + Arrays.toString(cuts));
        assertEquals(whole, driver.run(input, ParserFuzzing.everyByte(input.length)), "one byte at a time");
        if (input.length <= EVERY_SPLIT_UP_TO) {
            for (int at = 0; at <= input.length; at++) {
                int cut = at;
                assertEquals(whole, driver.run(input, new int[] {cut}), () -> "cut before " + cut);
            }
        }
    }
}
