package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.admission.FixedLimit;
import dev.strand.admission.PartitionedLimit;
import dev.strand.admission.QosLevel;
import dev.strand.admission.QosSwitch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each QoS level, switched at run time, changes how many requests of a partitioned route run at
 * once: normal all the permits (4 per tenant), slow half of them, crawl one per tenant, paused none,
 * with the rest waiting in the queue and nothing refused until the queue is full. Switching back
 * lets the waiting requests run.
 */
class QosLevelsChangeWhatARouteAdmitsTest {

    private static final int PERMITS = 4;
    private static final int QUEUE = 10;

    private final QosSwitch qos = QosSwitch.create();
    private final Semaphore proceed = new Semaphore(0);
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final List<RawConnection> connections = new ArrayList<>();
    private PartitionedLimit limit;
    private HttpServer server;

    @BeforeEach
    void start() {
        limit = PartitionedLimit.builder(tenant -> FixedLimit.builder().name(tenant).permits(PERMITS)
                .queueLength(QUEUE).queueTimeout(Duration.ofMillis(300)).qos(qos).build()).build();
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/work", RouteOptions.builder()
                        .partition(req -> req.header("X-Tenant").orElseThrow())
                        .limit(limit).build(), (req, res) -> {
                            AtomicInteger now = running.computeIfAbsent(req.header("X-Tenant").orElseThrow(), t -> new AtomicInteger());
                            now.incrementAndGet();
                            try {
                                proceed.acquire();
                            } finally {
                                now.decrementAndGet();
                            }
                            res.send("done");
                        }))
                .build().start();
    }

    @AfterEach
    void stop() throws Exception {
        proceed.release(1_000);
        for (RawConnection c : connections) {
            c.close();
        }
        server.close();
    }

    private List<RawConnection> send(String tenant, int n) throws Exception {
        List<RawConnection> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RawConnection c = new RawConnection(server.port(), 10_000);
            connections.add(c);
            sent.add(c.send("GET /work HTTP/1.1\r\nHost: x\r\nX-Tenant: " + tenant + "\r\n\r\n"));
        }
        return sent;
    }

    private int running(String tenant) {
        AtomicInteger n = running.get(tenant);
        return n == null ? 0 : n.get();
    }

    /** Sends 6 requests per tenant at {@code level}; checks how many run; lets them all finish. */
    private void check(QosLevel level, int expectedRunning) throws Exception {
        qos.level(level);
        List<RawConnection> a = send("a", 6);
        List<RawConnection> b = send("b", 6);
        Await.until(Duration.ofSeconds(5), () -> limit.stats().inFlight() + limit.stats().queued() == 12,
                level + ": all twelve admitted or queued: " + limit.partitions());
        Await.until(Duration.ofSeconds(5), () -> running("a") == expectedRunning && running("b") == expectedRunning,
                level + ": " + expectedRunning + " running per tenant; " + running);
        assertEquals(2 * (6 - expectedRunning), limit.stats().queued(), level + ": the rest wait");
        if (level == QosLevel.PAUSED) {
            qos.level(QosLevel.NORMAL); // resumes: the queued ones start
            Await.until(Duration.ofSeconds(5), () -> running("a") == PERMITS && running("b") == PERMITS, "resumed: " + running);
        }
        proceed.release(12);
        for (RawConnection c : a) {
            assertEquals(200, c.read().status(), level + ": a's requests all answered");
        }
        for (RawConnection c : b) {
            assertEquals(200, c.read().status(), level + ": b's requests all answered");
        }
        Await.until(Duration.ofSeconds(5), () -> limit.stats().inFlight() == 0 && limit.stats().queued() == 0, "drained");
    }

    @Test
    void normalRunsEveryPermit() throws Exception {
        check(QosLevel.NORMAL, PERMITS);
    }

    @Test
    void slowRunsHalf() throws Exception {
        check(QosLevel.SLOW, PERMITS / 2);
    }

    @Test
    void crawlRunsOnePerPartition() throws Exception {
        check(QosLevel.CRAWL, 1);
    }

    @Test
    void pausedRunsNoneAndDropsNothingUntilTheQueueIsFull() throws Exception {
        check(QosLevel.PAUSED, 0);
        // Paused, waiting longer than the queue timeout (300 ms) does not turn a request away.
        qos.level(QosLevel.PAUSED);
        List<RawConnection> held = send("a", QUEUE);
        Await.until(Duration.ofSeconds(5), () -> limit.stats().queued() == QUEUE, "the queue fills");
        RawConnection over = send("a", 1).getFirst();
        RawConnection.Reply refused = over.read();
        assertEquals(503, refused.status(), "past the queue bound, refused");
        assertTrue(refused.text().contains("queue is full"), refused.text());
        long since = System.nanoTime();
        Await.until(Duration.ofSeconds(5), () -> System.nanoTime() - since > Duration.ofMillis(600).toNanos(),
                "twice the queue timeout passes");
        assertEquals(QUEUE, limit.stats().queued(), "nobody left the queue while paused");
        assertEquals(0, limit.stats().timedOut());
        qos.level(QosLevel.NORMAL);
        proceed.release(QUEUE);
        for (RawConnection c : held) {
            assertEquals(200, c.read().status());
        }
    }
}
