package dev.strand.http;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.spi.Transport;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Transport} in memory whose client sends a fixed script of bytes (then, optionally, ends
 * its stream) and keeps everything the server writes. Readiness is reported like a level-triggered
 * selector: after any change, on the loop, in a task of its own. Notes every call made off a loop.
 * Transport methods on the loop; {@link #closed()} and {@link #offLoopCalls()} from any thread.
 */
final class ScriptedTransport implements Transport {

    private final ByteBuffer input;
    private final boolean endAfterInput;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final List<String> offLoopCalls = new CopyOnWriteArrayList<>();
    private EventLoop loop;
    private Events events;
    private boolean wantsRead;
    private boolean wantsWrite;
    private boolean reportQueued;
    private boolean isClosed;

    ScriptedTransport(String script, boolean endAfterInput) {
        this.input = ByteBuffer.wrap(script.getBytes(StandardCharsets.ISO_8859_1));
        this.endAfterInput = endAfterInput;
    }

    /** Completes with everything the server wrote once the transport is closed. */
    CompletableFuture<String> closed() {
        return closed;
    }

    /** The methods called off a loop, which should be none. */
    List<String> offLoopCalls() {
        return offLoopCalls;
    }

    private void onLoop(String method) {
        if (EventLoop.current().isEmpty()) {
            offLoopCalls.add(method + " on " + Thread.currentThread());
        }
    }

    @Override
    public void open(Events events) {
        onLoop("open");
        this.loop = EventLoop.current().orElseThrow();
        this.events = events;
    }

    @Override
    public int read(ByteBuffer into) {
        onLoop("read");
        if (!input.hasRemaining()) {
            return endAfterInput ? -1 : 0;
        }
        int n = Math.min(into.remaining(), input.remaining());
        into.put(input.slice(input.position(), n));
        input.position(input.position() + n);
        return n;
    }

    @Override
    public int write(ByteBuffer from) {
        onLoop("write");
        int n = from.remaining();
        byte[] bytes = new byte[n];
        from.get(bytes);
        output.writeBytes(bytes);
        return n;
    }

    @Override
    public long write(ByteBuffer[] from, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += write(from[i]);
        }
        return n;
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws java.io.IOException {
        ByteBuffer piece = ByteBuffer.allocate((int) Math.min(count, 64 * 1024));
        int n = file.read(piece, position);
        return n <= 0 ? 0 : write(piece.flip());
    }

    @Override
    public void shutdownOutput() {
        onLoop("shutdownOutput");
    }

    @Override
    public void interest(boolean read, boolean write) {
        onLoop("interest");
        wantsRead = read;
        wantsWrite = write;
        reportLater();
    }

    /** Reports readiness in a task of its own, as a selector would in the loop's next I/O phase. */
    private void reportLater() {
        if (!reportQueued && !isClosed && (readable() || wantsWrite)) {
            reportQueued = true;
            loop.execute(this::report);
        }
    }

    private boolean readable() {
        return wantsRead && (input.hasRemaining() || endAfterInput);
    }

    private void report() {
        reportQueued = false;
        if (isClosed) {
            return;
        }
        boolean readable = readable();
        boolean writable = wantsWrite;
        if (readable || writable) {
            events.ready(readable, writable);
            reportLater(); // level-triggered: still ready, reported again
        }
    }

    @Override
    public void close() {
        onLoop("close");
        isClosed = true;
        closed.complete(output.toString(StandardCharsets.ISO_8859_1));
    }

    @Override
    public Optional<InetSocketAddress> remoteAddress() {
        return Optional.empty();
    }

    @Override
    public Optional<InetSocketAddress> localAddress() {
        return Optional.empty();
    }
}
