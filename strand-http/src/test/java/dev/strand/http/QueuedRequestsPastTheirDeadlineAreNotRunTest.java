package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.admission.FixedLimit;
import dev.strand.admission.Limit;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A request that waits in its route's queue until its deadline (or the queue timeout) passes is
 * answered {@code 503} and its handler never runs, not even once a permit frees; a request that
 * leaves the queue that way or whose client goes away gives its place back.
 */
class QueuedRequestsPastTheirDeadlineAreNotRunTest {

    @Test
    void aQueuedRequestPastItsDeadlineIsAnswered503AndNeverRun() throws Exception {
        Limit limit = FixedLimit.builder().name("one").permits(1).queueLength(10)
                .queueTimeout(Duration.ofSeconds(60)).build();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/hold", RouteOptions.builder().limit(limit).build(), (req, res) -> {
                    runs.incrementAndGet();
                    release.await();
                    res.send("held");
                }).get("/quick", RouteOptions.builder().limit(limit).deadline(Duration.ofMillis(150)).build(), (req, res) -> {
                    runs.incrementAndGet();
                    res.send("quick");
                })).build().start();
             RawConnection holder = new RawConnection(server.port(), 10_000);
             RawConnection late = new RawConnection(server.port(), 10_000)) {
            holder.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
            Await.until(Duration.ofSeconds(5), () -> runs.get() == 1, "the holder runs");
            long t0 = System.nanoTime();
            RawConnection.Reply reply = late.send("GET /quick HTTP/1.1\r\nHost: x\r\n\r\n").read();
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(503, reply.status());
            assertTrue(reply.text().contains("deadline"), reply.text());
            assertEquals("1", reply.header("Retry-After"));
            assertTrue(waitedMs >= 140, "answered when the deadline passed, not before: " + waitedMs + " ms");
            assertEquals(1, limit.stats().expired());
            assertEquals(0, limit.stats().queued());
            release.countDown();
            assertEquals(200, holder.read().status());
            // The late request's place is gone: the next one runs at once.
            assertEquals(200, late.send("GET /quick HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            assertEquals(2, runs.get(), "the request that expired in the queue never ran");
            Await.until(Duration.ofSeconds(5), () -> limit.stats().inFlight() == 0, "permits back: " + limit.stats());
        }
    }

    @Test
    void aRequestThatWaitsItsQueueTimeoutIsAnswered503() throws Exception {
        Limit limit = FixedLimit.builder().name("one").permits(1).queueLength(10)
                .queueTimeout(Duration.ofMillis(100)).build();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.post("/hold", RouteOptions.builder().limit(limit).build(),
                        Handler.async((req, res) -> {
                            runs.incrementAndGet();
                            return java.util.concurrent.CompletableFuture.runAsync(() -> {
                                try {
                                    release.await();
                                } catch (InterruptedException e) {
                                    throw new IllegalStateException(e);
                                }
                                res.send("held " + req.body().asString());
                            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
                        }))).build().start();
             RawConnection holder = new RawConnection(server.port(), 10_000);
             RawConnection waiter = new RawConnection(server.port(), 10_000)) {
            holder.send("POST /hold HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
            Await.until(Duration.ofSeconds(5), () -> runs.get() == 1, "the holder runs");
            RawConnection.Reply reply = waiter.send("POST /hold HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nyo").read();
            assertEquals(503, reply.status());
            assertTrue(reply.text().contains("timed out in the queue"), reply.text());
            assertEquals(1, limit.stats().timedOut());
            release.countDown();
            RawConnection.Reply held = holder.read();
            assertEquals("held hi", held.text());
            assertEquals(1, runs.get());
        }
    }

    @Test
    void aClientThatLeavesTheQueueFreesItsPlace() throws Exception {
        Limit limit = FixedLimit.builder().name("one").permits(1).queueLength(1)
                .queueTimeout(Duration.ofSeconds(60)).build();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/hold", RouteOptions.builder().limit(limit).build(), (req, res) -> {
                    runs.incrementAndGet();
                    if (req.query("wait").isPresent()) {
                        release.await();
                    }
                    res.send("ok");
                })).build().start();
             RawConnection holder = new RawConnection(server.port(), 10_000)) {
            holder.send("GET /hold?wait HTTP/1.1\r\nHost: x\r\n\r\n");
            Await.until(Duration.ofSeconds(5), () -> runs.get() == 1, "the holder runs");
            for (int i = 0; i < 20; i++) { // each leaves; the queue of one must not stay full
                try (RawConnection leaver = new RawConnection(server.port(), 10_000)) {
                    leaver.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n");
                    Await.until(Duration.ofSeconds(5), () -> limit.stats().queued() == 1, "queued");
                }
                Await.until(Duration.ofSeconds(5), () -> limit.stats().queued() == 0, "the closed client's place is freed");
            }
            release.countDown();
            assertEquals(200, holder.read().status());
            Await.until(Duration.ofSeconds(5), () -> limit.stats().inFlight() == 0, "permits back: " + limit.stats());
            assertEquals(1, runs.get(), "no request of a client that left ran");
            assertEquals(0, limit.stats().rejected());
        }
    }

    @Test
    void anAdmittedLoopRequestWhoseClientLeavesBeforeItsBodyGivesItsPermitBack() throws Exception {
        Limit limit = FixedLimit.builder().name("one").permits(1).queueLength(0).build();
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.post("/upload", RouteOptions.builder().limit(limit).dispatch(DispatchMode.NON_BLOCKING).build(),
                        (req, res) -> res.send("got " + req.body().asString().length()))).build().start()) {
            try (RawConnection c = new RawConnection(server.port(), 10_000)) {
                c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part");
                Await.until(Duration.ofSeconds(5), () -> limit.stats().inFlight() == 1, "admitted at the head");
            }
            Await.until(Duration.ofSeconds(5), () -> limit.stats().inFlight() == 0, "the permit comes back: " + limit.stats());
            try (RawConnection c = new RawConnection(server.port(), 10_000)) {
                assertEquals("got 4", c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nfull").read().text());
            }
        }
    }
}
