package dev.strand.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.Handler;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP/1.1 connection's state machine, driven through a {@link MemoryTransport}: pipelining,
 * output back-pressure and half-close, each step of the client under the test's control.
 */
class ConnectionStateMachineWithoutSocketsTest {

    private static final Pattern BODY = Pattern.compile("\r\n\r\n(r\\d+)");

    private static ConnectionDriver driver(boolean fiber) {
        Handler numbered = (req, res) -> res.send("r" + req.pathParam("n"));
        return new ConnectionDriver(r -> r.get("/{n}", fiber ? numbered : Handler.nonBlocking(numbered)),
                c -> c.writeWatermarks(512, 2048));
    }

    private static byte[] requests(int count) {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < count; i++) {
            all.append("GET /").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        return all.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The response bodies, in order: "r0", "r1", … */
    private static java.util.List<String> bodies(byte[] written) {
        Matcher m = BODY.matcher(new String(written, StandardCharsets.ISO_8859_1));
        java.util.List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static java.util.List<String> expected(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> "r" + i).toList();
    }

    @ParameterizedTest(name = "fiber handler: {0}")
    @ValueSource(booleans = {false, true})
    void pipelinedRequestsAreAnsweredInOrderAndTheConnectionStaysOpen(boolean fiber) {
        try (ConnectionDriver driver = driver(fiber)) {
            MemoryTransport client = driver.connect(Long.MAX_VALUE);
            driver.run(client, c -> c.send(requests(3)));
            driver.settle(client);
            assertEquals(expected(3), bodies(client.written()));
            assertFalse(client.closed());
            assertTrue(client.wantsRead(), "ready for the next request");
        }
    }

    @ParameterizedTest(name = "fiber handler: {0}")
    @ValueSource(booleans = {false, true})
    void aClientThatDoesNotReadStopsTheConnectionReadingUntilItDoes(boolean fiber) {
        try (ConnectionDriver driver = driver(fiber)) {
            MemoryTransport client = driver.connect(0);
            driver.run(client, c -> c.send(requests(1000)));
            driver.settle(client);
            assertFalse(client.wantsRead(), "reading paused past the high watermark");
            long queued = driver.connectionsAndQueuedOutput()[1];
            assertTrue(queued >= 2048 && queued < 2048 + 256, "queued " + queued + " bytes: the watermark and one response");

            driver.run(client, c -> c.read(Long.MAX_VALUE));
            driver.settle(client);
            assertEquals(expected(1000), bodies(client.written()), "every response, in order, once the client reads");
            assertTrue(client.wantsRead());
        }
    }

    @ParameterizedTest(name = "fiber handler: {0}")
    @ValueSource(booleans = {false, true})
    void aClientThatHalfClosesGetsEveryAnswerThenTheConnectionCloses(boolean fiber) {
        try (ConnectionDriver driver = driver(fiber)) {
            MemoryTransport client = driver.connect(1024); // reads slowly: back-pressure on the way
            driver.run(client, c -> {
                c.send(requests(200));
                c.endInput();
            });
            for (int i = 0; i < 200 && !client.closed(); i++) {
                driver.settle(client);
                driver.run(client, c -> c.read(1024));
            }
            assertEquals(expected(200), bodies(client.written()));
            assertTrue(client.closed(), "closed after the last response");
            assertEquals(0, driver.connectionsAndQueuedOutput()[0]);
        }
    }
}
