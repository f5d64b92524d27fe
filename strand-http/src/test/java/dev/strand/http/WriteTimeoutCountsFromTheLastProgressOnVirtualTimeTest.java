package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Fiber;
import dev.strand.reactor.Simulation;
import dev.strand.reactor.tcp.ConnectionClosedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The write timeout, on virtual time, through an in-memory connection whose buffers are exact (no
 * kernel buffer sizes to guess): it counts from the peer's last taking of bytes, not from when the
 * response first backed up. A reader that takes what is there, then pauses 1 ns less than the
 * timeout, gets a response many times larger than every buffer on the way; one that pauses 1 ns
 * more is cut off at exactly the timeout after its last read, and a streaming handler's write
 * fails then. Both for a streamed body and for one sent whole (which sits in the out-queue until
 * its last byte is written).
 */
class WriteTimeoutCountsFromTheLastProgressOnVirtualTimeTest {

    private static final Duration WRITE_TIMEOUT = Duration.ofMillis(600);
    private static final int BLOCK = 16 * 1024;
    /** Far beyond the pipe (16 KiB), the client's read-ahead and the server's watermarks (64 KiB each). */
    private static final int TOTAL = 2 * 1024 * 1024;

    /** What the client got, how the handler ended and when, and the instants the client began each pause. */
    private record Outcome(long received, Throwable handlerFailure, Duration handlerEndedAt, List<Duration> pauses) {
    }

    /** Requests {@code TOTAL} bytes, then reads all that has come, pauses {@code pause}, again, until the end. */
    private static Outcome readWithPauses(long seed, boolean streamed, Duration pause) {
        try (Simulation sim = Simulation.builder().seed(seed).timeLimit(Duration.ofHours(1)).build()) {
            CompletableFuture<Throwable> handlerOutcome = new CompletableFuture<>();
            Duration[] handlerEnded = new Duration[1];
            return sim.run(() -> {
                HttpServer server = HttpServer.builder().reactor(sim.reactor())
                        .config(c -> c.listen(false).writeTimeout(WRITE_TIMEOUT))
                        .routing(r -> r.get("/large", (req, res) -> {
                            try {
                                if (streamed) {
                                    res.header("Content-Length", String.valueOf(TOTAL));
                                    try (OutputStream out = res.outputStream()) {
                                        for (int sent = 0; sent < TOTAL; sent += BLOCK) {
                                            out.write(new byte[BLOCK]);
                                        }
                                    }
                                } else {
                                    res.send(new byte[TOTAL]);
                                }
                                handlerOutcome.complete(null);
                            } catch (Throwable t) {
                                handlerOutcome.complete(t);
                                throw t;
                            } finally {
                                handlerEnded[0] = sim.elapsed();
                            }
                        }))
                        .build().start();
                PipeClient client = PipeClient.connect(sim, server, BLOCK);
                client.send("GET /large HTTP/1.1\r\nHost: a\r\n\r\n").readHead();
                InputStream in = client.input();
                long received = 0;
                List<Duration> pauses = new ArrayList<>();
                byte[] buffer = new byte[BLOCK];
                try {
                    while (received < TOTAL) {
                        // Take everything that has come (at least one byte), then pause.
                        int n = in.read(buffer);
                        if (n < 0) {
                            break;
                        }
                        received += n;
                        while (in.available() > 0 && (n = in.read(buffer, 0, Math.min(buffer.length, in.available()))) > 0) {
                            received += n;
                        }
                        pauses.add(sim.elapsed());
                        Fiber.sleep(pause);
                    }
                } catch (ConnectionClosedException e) {
                    // cut off: what had come before was read first
                }
                return new Outcome(received, handlerOutcome.getNow(null), handlerEnded[0], pauses);
            });
        }
    }

    @ParameterizedTest(name = "streamed={0}")
    @ValueSource(booleans = {true, false})
    void aReaderPausingJustUnderTheWriteTimeoutGetsTheWholeResponse(boolean streamed) {
        for (long seed = 0; seed < 3; seed++) {
            Outcome outcome = readWithPauses(seed, streamed, WRITE_TIMEOUT.minusNanos(1));
            assertEquals(TOTAL, outcome.received(), "a reader making progress was cut off (seed " + seed + ")");
            assertNull(outcome.handlerFailure());
            // Many pauses: the transfer outlasted the write timeout many times over.
            assertTrue(outcome.pauses().size() > 10, "only " + outcome.pauses().size() + " pauses");
        }
    }

    @ParameterizedTest(name = "streamed={0}")
    @ValueSource(booleans = {true, false})
    void aReaderPausingJustOverTheWriteTimeoutIsCutOffAtExactlyTheTimeoutAfterItsLastRead(boolean streamed) {
        for (long seed = 0; seed < 3; seed++) {
            Outcome outcome = readWithPauses(seed, streamed, WRITE_TIMEOUT.plusNanos(1));
            assertTrue(outcome.received() < TOTAL, "received " + outcome.received());
            // Cut off in the first pause: back from it, the client reads only what was on the way before the
            // cut-off (its own read-ahead, then what the pipe held), then finds the end.
            assertTrue(outcome.pauses().size() <= 3, "not cut off in the first pause: " + outcome.pauses());
            if (streamed) {
                // The cut-off, seen by the handler's pending write: the timeout after the last read, to the nanosecond.
                assertInstanceOf(IOException.class, outcome.handlerFailure());
                assertEquals(outcome.pauses().getFirst().plus(WRITE_TIMEOUT), outcome.handlerEndedAt(), "seed " + seed);
            }
        }
    }
}
