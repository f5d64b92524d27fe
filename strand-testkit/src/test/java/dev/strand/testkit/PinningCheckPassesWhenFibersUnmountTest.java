package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.http.Routing;
import dev.strand.reactor.Fiber;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Fibers that park where they can unmount — sleeping, waiting on a monitor, sleeping inside
 * {@code synchronized} (which no longer pins on JDK 25), a server's request fibers sleeping — do
 * not trip the pinning check.
 */
@ServerTest
@CheckPinning
class PinningCheckPassesWhenFibersUnmountTest {

    private static final Object LOCK = new Object();

    @SetUpRoutes
    static void routes(Routing routing) {
        routing.get("/nap", (req, res) -> {
            Fiber.sleep(Duration.ofMillis(5));
            res.send("rested");
        });
    }

    @Test
    void sleepingInsideSynchronizedDoesNotPin() {
        AtomicInteger done = new AtomicInteger();
        PinningCheck.assertNoPinning(() -> {
            Thread first = Thread.ofVirtual().start(() -> {
                synchronized (LOCK) {
                    PinningCheckFailsOnAPinnedFiberTest.parkBriefly();
                    done.incrementAndGet();
                }
            });
            Thread second = Thread.ofVirtual().start(() -> {
                synchronized (LOCK) { // contended: waits for the monitor, unmounted
                    done.incrementAndGet();
                }
            });
            first.join();
            second.join();
        });
        assertEquals(2, done.get());
    }

    @Test
    void requestFibersThatSleepDoNotPin(TestClient client) {
        for (int i = 0; i < 5; i++) {
            assertEquals("rested", client.get("/nap").text());
        }
    }
}
