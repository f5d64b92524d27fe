package dev.strand.reactor;

import dev.strand.reactor.spi.IoHandler;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class ReadyChannelRunsItsHandlerOnTheLoopTest {

    private Reactor reactor;
    private EventLoop loop;
    private Thread loopThread;
    private Pipe pipe;

    @BeforeEach
    void start() throws IOException {
        reactor = Reactor.builder().loops(1).name("io").build();
        loop = reactor.loops().getFirst();
        loopThread = Loops.thread(loop);
        pipe = Pipe.open();
    }

    @AfterEach
    void stop() throws IOException {
        reactor.close();
        pipe.sink().close();
        pipe.source().close();
    }

    private void write(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(US_ASCII));
        while (bytes.hasRemaining()) {
            pipe.sink().write(bytes);
        }
    }

    @RepeatedTest(3)
    void writingToThePipeRunsTheHandlerOnTheLoopAndItReadsTheBytes() throws Exception {
        String message = "hello, loop";
        StringBuilder received = new StringBuilder(); // loop-confined
        CompletableFuture<String> all = new CompletableFuture<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate(64);
        IoHandler handler = key -> {
            if (Thread.currentThread() != loopThread || !loop.inLoop()) {
                problems.add("ran on " + Thread.currentThread().getName());
            }
            if (!key.isReadable()) {
                problems.add("ready but not readable: " + key.readyOps());
            }
            try {
                buffer.clear();
                int n = pipe.source().read(buffer);
                received.append(new String(buffer.array(), 0, Math.max(0, n), US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (received.length() >= message.length()) {
                all.complete(received.toString());
            }
        };
        SelectionKey key = Loops.call(loop, () -> loop.register(pipe.source(), SelectionKey.OP_READ, handler));
        assertFalse(pipe.source().isBlocking(), "register makes the channel non-blocking");
        assertSame(handler, key.attachment());

        write(message.substring(0, 5));
        write(message.substring(5));

        assertEquals(message, all.get(5, SECONDS));
        assertEquals(List.of(), problems);
    }

    @Test
    void registerRequiresTheLoop() {
        assertThrows(IllegalStateException.class, () -> loop.register(pipe.source(), SelectionKey.OP_READ, key -> { }));
    }

    @Test
    void registeringAClosedChannelFails() throws Exception {
        pipe.source().close();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                loop.register(pipe.source(), SelectionKey.OP_READ, key -> { });
                failure.complete(null);
            } catch (RuntimeException e) {
                failure.complete(e);
            }
        });
        assertInstanceOf(UncheckedIOException.class, failure.get(5, SECONDS));
    }

    @Test
    void aHandlerThatThrowsGetsItsChannelClosedAndTheLoopGoesOn() throws Exception {
        RuntimeException boom = new IllegalStateException("boom (expected by the test)");
        AtomicInteger readyCalls = new AtomicInteger();
        AtomicInteger closedCalls = new AtomicInteger();
        CompletableFuture<Throwable> closedWith = new CompletableFuture<>();
        CompletableFuture<Thread> closedOn = new CompletableFuture<>();
        IoHandler handler = new IoHandler() {
            @Override
            public void ready(SelectionKey key) {
                readyCalls.incrementAndGet();
                throw boom;
            }

            @Override
            public void closed(Throwable cause) {
                closedCalls.incrementAndGet();
                closedOn.complete(Thread.currentThread());
                closedWith.complete(cause);
            }
        };
        SelectionKey key = Loops.call(loop, () -> loop.register(pipe.source(), SelectionKey.OP_READ, handler));

        write("x");

        assertSame(boom, closedWith.get(5, SECONDS), "closed(cause) gets what ready threw");
        assertSame(loopThread, closedOn.get(5, SECONDS));
        assertFalse(pipe.source().isOpen(), "the failed handler's channel is closed");
        assertFalse(key.isValid(), "the failed handler's key is cancelled");

        // The loop goes on: a task runs, and another channel is served.
        assertSame(loopThread, Loops.thread(loop));
        Pipe second = Pipe.open();
        try {
            CountDownLatch served = new CountDownLatch(1);
            Loops.run(loop, () -> loop.register(second.source(), SelectionKey.OP_READ, k -> {
                try {
                    second.source().read(ByteBuffer.allocate(8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                served.countDown();
            }));
            second.sink().write(ByteBuffer.wrap(new byte[] {1}));
            assertTrue(served.await(5, SECONDS), "a second channel was not served after a handler failed");
        } finally {
            second.sink().close();
            second.source().close();
        }
        assertEquals(1, readyCalls.get());
        assertEquals(1, closedCalls.get());
    }

    @Test
    void stoppingTheReactorClosesRegisteredChannels() throws Exception {
        CompletableFuture<Throwable> closedWith = new CompletableFuture<>();
        Loops.run(loop, () -> loop.register(pipe.source(), SelectionKey.OP_READ, new IoHandler() {
            @Override
            public void ready(SelectionKey key) {
            }

            @Override
            public void closed(Throwable cause) {
                closedWith.complete(cause);
            }
        }));

        assertTrue(reactor.stop(Duration.ofSeconds(5)));
        assertInstanceOf(ClosedChannelException.class, closedWith.get(5, SECONDS));
        assertFalse(pipe.source().isOpen());
    }
}
