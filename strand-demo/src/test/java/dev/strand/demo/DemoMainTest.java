package dev.strand.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.demo.DemoMain.Options;
import dev.strand.http.HttpException;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo's command line and argument checks, without a server or a database. */
class DemoMainTest {

    @Test
    void defaultsAre8080AndH2InMemory() {
        assertEquals(new Options(false, 8080, DatabaseSettings.inMemory(), false), Options.parse(new String[0]));
        assertTrue(DatabaseSettings.inMemory().inProcess());
        assertTrue(DatabaseSettings.defaultPoolSize() >= 4);
    }

    @Test
    void databaseIsTakenInEitherForm() {
        var options = Options.parse(new String[] {"--db", "jdbc:postgresql://127.0.0.1:5432/test", "--db-user=postgres",
                "--db-password", "secret", "--db-pool=3", "--port", "9000"});
        assertEquals(new DatabaseSettings("jdbc:postgresql://127.0.0.1:5432/test", Optional.of("postgres"),
                Optional.of("secret"), 3), options.db());
        assertEquals(9000, options.port());
        assertFalse(options.seed());
        assertFalse(options.db().inProcess());
    }

    @Test
    void seedTakesADatabase() {
        var options = Options.parse(new String[] {"seed", "--db=jdbc:mariadb://127.0.0.1:3306/test?sslMode=disable", "--db-user", "root"});
        assertTrue(options.seed());
        assertEquals("jdbc:mariadb://127.0.0.1:3306/test?sslMode=disable", options.db().url());
        assertEquals(Optional.of("root"), options.db().user());
    }

    @Test
    void pipelinedConnectionsAdmitSixteenRequestsEachAndJdbcOnesTwo() {
        var jdbc = new DatabaseSettings("jdbc:postgresql://db:5432/test", Optional.empty(), Optional.empty(), 16);
        var pipelined = new DatabaseSettings("postgresql://db:5432/test", Optional.empty(), Optional.empty(), 16);
        assertEquals(32, DemoMain.dbPermits(jdbc));
        assertEquals(256, DemoMain.dbPermits(pipelined));
    }

    @Test
    void passwordsStayOutOfMessages() {
        assertEquals("jdbc:postgresql://db:5432/test", DemoMain.withoutParameters("jdbc:postgresql://db:5432/test?password=x"));
        assertEquals("jdbc:h2:mem:x", DemoMain.withoutParameters("jdbc:h2:mem:x;PASSWORD=x"));
        assertEquals("jdbc:mariadb://db/test", DemoMain.withoutParameters("jdbc:mariadb://db/test"));
        assertEquals("postgresql://me@db:5432/test", DemoMain.withoutParameters("postgresql://me:secret@db:5432/test"));
        assertEquals("postgresql://db:5432/test", DemoMain.withoutParameters("postgresql://db:5432/test?password=a@b"));
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
    @ValueSource(strings = {"--port", "--port=", "--port=x", "--port=-1", "--port=65536", "--verbose", "8080",
            "--db", "--db=mysql://x", "--db-pool=0", "--db-pool=x", "--db-user", "seed", "seed --port 1 --db jdbc:h2:mem:x",
            "--port 1 seed"})
    void badArgumentsAreRefusedWithAMessage(String args) {
        var e = assertThrows(IllegalArgumentException.class, () -> Options.parse(args.split(" ")));
        assertTrue(!e.getMessage().isBlank());
    }

    @Test
    void badArgumentsExitWith2() {
        var err = new ByteArrayOutputStream();
        int status = DemoMain.run(new String[] {"--db-pool=0"}, new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--db-pool must be at least 1"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void queriesCountsAreClampedToOneTo500() {
        assertEquals(1, DemoApp.queryCount("1"));
        assertEquals(20, DemoApp.queryCount("20"));
        assertEquals(7, DemoApp.queryCount("+7"));
        assertEquals(500, DemoApp.queryCount("500"));
        assertEquals(500, DemoApp.queryCount("501"));
        assertEquals(500, DemoApp.queryCount("2147483648"));
        assertEquals(500, DemoApp.queryCount("99999999999999999999"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "-0", "-5", "-99999999999", "+", "-", "abc", "1.5", " 5", "5 ", "0x10", "٣"})
    void invalidOrSmallQueriesCountsAreOne(String value) {
        assertEquals(1, DemoApp.queryCount(value));
    }

    @Test
    void anUpdateAlwaysPicksAnotherNumber() {
        for (int old = 1; old <= World.MAX_NUMBER; old++) {
            int number = World.otherNumber(old);
            assertTrue(number != old && number >= 1 && number <= World.MAX_NUMBER, old + " became " + number);
        }
        // Numbers outside the range (TechEmpower's MySQL script seeds 0 to 9,999) get one inside it.
        int fromZero = World.otherNumber(0);
        assertTrue(fromZero >= 1 && fromZero <= World.MAX_NUMBER, "0 became " + fromZero);
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
