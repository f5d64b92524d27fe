package dev.strand.reactor.tcp;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler for tests that records what happens to its connection: each event, the bytes received,
 * how often unbind ran, and any callback that ran off the connection's loop.
 */
class Recorder implements ConnectionHandler {

    final CompletableFuture<Connection> initialised = new CompletableFuture<>();
    final CompletableFuture<Connection> completed = new CompletableFuture<>();
    final CompletableFuture<CloseReason> unbound = new CompletableFuture<>();
    final CompletableFuture<Connection> handshaken = new CompletableFuture<>();
    /** The callbacks other than receiveData and drained, in order. */
    final List<String> events = new CopyOnWriteArrayList<>();
    final AtomicInteger unbinds = new AtomicInteger();
    final AtomicInteger drains = new AtomicInteger();
    final List<String> offLoop = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    volatile long initialisedAt;
    volatile long unboundAt;

    @Override
    public void postInit(Connection connection) {
        checkLoop(connection, "postInit");
        initialisedAt = System.nanoTime();
        events.add("postInit");
        initialised.complete(connection);
    }

    @Override
    public void connectionCompleted(Connection connection) {
        checkLoop(connection, "connectionCompleted");
        events.add("connectionCompleted");
        completed.complete(connection);
    }

    @Override
    public void handshakeCompleted(Connection connection) {
        checkLoop(connection, "handshakeCompleted");
        events.add("handshakeCompleted");
        handshaken.complete(connection);
    }

    @Override
    public void receiveData(Connection connection, ByteBuffer data) {
        checkLoop(connection, "receiveData");
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        synchronized (received) {
            received.writeBytes(bytes);
            received.notifyAll();
        }
    }

    @Override
    public void drained(Connection connection) {
        checkLoop(connection, "drained");
        drains.incrementAndGet();
    }

    @Override
    public void unbind(Connection connection, CloseReason reason) {
        checkLoop(connection, "unbind");
        unboundAt = System.nanoTime();
        events.add("unbind");
        unbinds.incrementAndGet();
        unbound.complete(reason);
    }

    private void checkLoop(Connection connection, String callback) {
        if (!connection.loop().inLoop()) {
            offLoop.add(callback + " on " + Thread.currentThread());
        }
    }

    /** Waits up to 5 s until at least {@code n} bytes were received; returns all received so far. */
    byte[] awaitBytes(int n) throws InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(5);
        synchronized (received) {
            while (received.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("received " + received.size() + " of " + n + " bytes within 5 s");
                }
                received.wait(Math.max(1, left / 1_000_000));
            }
            return received.toByteArray();
        }
    }

    int receivedSize() {
        synchronized (received) {
            return received.size();
        }
    }

    CloseReason awaitUnbind() throws Exception {
        return unbound.get(5, SECONDS);
    }
}
