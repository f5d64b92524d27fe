package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.strand.http.Routing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * A class with two modes runs all its tests once per mode, each run a container named after its
 * mode, with a server of its own; while an in-memory run's tests run, the process listens on no
 * port it did not listen on before (where a socket run's server adds one, so the view sees it);
 * and naming no mode, or one twice, is a configuration error.
 */
class ModeRunsAreNamedAndInMemoryOpensNoPortTest {

    /** The listening ports seen during each mode's test, by mode. */
    static final Map<ServerTest.Mode, Set<Integer>> LISTENING = new ConcurrentHashMap<>();

    @Sample
    @ServerTest(modes = {ServerTest.Mode.IN_MEMORY, ServerTest.Mode.SOCKET})
    static class BothModes {
        @SetUpRoutes
        static void routes(Routing routing) {
            routing.get("/", (req, res) -> res.send("up"));
        }

        @Test
        void servesAndNotesTheListeningPorts(TestClient client) {
            assertEquals("up", client.get("/").text());
            LISTENING.put(client.isInMemory() ? ServerTest.Mode.IN_MEMORY : ServerTest.Mode.SOCKET,
                    LeakCheck.listeningPorts());
        }
    }

    @Sample
    @ServerTest(modes = {})
    static class NoModes {
        @Test
        void never() {
        }
    }

    @Sample
    @ServerTest(modes = {ServerTest.Mode.IN_MEMORY, ServerTest.Mode.IN_MEMORY})
    static class ModeTwice {
        @Test
        void never() {
        }
    }

    @Test
    void anInMemoryRunListensOnNoPortWhereASocketRunDoes() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/net/tcp")), "needs Linux's /proc");
        LISTENING.clear();
        Set<Integer> before = LeakCheck.listeningPorts();
        Samples.assertAllPassed(BothModes.class);
        assertEquals(before, LISTENING.get(ServerTest.Mode.IN_MEMORY), "the in-memory run opened a port");
        Set<Integer> added = new HashSet<>(LISTENING.get(ServerTest.Mode.SOCKET));
        added.removeAll(before);
        assertEquals(1, added.size(), "the socket run's server listens on one new port: " + added);
        assertEquals(before, LeakCheck.listeningPorts(), "both servers are gone");
    }

    @Test
    void eachModeIsARunNamedAfterItInTheOrderGiven() {
        var results = EngineTestKit.engine("junit-jupiter").configurationParameter(Sample.PARAMETER, "true")
                .selectors(selectClass(BothModes.class)).execute();
        List<String> runs = results.containerEvents().started().list().stream()
                .map(Event::getTestDescriptor)
                .filter(d -> d.getUniqueId().getLastSegment().getType().equals("class-template-invocation"))
                .map(d -> d.getDisplayName()).toList();
        assertEquals(List.of("in memory", "socket"), runs);
        assertEquals(2, results.testEvents().succeeded().count(), "the one test runs once per mode");
    }

    @Test
    void noModeOrAModeNamedTwiceIsAConfigurationError() {
        Throwable none = Samples.failure(NoModes.class);
        assertInstanceOf(ExtensionConfigurationException.class, none);
        assertTrue(none.getMessage().contains("names no mode"), none.getMessage());
        Throwable twice = Samples.failure(ModeTwice.class);
        assertInstanceOf(ExtensionConfigurationException.class, twice);
        assertTrue(twice.getMessage().contains("IN_MEMORY twice"), twice.getMessage());
    }
}
