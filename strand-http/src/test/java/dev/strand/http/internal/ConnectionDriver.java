package dev.strand.http.internal;

import dev.strand.http.HttpServer;
import dev.strand.http.Routing;
import dev.strand.http.ServerConfig;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Fiber;
import java.time.Duration;
import dev.strand.reactor.Reactor;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Drives HTTP/1.1 connections over {@link MemoryTransport}s: a real server and loop (so handlers,
 * fibers and end-of-turn flushes behave as in production), but no sockets between the test and the
 * connection's state machine. Call from the test thread, never from the loop.
 */
final class ConnectionDriver implements AutoCloseable {

    private final Reactor reactor;
    private final StrandServer server;
    private final EventLoop loop;

    ConnectionDriver(Consumer<Routing> routing, Consumer<ServerConfig.Builder> config) {
        // The fuzzers drive whole cases from a fiber on this loop, computing there by design: the
        // reactor's stall watchdog would report their long turns, which are the harness's, not the server's.
        reactor = Reactor.builder().loops(1).name("driver").stallWatchdog(false).build();
        loop = reactor.loops().getFirst();
        server = (StrandServer) HttpServer.builder().host("127.0.0.1").port(0).reactor(reactor)
                .config(config).routing(routing).build().start();
    }

    /** A new connection whose client takes {@code window} bytes before it stops reading. */
    MemoryTransport connect(long window) {
        return onLoop(() -> {
            MemoryTransport transport = new MemoryTransport(window);
            transport.attached(server.serve(loop, transport));
            return transport;
        });
    }

    /**
     * Runs {@code body} on a fiber the loop carries, and waits for it: the driver's calls made there
     * need no hand-off between threads, and a turn ends with a one-nanosecond {@link Fiber#sleep}
     * rather than a round trip (many times faster, which is what a fuzzer needs).
     */
    <T> T onFiber(Supplier<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.startFiber(() -> {
            try {
                result.complete(body.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return await(result);
    }

    /** Runs {@code action} on the loop (at once when already there) and returns its result. */
    <T> T onLoop(Supplier<T> action) {
        if (loop.inLoop()) {
            return action.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(action.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return await(result);
    }

    private static <T> T await(CompletableFuture<T> result) {
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("the loop did not answer", e);
        }
    }

    void run(MemoryTransport transport, Consumer<MemoryTransport> action) {
        onLoop(() -> {
            action.accept(transport);
            return null;
        });
    }

    /**
     * Delivers readiness events turn by turn until the connection is quiet: no event and no byte
     * written for a few turns in a row (which lets fibers and end-of-turn flushes finish). Fails when
     * it never gets quiet.
     *
     * @return the turns it took
     */
    int settle(MemoryTransport transport) {
        int quietTurns = 0;
        long writtenBefore = -1;
        for (int turn = 1; turn <= 100_000; turn++) {
            // Quiet: no event to deliver, and nothing written since the last turn (fibers answering
            // pipelined requests write without any event).
            long[] activity = onLoop(() -> new long[] {transport.pump() ? 1 : 0, transport.writtenCount()});
            boolean active = activity[0] == 1 || activity[1] != writtenBefore;
            writtenBefore = activity[1];
            quietTurns = active ? 0 : quietTurns + 1;
            if (quietTurns == 3) {
                return turn;
            }
            if (loop.inLoop()) {
                endTurn();
            }
        }
        throw new AssertionError("the connection never got quiet: it keeps asking for events it cannot use");
    }

    /** From a fiber on the loop: lets the loop finish this turn (end-of-turn flushes, fibers) and start the next. */
    private static void endTurn() {
        try {
            Fiber.sleep(Duration.ofNanos(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while driving a connection", e);
        }
    }

    /** Open connections and the bytes they have not written, over the server. */
    long[] connectionsAndQueuedOutput() {
        return server.connectionsAndQueuedOutput();
    }

    @Override
    public void close() {
        server.close();
        reactor.close();
    }
}
