package dev.strand.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.demo.DemoMain.Options;
import dev.strand.http.HttpException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo's command line and argument checks, without a server. */
class DemoMainTest {

    @Test
    void portDefaultsTo8080() {
        assertEquals(new Options(8080, false), Options.parse(new String[0]));
    }

    @Test
    void portIsTakenInEitherForm() {
        assertEquals(9090, Options.parse(new String[] {"--port", "9090"}).port());
        assertEquals(9091, Options.parse(new String[] {"--port=9091"}).port());
        assertEquals(0, Options.parse(new String[] {"--port=0"}).port());
    }

    @Test
    void helpIsRecognised() {
        assertTrue(Options.parse(new String[] {"--help"}).help());
        assertTrue(Options.parse(new String[] {"-h"}).help());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--port", "--port=", "--port=x", "--port=-1", "--port=65536", "--verbose", "8080"})
    void badArgumentsAreRefusedWithAMessage(String arg) {
        var e = assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {arg}));
        assertTrue(!e.getMessage().isBlank());
    }

    @Test
    void sleepAcceptsZeroToSixtySeconds() {
        assertEquals(0, DemoApp.sleepMillis("0"));
        assertEquals(60_000, DemoApp.sleepMillis("60000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "+5", "60001", "1.5", "abc", "99999999999"})
    void sleepRefusesOtherValuesWith400(String value) {
        var e = assertThrows(HttpException.class, () -> DemoApp.sleepMillis(value));
        assertEquals(400, e.status());
    }
}
