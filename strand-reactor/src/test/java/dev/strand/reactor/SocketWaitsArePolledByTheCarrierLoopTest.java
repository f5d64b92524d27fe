package dev.strand.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** {@link LoopSocketFactory}: blocking socket code on a fiber, its waits polled by the carrier loop. */
class SocketWaitsArePolledByTheCarrierLoopTest {

    private Reactor reactor;
    private ServerSocket server;

    @BeforeEach
    void start() throws IOException {
        Assumptions.assumeTrue(Reactor.carrierHookAvailable(), "java.lang is not opened in this JVM");
        reactor = Reactor.builder().loops(2).fiberMode(FiberMode.LOOP_CARRIER).build();
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (reactor != null) {
            reactor.close();
        }
    }

    private <T> T onFiber(EventLoop loop, Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.startFiber(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** The server's next accepted socket, accepted on another thread. */
    private CompletableFuture<Socket> acceptLater() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return server.accept();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Waits (at most 5 s) until a loop socket's channel is registered with {@code loop}: a fiber waits on it. */
    private static void awaitASocketWaitOn(EventLoop loop) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Loops.call(loop, () -> loop.handlers().stream().noneMatch(LoopSocketImpl.class::isInstance))) {
            assertTrue(System.nanoTime() < until, "no fiber's socket ever waited on " + loop);
            Thread.onSpinWait();
        }
    }

    private Socket connect() throws IOException {
        return LoopSocketFactory.create().createSocket(server.getInetAddress(), server.getLocalPort());
    }

    @RepeatedTest(5)
    void aFiberWaitingForBytesIsRegisteredWithItsLoopAndResumesThere() throws Exception {
        EventLoop loop = reactor.loops().get(1);
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Socket> accepted = acceptLater();
        CompletableFuture<Object[]> read = new CompletableFuture<>();
        loop.startFiber(() -> {
            try (Socket socket = connect()) {
                waiting.countDown();
                byte[] bytes = socket.getInputStream().readNBytes(5);
                read.complete(new Object[] {new String(bytes), loop.inLoop()});
            } catch (Throwable t) {
                read.completeExceptionally(t);
            }
        });
        assertTrue(waiting.await(5, TimeUnit.SECONDS));
        Socket peer = accepted.get(5, TimeUnit.SECONDS);
        // The fiber is parked in read (nothing sent yet): the loop's own selector polls its channel.
        awaitASocketWaitOn(loop);
        assertTrue(Loops.call(reactor.loops().get(0),
                () -> reactor.loops().get(0).handlers().stream().noneMatch(LoopSocketImpl.class::isInstance)),
                "registered with a loop that does not carry the fiber");
        peer.getOutputStream().write("hello".getBytes());
        Object[] r = read.get(5, TimeUnit.SECONDS);
        assertEquals("hello", r[0]);
        assertEquals(true, r[1], "resumed off its loop");
        peer.close();
    }

    @Test
    void aSocketUsedByFibersOfTwoLoopsInTurnKeepsOneRegistrationPerLoop() throws Exception {
        CompletableFuture<Socket> accepted = acceptLater();
        try (Socket socket = connect(); Socket peer = accepted.get(5, TimeUnit.SECONDS)) {
            for (int round = 0; round < 40; round++) {
                EventLoop loop = reactor.loops().get(round % 2);
                int sent = 'a' + round % 26;
                CompletableFuture<Integer> echoed = new CompletableFuture<>();
                loop.startFiber(() -> {
                    try {
                        echoed.complete(socket.getInputStream().read()); // waits: polled by this fiber's loop
                    } catch (Throwable t) {
                        echoed.completeExceptionally(t);
                    }
                });
                // The byte goes only once the socket is registered with this loop: the first round on
                // each loop surely waits there (later rounds find the registration already made).
                awaitASocketWaitOn(loop);
                peer.getOutputStream().write(sent);
                assertEquals(sent, echoed.get(5, TimeUnit.SECONDS));
            }
            int registered = ((LoopSocketFactory.LoopSocket) socket).registeredLoops();
            assertEquals(2, registered, registered + " registrations for 2 loops and 40 moves");
        }
    }

    @Test
    void aMegabyteEachWayThroughAReaderSlowerThanTheWriter() throws Exception {
        byte[] payload = new byte[1 << 20];
        new Random(7).nextBytes(payload);
        Thread echo = Thread.ofPlatform().start(() -> {
            try (Socket peer = server.accept()) {
                InputStream in = peer.getInputStream();
                OutputStream out = peer.getOutputStream();
                byte[] chunk = new byte[1000];
                int n;
                while ((n = in.read(chunk)) > 0) {
                    out.write(chunk, 0, n); // small chunks: the fiber's writes outrun it and must wait
                }
            } catch (IOException ignored) {
                // the test fails on the other side
            }
        });
        EventLoop loop = reactor.loops().get(0);
        byte[] back = onFiber(loop, () -> {
            try (Socket socket = connect()) {
                // Write from a second fiber of the same loop while this one reads: both park on one key.
                CompletableFuture<Void> written = new CompletableFuture<>();
                loop.startFiber(() -> {
                    try {
                        socket.getOutputStream().write(payload);
                        socket.shutdownOutput();
                        written.complete(null);
                    } catch (Throwable t) {
                        written.completeExceptionally(t);
                    }
                });
                byte[] all = socket.getInputStream().readAllBytes();
                written.join();
                return all;
            }
        });
        assertArrayEquals(payload, back);
        echo.join(5000);
    }

    @Test
    void aReadPastItsTimeoutFailsAndTheSocketStaysUsable() throws Exception {
        CompletableFuture<Socket> accepted = acceptLater();
        EventLoop loop = reactor.loops().get(0);
        String after = onFiber(loop, () -> {
            try (Socket socket = connect()) {
                socket.setSoTimeout(50);
                long start = System.nanoTime();
                assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "timed out early");
                Socket peer = accepted.get(5, TimeUnit.SECONDS);
                peer.getOutputStream().write('x');
                socket.setSoTimeout(5000);
                int b = socket.getInputStream().read();
                peer.close();
                return String.valueOf((char) b);
            }
        });
        assertEquals("x", after);
    }

    @Test
    void closingFromAnotherThreadWakesTheReaderWithSocketClosed() throws Exception {
        CompletableFuture<Socket> accepted = acceptLater();
        EventLoop loop = reactor.loops().get(0);
        CompletableFuture<Socket> opened = new CompletableFuture<>();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        loop.startFiber(() -> {
            try {
                Socket socket = connect();
                opened.complete(socket);
                socket.getInputStream().read();
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        Socket socket = opened.get(5, TimeUnit.SECONDS);
        Socket peer = accepted.get(5, TimeUnit.SECONDS);
        awaitASocketWaitOn(loop);
        socket.close();
        Throwable t = failure.get(5, TimeUnit.SECONDS);
        assertInstanceOf(SocketException.class, t, "read ended with " + t);
        // The peer sees the close: the descriptor was released although the loop polled it.
        peer.setSoTimeout(5000);
        assertEquals(-1, peer.getInputStream().read());
        peer.close();
    }

    @Test
    void anInterruptedReaderClosesTheSocket() throws Exception {
        CompletableFuture<Socket> accepted = acceptLater();
        EventLoop loop = reactor.loops().get(0);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        CompletableFuture<Socket> opened = new CompletableFuture<>();
        Thread fiber = loop.startFiber(() -> {
            try {
                Socket socket = connect();
                opened.complete(socket);
                socket.getInputStream().read();
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        Socket socket = opened.get(5, TimeUnit.SECONDS);
        try (Socket peer = accepted.get(5, TimeUnit.SECONDS)) {
            awaitASocketWaitOn(loop);
            fiber.interrupt();
            Throwable t = failure.get(5, TimeUnit.SECONDS);
            assertInstanceOf(SocketException.class, t, "read ended with " + t);
            assertTrue(socket.isClosed(), "an interrupted wait must close the socket");
        }
    }

    @Test
    void platformThreadsAndJdkScheduledFibersUseTheSocketsToo() throws Exception {
        Thread echo = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 2; i++) {
                try (Socket peer = server.accept()) {
                    peer.getOutputStream().write(peer.getInputStream().readNBytes(4));
                } catch (IOException ignored) {
                    return;
                }
            }
        });
        for (Thread.Builder builder : new Thread.Builder[] {Thread.ofPlatform(), Thread.ofVirtual()}) {
            CompletableFuture<String> result = new CompletableFuture<>();
            builder.start(() -> {
                try (Socket socket = connect()) {
                    socket.getOutputStream().write("ping".getBytes());
                    result.complete(new String(socket.getInputStream().readNBytes(4)));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            assertEquals("ping", result.get(5, TimeUnit.SECONDS));
        }
        echo.join(5000);
    }

    @Test
    void aFiberWhoseLoopStopsWhileItWaitsFinishesElsewhere() throws Exception {
        CompletableFuture<Socket> accepted = acceptLater();
        EventLoop loop = reactor.loops().get(0);
        CompletableFuture<String> read = new CompletableFuture<>();
        loop.startFiber(() -> {
            try (Socket socket = connect()) {
                read.complete(new String(socket.getInputStream().readNBytes(3)));
            } catch (Throwable t) {
                read.completeExceptionally(t);
            }
        });
        Socket peer = accepted.get(5, TimeUnit.SECONDS);
        awaitASocketWaitOn(loop);
        assertTrue(reactor.stop(java.time.Duration.ofSeconds(5)));
        // The socket was the fiber's, not the loop's: still open, and its wait goes on elsewhere.
        peer.getOutputStream().write("abc".getBytes());
        assertEquals("abc", read.get(5, TimeUnit.SECONDS));
        peer.close();
    }

    @Test
    void aLoopThreadMayNotWaitOnASocket() throws Exception {
        CompletableFuture<Socket> accepted = acceptLater();
        try (Socket socket = connect(); Socket peer = accepted.get(5, TimeUnit.SECONDS)) {
            EventLoop loop = reactor.loops().get(0);
            // Nothing has been sent: the read would wait, which would stall the loop.
            Throwable t = Loops.call(loop, () -> {
                try {
                    return new AssertionError("read returned " + socket.getInputStream().read());
                } catch (Throwable e) {
                    return e;
                }
            });
            assertInstanceOf(IllegalStateException.class, t);
            // The refusal cost the socket nothing.
            peer.getOutputStream().write('y');
            assertEquals('y', socket.getInputStream().read());
        }
    }

    @Test
    void aRefusedConnectFailsAtOnce() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        EventLoop loop = reactor.loops().get(0);
        int p = port;
        Exception e = onFiber(loop, () -> {
            try {
                LoopSocketFactory.create().createSocket().connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 2000);
                return null;
            } catch (Exception x) {
                return x;
            }
        });
        assertInstanceOf(ConnectException.class, e);
    }
}
