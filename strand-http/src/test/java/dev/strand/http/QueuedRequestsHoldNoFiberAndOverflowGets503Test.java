package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.admission.FixedLimit;
import dev.strand.admission.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A route with a limit runs as many requests as the limit has permits, holds the next ones in its
 * queue without starting their handlers (nor their fibers), and answers the rest {@code 503} with
 * {@code Retry-After} at once. Queued requests run, in order, as permits come back; every permit
 * comes back. The same holds for a fiber route and for an async (loop) route.
 */
class QueuedRequestsHoldNoFiberAndOverflowGets503Test {

    private static final int PERMITS = 2;
    private static final int QUEUE = 3;

    private HttpServer server;
    private final List<RawConnection> connections = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (RawConnection c : connections) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private RawConnection open() throws Exception {
        RawConnection c = new RawConnection(server.port(), 10_000);
        connections.add(c);
        return c;
    }

    @Test
    void aFiberRouteQueuesThenRejects() throws Exception {
        Limit limit = FixedLimit.builder().name("slow").permits(PERMITS).queueLength(QUEUE)
                .queueTimeout(Duration.ofSeconds(30)).build();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger fibers = new AtomicInteger();
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        // One loop: permits are granted in queue order, and fibers on one loop start in that order.
        server = HttpServer.builder().host("127.0.0.1").port(0).config(c -> c.loops(1))
                .routing(r -> r.get("/slow", RouteOptions.builder().limit(limit).build(), (req, res) -> {
                    if (Thread.currentThread().isVirtual()) {
                        fibers.incrementAndGet();
                    }
                    started.incrementAndGet();
                    order.add(req.query("n").orElseThrow());
                    release.await();
                    res.send("done " + req.query("n").orElseThrow());
                }).get("/free", (req, res) -> res.send("free")))
                .build().start();
        checkQueueThenReject(limit, started, release, () -> fibers.get());
        assertEquals(List.of("0", "1", "2", "3", "4"), List.copyOf(order), "queued requests run first come, first served");
    }

    @Test
    void anAsyncLoopRouteQueuesThenRejects() throws Exception {
        Limit limit = FixedLimit.builder().name("async").permits(PERMITS).queueLength(QUEUE)
                .queueTimeout(Duration.ofSeconds(30)).build();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                release.await();
                gate.complete(null);
            } catch (InterruptedException e) {
                gate.completeExceptionally(e);
            }
        });
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/slow", RouteOptions.builder().limit(limit).build(), Handler.async((req, res) -> {
                    started.incrementAndGet();
                    String n = req.query("n").orElseThrow();
                    return gate.thenRun(() -> res.send("done " + n));
                })).get("/free", (req, res) -> res.send("free")))
                .build().start();
        checkQueueThenReject(limit, started, release, started::get);
    }

    /**
     * Fills the limit and its queue, checks what ran and what waits, that the next request is
     * rejected fast, that other routes are served meanwhile, and that everything queued completes.
     */
    private void checkQueueThenReject(Limit limit, AtomicInteger started, CountDownLatch release,
                                      java.util.function.IntSupplier handlerThreads) throws Exception {
        List<RawConnection> admitted = new ArrayList<>();
        for (int n = 0; n < PERMITS + QUEUE; n++) {
            RawConnection c = open().send("GET /slow?n=" + n + " HTTP/1.1\r\nHost: x\r\n\r\n");
            admitted.add(c);
            int expectedInFlight = Math.min(n + 1, PERMITS);
            int expectedQueued = Math.max(0, n + 1 - PERMITS);
            Await.until(Duration.ofSeconds(5), () -> limit.stats().inFlight() == expectedInFlight
                    && limit.stats().queued() == expectedQueued, "request " + n + " admitted or queued: " + limit.stats());
        }
        Await.until(Duration.ofSeconds(5), () -> started.get() == PERMITS, "the admitted handlers started");
        assertEquals(PERMITS, handlerThreads.getAsInt(), "queued requests start no handler and no fiber");

        // Past the queue: 503 with Retry-After, on a keep-alive connection that stays usable.
        RawConnection rejected = open();
        long[] nanos = new long[200];
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            RawConnection.Reply reply = rejected.send("GET /slow?n=x HTTP/1.1\r\nHost: x\r\n\r\n").read();
            nanos[i] = System.nanoTime() - t0;
            assertEquals(503, reply.status());
            assertEquals("1", reply.header("Retry-After"));
            assertTrue(reply.text().contains("queue is full"), reply.text());
            assertFalse("close".equalsIgnoreCase(reply.header("Connection")), "a rejection keeps the connection");
        }
        Arrays.sort(nanos);
        long median = nanos[nanos.length / 2];
        assertTrue(median < TimeUnit.MILLISECONDS.toNanos(1), "a rejection's round trip (median) took " + median / 1000 + " µs");
        assertEquals(PERMITS, started.get(), "no rejected request reached the handler");
        assertEquals(200, rejected.send("GET /free HTTP/1.1\r\nHost: x\r\n\r\n").read().status(), "other routes are served");

        release.countDown();
        for (int n = 0; n < admitted.size(); n++) {
            RawConnection.Reply reply = admitted.get(n).read();
            assertEquals(200, reply.status());
            assertEquals("done " + n, reply.text());
        }
        Await.until(Duration.ofSeconds(5), () -> limit.stats().inFlight() == 0 && limit.stats().queued() == 0,
                "every permit given back: " + limit.stats());
        assertEquals(PERMITS + QUEUE, limit.stats().admitted());
        assertEquals(200, limit.stats().rejected());
    }
}
