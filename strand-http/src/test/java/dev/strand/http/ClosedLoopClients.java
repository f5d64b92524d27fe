package dev.strand.http;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Clients for load in the admission tests: each sends one request at a time on its own keep-alive
 * connection, on a platform thread (so that the JDK's virtual-thread scheduler, which the server's
 * fibers may use, is not what is measured), and records every answer's status and round trip. A
 * client that gets a 503 waits {@code afterReject} before its next request, like a client that backs
 * off; a broken connection is reopened and counted.
 */
final class ClosedLoopClients implements AutoCloseable {

    /** One answer: its status and round trip. */
    record Sample(int status, long nanos) {
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    final AtomicLong broken = new AtomicLong();

    /** Starts {@code clients} clients sending {@code request} to {@code port} until closed. */
    ClosedLoopClients(int port, int clients, String request, Duration afterReject) {
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofPlatform().daemon().name("load-" + i).start(() -> run(port, request, afterReject)));
        }
    }

    private void run(int port, String request, Duration afterReject) {
        while (!stop.get()) {
            try (RawConnection c = new RawConnection(port, 10_000)) {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    RawConnection.Reply reply = c.send(request).read();
                    samples.add(new Sample(reply.status(), System.nanoTime() - t0));
                    if ("close".equalsIgnoreCase(reply.header("Connection"))) {
                        break;
                    }
                    if (reply.status() == 503 && !afterReject.isZero()) {
                        LockSupport.parkNanos(afterReject.toNanos()); // backing off, not waiting for a condition
                    }
                }
            } catch (IOException e) {
                if (!stop.get()) {
                    broken.incrementAndGet();
                }
            }
        }
    }

    /** Stops every client and waits for it. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(15_000);
        }
    }

    /** Sequential requests from one connection: their round trips, after checking each status. */
    static long[] sequential(int port, String request, int count, int expectedStatus) throws IOException {
        long[] nanos = new long[count];
        try (RawConnection c = new RawConnection(port, 10_000)) {
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                RawConnection.Reply reply = c.send(request).read();
                nanos[i] = System.nanoTime() - t0;
                if (reply.status() != expectedStatus) {
                    throw new AssertionError("expected " + expectedStatus + ", got " + reply.status() + ": " + reply.text());
                }
            }
        }
        return nanos;
    }

    /** The {@code p}-th percentile (0 to 100) of {@code nanos}, in milliseconds. */
    static double percentileMs(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** The round trips of the samples with {@code status}. */
    long[] nanosOf(int status) {
        return samples.stream().filter(s -> s.status() == status).mapToLong(Sample::nanos).toArray();
    }

    long count(int status) {
        return samples.stream().filter(s -> s.status() == status).count();
    }
}
