package dev.strand.reactor.tcp;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Failure;
import dev.strand.reactor.spi.IoHandler;
import dev.strand.reactor.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Connection} over a non-blocking {@link SocketChannel} registered with its loop.
 *
 * <p>Its state is confined to the loop (no locks), but for what other threads may touch: the
 * queued-byte count (an atomic, so {@code sendData} can answer "over the watermark" from any
 * thread, counting bytes still on their way to the loop), and a few volatile flags. The out-queue
 * holds copies ({@link ByteBuffer}s) and files ({@link FileSend}); writes are coalesced at the end
 * of the loop's turn into one gathering write, and go on when the socket is writable again.
 */
final class TcpConnection implements Connection, IoHandler {

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    /** Reads per readiness, so one busy connection cannot starve the loop's others. */
    private static final int READS_PER_WAKEUP = 16;
    /** Buffers per gathering write. */
    private static final int MAX_GATHER = 16;

    private enum State { CONNECTING, OPEN, CLOSED }

    /** What became of bytes offered for writing. */
    enum Offer { QUEUED, OVER_HIGH_WATERMARK, DROPPED }

    private final Tcp tcp;
    private final EventLoop loop;
    private final ConnectionHandler handler;
    private final boolean outbound;
    private final Runnable flushTask = this::flush;

    // Any thread.
    private final AtomicLong queued = new AtomicLong();
    private final AtomicReference<BlockingView> blocking = new AtomicReference<>();
    /** Set by a send that went over the high watermark; cleared when drained is signalled. */
    private volatile boolean overHigh;
    /** Close or close-after-writing asked (or done): sends are dropped. */
    private volatile boolean closing;
    private volatile boolean paused;
    private volatile CloseReason closedWith;
    private volatile InetSocketAddress remote;
    private volatile InetSocketAddress local;

    // On the loop.
    private State state = State.CONNECTING;
    private SocketChannel channel;
    private SelectionKey key;
    private final ArrayDeque<Object> out = new ArrayDeque<>();
    private ByteBuffer[] gather;
    private boolean flushScheduled;
    /** The socket took less than offered: wait for writability instead of trying each turn. */
    private boolean writeArmed;
    /** Close once the queue is written, with this reason; null when not asked. */
    private CloseReason closeWhenWritten;
    private boolean peerEnded;
    private Timer connectTimer;
    private Timer inactivityTimer;
    private long lastActivity;
    private List<InetAddress> addresses = List.of();
    private int nextAddress;
    private int port;
    private InetSocketAddress target;
    private IOException connectFailure;
    /** The server that accepted this connection, told when it closes; null for outgoing ones. */
    private TcpListener server;

    TcpConnection(Tcp tcp, EventLoop loop, ConnectionHandler handler, boolean outbound) {
        this.tcp = tcp;
        this.loop = loop;
        this.handler = handler;
        this.outbound = outbound;
    }

    // ---- accepting -------------------------------------------------------------------------

    /** Makes a connection of {@code accepted} on {@code loop}, counted by {@code server} until it closes. On that loop. */
    static void accepted(Tcp tcp, EventLoop loop, SocketChannel accepted, TcpListener server) {
        SelectionKey key;
        try {
            if (!loop.inLoop()) {
                throw new RejectedExecutionException(loop + " has stopped");
            }
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, tcp.noDelay);
            // No interest until the handler exists: nothing can be dispatched to a missing one.
            key = loop.register(accepted, 0, null);
        } catch (IOException | UncheckedIOException | ClosedSelectorException | RejectedExecutionException e) {
            Tcp.closeQuietly(accepted);
            server.connectionClosed();
            tcp.failureLog.report("setup", System.Logger.Level.WARNING, server.setUpFailed, e);
            return;
        }
        ConnectionHandler handler;
        try {
            handler = Objects.requireNonNull(server.handlers.get(), "the connection handler factory returned null");
        } catch (Throwable t) {
            key.cancel();
            Tcp.closeQuietly(accepted);
            server.connectionClosed();
            loop.reportFailure(Failure.CONNECTION_HANDLER, t);
            return;
        }
        TcpConnection connection = new TcpConnection(tcp, loop, handler, false);
        connection.server = server;
        key.attach(connection);
        connection.opened(accepted, key);
    }

    private void opened(SocketChannel accepted, SelectionKey acceptedKey) {
        channel = accepted;
        key = acceptedKey;
        state = State.OPEN;
        try {
            remote = (InetSocketAddress) accepted.getRemoteAddress();
            local = (InetSocketAddress) accepted.getLocalAddress();
        } catch (IOException e) {
            closeNow(CloseReason.of(CloseReason.Kind.ERROR, e));
            return;
        }
        startInactivityTimer();
        try {
            handler.postInit(this);
        } catch (Throwable t) {
            handlerFailed(t);
            return;
        }
        afterOpen();
    }

    // ---- connecting ------------------------------------------------------------------------

    /** Begins an outgoing connect. On the loop (or, if it stopped meanwhile, wherever this runs). */
    void startConnect(String host, int port) {
        if (!loop.inLoop()) {
            closeNow(CloseReason.of(CloseReason.Kind.STOPPED));
            return;
        }
        this.port = port;
        try {
            handler.postInit(this);
        } catch (Throwable t) {
            handlerFailed(t);
            return;
        }
        if (state != State.CONNECTING) {
            return; // closed in postInit
        }
        armConnectTimer();
        Optional<InetAddress> literal = Tcp.literal(host);
        if (literal.isPresent()) {
            addresses = List.of(literal.get());
            attempt(0);
            return;
        }
        // Name look-ups block: on a virtual thread of the JDK's scheduler (which makes up for a
        // blocked carrier), never on a loop or a fiber it carries.
        Thread.ofVirtual().name("strand-tcp-resolve-" + host).start(() -> resolve(host));
    }

    /** On the resolving thread. */
    private void resolve(String host) {
        Runnable next;
        try {
            List<InetAddress> found = tcp.resolver.resolve(host);
            if (found.isEmpty()) {
                throw new UnknownHostException(host + ": no addresses");
            }
            List<InetAddress> all = List.copyOf(found);
            next = () -> resolved(all);
        } catch (Throwable t) {
            next = () -> {
                if (state == State.CONNECTING) {
                    closeNow(CloseReason.of(CloseReason.Kind.CONNECT_FAILED, t));
                }
            };
        }
        try {
            loop.execute(next);
        } catch (RejectedExecutionException e) {
            closeNow(CloseReason.of(CloseReason.Kind.STOPPED)); // the loop is gone: nothing else will
        }
    }

    private void resolved(List<InetAddress> found) {
        if (state != State.CONNECTING) {
            return; // timed out or closed while resolving
        }
        addresses = found;
        attempt(0);
    }

    /** Tries addresses from {@code index} on until one connects or is pending. On the loop. */
    private void attempt(int index) {
        for (int i = index; i < addresses.size(); i++) {
            if (i > 0) {
                armConnectTimer(); // each further address gets the whole timeout
            }
            target = new InetSocketAddress(addresses.get(i), port);
            nextAddress = i + 1;
            SocketChannel attempt = null;
            try {
                attempt = SocketChannel.open(target.getAddress() instanceof Inet4Address
                        ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
                attempt.configureBlocking(false);
                attempt.setOption(StandardSocketOptions.TCP_NODELAY, tcp.noDelay);
                channel = attempt;
                boolean connected = attempt.connect(target);
                key = loop.register(attempt, connected ? 0 : SelectionKey.OP_CONNECT, this);
                if (connected) {
                    established();
                }
                return;
            } catch (IOException | UncheckedIOException | UnsupportedOperationException e) {
                Tcp.closeQuietly(attempt);
                noteConnectFailure(e);
            } catch (ClosedSelectorException e) {
                Tcp.closeQuietly(attempt);
                closeNow(CloseReason.of(CloseReason.Kind.STOPPED));
                return;
            }
        }
        closeNow(CloseReason.of(CloseReason.Kind.CONNECT_FAILED, connectFailure));
    }

    private void finishConnect() {
        try {
            if (!channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            abandonAttempt(e);
            attempt(nextAddress);
            return;
        }
        established();
    }

    private void abandonAttempt(Exception failure) {
        if (key != null) {
            key.cancel();
        }
        Tcp.closeQuietly(channel);
        noteConnectFailure(failure);
    }

    /** Keeps the latest failure as the cause, earlier ones suppressed in it. */
    private void noteConnectFailure(Exception failure) {
        IOException noted = withTarget(failure);
        if (connectFailure != null) {
            noted.addSuppressed(connectFailure);
        }
        connectFailure = noted;
    }

    private IOException withTarget(Exception failure) {
        IOException noted = failure instanceof SocketTimeoutException
                ? new SocketTimeoutException("connect to " + target + ": " + failure.getMessage())
                : new ConnectException("connect to " + target + ": " + failure);
        noted.initCause(failure);
        return noted;
    }

    private void armConnectTimer() {
        if (connectTimer != null) {
            connectTimer.cancel();
        }
        Duration timeout = tcp.connectTimeout;
        connectTimer = loop.addTimer(timeout, () -> {
            if (state != State.CONNECTING) {
                return;
            }
            SocketTimeoutException timedOut = new SocketTimeoutException("no connection within " + timeout.toMillis() + " ms");
            if (target == null) {
                // Still resolving.
                closeNow(CloseReason.of(CloseReason.Kind.CONNECT_TIMEOUT, timedOut));
                return;
            }
            abandonAttempt(timedOut);
            if (nextAddress < addresses.size()) {
                attempt(nextAddress);
            } else {
                closeNow(CloseReason.of(CloseReason.Kind.CONNECT_TIMEOUT, connectFailure));
            }
        });
    }

    private void established() {
        state = State.OPEN;
        connectTimer.cancel();
        connectFailure = null;
        try {
            remote = (InetSocketAddress) channel.getRemoteAddress();
            local = (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            closeNow(CloseReason.of(CloseReason.Kind.ERROR, e));
            return;
        }
        startInactivityTimer();
        try {
            handler.connectionCompleted(this);
        } catch (Throwable t) {
            handlerFailed(t);
            return;
        }
        afterOpen();
    }

    /** Reads if not paused, writes what was sent meanwhile. On the loop. */
    private void afterOpen() {
        if (state != State.OPEN) {
            return;
        }
        updateInterest();
        if (!out.isEmpty() || closeWhenWritten != null) {
            flush();
        }
    }

    // ---- readiness -------------------------------------------------------------------------

    /** On the loop, in its I/O phase. Throws nothing but errors (which the loop contains, then calls {@link #closed}). */
    @Override
    public void ready(SelectionKey readyKey) {
        if (readyKey != key) {
            return; // a key of an abandoned connect attempt
        }
        int ops = readyKey.readyOps();
        if (state == State.CONNECTING) {
            if ((ops & SelectionKey.OP_CONNECT) != 0) {
                finishConnect();
            }
            return;
        }
        if (state == State.OPEN && (ops & SelectionKey.OP_WRITE) != 0) {
            writeArmed = false;
            flush();
        }
        if (state == State.OPEN && (ops & SelectionKey.OP_READ) != 0) {
            read();
        }
    }

    /** The loop closed the channel: it stopped, or {@link #ready} threw. On the loop. */
    @Override
    public void closed(Throwable cause) {
        closeNow(loop.isStopping()
                ? CloseReason.of(CloseReason.Kind.STOPPED)
                : CloseReason.of(CloseReason.Kind.ERROR, cause));
    }

    private void read() {
        ByteBuffer buffer = tcp.readBuffer(loop);
        for (int i = 0; i < READS_PER_WAKEUP; i++) {
            if (!readWanted()) {
                updateInterest(); // paused or inbox full: stop the selector reporting it
                return;
            }
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                closeNow(CloseReason.of(CloseReason.Kind.ERROR, e));
                return;
            }
            if (n < 0) {
                peerEnded();
                return;
            }
            if (n == 0) {
                return;
            }
            lastActivity = loop.clock().nanoTime();
            boolean more = !buffer.hasRemaining(); // a full buffer: there may be more to read
            buffer.flip();
            BlockingView view = blocking.get();
            if (view != null) {
                view.received(buffer);
            } else {
                try {
                    handler.receiveData(this, buffer);
                } catch (Throwable t) {
                    handlerFailed(t);
                    return;
                }
            }
            if (!more) {
                return;
            }
        }
    }

    private void peerEnded() {
        peerEnded = true;
        updateInterest();
        BlockingView view = blocking.get();
        if (view != null) {
            view.peerEnded(); // a fiber may still answer: it closes when it is done
            return;
        }
        closing = true;
        if (closeWhenWritten == null) {
            closeWhenWritten = CloseReason.of(CloseReason.Kind.PEER_CLOSED);
        }
        if (out.isEmpty()) {
            closeNow(closeWhenWritten);
        }
    }

    private boolean readWanted() {
        if (state != State.OPEN || paused || peerEnded) {
            return false;
        }
        BlockingView view = blocking.get();
        return view == null || !view.full();
    }

    /** Sets the key's interest from the state. On the loop. */
    void updateInterest() {
        if (state != State.OPEN || key == null || !key.isValid()) {
            return;
        }
        int ops = (readWanted() ? SelectionKey.OP_READ : 0) | (writeArmed ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    // ---- writing ---------------------------------------------------------------------------

    @Override
    public boolean sendData(ByteBuffer data) {
        return offer(data) != Offer.QUEUED;
    }

    @Override
    public boolean sendData(byte[] data) {
        return offer(ByteBuffer.wrap(data)) != Offer.QUEUED;
    }

    /** Copies and queues {@code data}'s remaining bytes. Any thread. */
    Offer offer(ByteBuffer data) {
        int n = data.remaining();
        if (closing) {
            data.position(data.limit());
            return Offer.DROPPED;
        }
        if (n == 0) {
            return queued.get() > tcp.highWatermark ? Offer.OVER_HIGH_WATERMARK : Offer.QUEUED;
        }
        long after = queued.addAndGet(n);
        if (after > tcp.maxQueuedBytes) {
            queued.addAndGet(-n);
            data.position(data.limit());
            overflow(after);
            return Offer.DROPPED;
        }
        ByteBuffer copy = ByteBuffer.allocate(n).put(data).flip();
        boolean over = after > tcp.highWatermark;
        if (over) {
            overHigh = true; // before the hand-off, so the flush that writes it sees the flag
        }
        if (loop.inLoop()) {
            enqueue(copy);
        } else {
            try {
                loop.execute(() -> enqueue(copy));
            } catch (RejectedExecutionException e) {
                queued.addAndGet(-n);
                return Offer.DROPPED; // the loop has stopped: the connection is (being) closed
            }
        }
        return over ? Offer.OVER_HIGH_WATERMARK : Offer.QUEUED;
    }

    private void overflow(long wouldBe) {
        closing = true;
        tcp.failureLog.report("overflow", System.Logger.Level.WARNING,
                "strand-tcp: a connection's writer queued past maxQueuedBytes (" + tcp.maxQueuedBytes
                        + ") and ignored sendData's back-pressure signal; the connection is closed", null);
        onLoop(() -> closeNow(CloseReason.of(CloseReason.Kind.OVERFLOW)));
    }

    private void enqueue(ByteBuffer copy) {
        if (state == State.CLOSED) {
            queued.addAndGet(-copy.remaining());
            return;
        }
        out.addLast(copy);
        scheduleFlush();
    }

    @Override
    public CompletableFuture<Long> sendFile(Path file) {
        Objects.requireNonNull(file, "file");
        FileChannel opened;
        try {
            opened = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("strand-tcp: cannot open " + file + " to send it", e);
        }
        FileSend send = new FileSend(opened);
        if (closing) {
            send.fail(new ConnectionClosedException(reasonSoFar()));
            return send.done;
        }
        boolean handed = onLoop(() -> {
            if (state == State.CLOSED) {
                send.fail(new ConnectionClosedException(reasonSoFar()));
            } else {
                out.addLast(send);
                scheduleFlush();
            }
        });
        if (!handed) {
            send.fail(new ConnectionClosedException(CloseReason.of(CloseReason.Kind.STOPPED)));
        }
        return send.done;
    }

    private CloseReason reasonSoFar() {
        CloseReason reason = closedWith;
        return reason != null ? reason : CloseReason.of(CloseReason.Kind.CLOSED);
    }

    private void scheduleFlush() {
        if (state != State.OPEN || flushScheduled || writeArmed) {
            return;
        }
        flushScheduled = true;
        loop.endOfTurn(flushTask);
    }

    /** Writes what the socket takes; arms writability for the rest. On the loop. */
    private void flush() {
        flushScheduled = false;
        if (state != State.OPEN) {
            return;
        }
        try {
            while (!out.isEmpty()) {
                if (out.peekFirst() instanceof FileSend file) {
                    if (!file.transfer(channel, this)) {
                        writeArmed = true;
                        break;
                    }
                    out.pollFirst();
                    file.succeed();
                    continue;
                }
                if (gather == null) {
                    gather = new ByteBuffer[MAX_GATHER];
                }
                int count = 0;
                for (Object item : out) {
                    if (count == MAX_GATHER || !(item instanceof ByteBuffer buffer)) {
                        break;
                    }
                    gather[count++] = buffer;
                }
                long n = channel.write(gather, 0, count);
                boolean socketFull = gather[count - 1].hasRemaining();
                Arrays.fill(gather, 0, count, null);
                if (n > 0) {
                    queued.addAndGet(-n);
                    lastActivity = loop.clock().nanoTime();
                }
                while (out.peekFirst() instanceof ByteBuffer buffer && !buffer.hasRemaining()) {
                    out.pollFirst();
                }
                if (socketFull) {
                    writeArmed = true;
                    break;
                }
            }
        } catch (IOException e) {
            closeNow(CloseReason.of(CloseReason.Kind.ERROR, e));
            return;
        }
        if (state != State.OPEN) {
            return; // closed by a file future's callback: nothing may follow its unbind
        }
        if (out.isEmpty()) {
            writeArmed = false;
            if (closeWhenWritten != null) {
                closeNow(closeWhenWritten);
                return;
            }
        }
        updateInterest();
        signalDrained();
    }

    void wrote(long bytes) {
        if (bytes > 0) {
            lastActivity = loop.clock().nanoTime();
        }
    }

    /** Calls {@code drained} when a send went over the high watermark and the queue is at the low one. On the loop. */
    private void signalDrained() {
        if (!overHigh || state != State.OPEN) {
            return;
        }
        // Clear first, then look: a sender that sets the flag meanwhile is seen by this look or by
        // the flush that writes its bytes (its hand-off follows its flag).
        overHigh = false;
        if (queued.get() > tcp.lowWatermark) {
            overHigh = true;
            return;
        }
        BlockingView view = blocking.get();
        if (view != null) {
            view.drained();
        }
        try {
            handler.drained(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    // ---- control ---------------------------------------------------------------------------

    @Override
    public long queuedBytes() {
        return queued.get();
    }

    @Override
    public void pause() {
        paused = true;
        onLoop(this::updateInterest);
    }

    @Override
    public void resume() {
        paused = false;
        onLoop(this::updateInterest);
    }

    @Override
    public boolean isPaused() {
        return paused;
    }

    @Override
    public void close() {
        closing = true;
        onLoop(() -> closeNow(CloseReason.of(CloseReason.Kind.CLOSED)));
    }

    @Override
    public void closeAfterWriting() {
        closing = true;
        onLoop(() -> {
            if (state == State.CLOSED || closeWhenWritten != null) {
                return;
            }
            closeWhenWritten = CloseReason.of(CloseReason.Kind.CLOSED);
            if (state == State.OPEN && out.isEmpty()) {
                closeNow(closeWhenWritten);
            }
            // Otherwise the flush that empties the queue closes (after connecting, if still connecting).
        });
    }

    @Override
    public boolean isOpen() {
        return !closing;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public Optional<InetSocketAddress> remoteAddress() {
        return Optional.ofNullable(remote);
    }

    @Override
    public Optional<InetSocketAddress> localAddress() {
        return Optional.ofNullable(local);
    }

    @Override
    public BlockingConnection blocking() {
        BlockingView view = blocking.get();
        if (view == null) {
            BlockingView made = new BlockingView(this, tcp.highWatermark, tcp.lowWatermark);
            view = blocking.compareAndExchange(null, made);
            if (view == null) {
                view = made;
            }
        }
        return view;
    }

    /** Why it closed, once it has; null before. Any thread. */
    CloseReason closedWith() {
        return closedWith;
    }

    /** The blocking reader made room: read again if reading was held back for it. Any thread. */
    void roomToRead() {
        onLoop(this::updateInterest);
    }

    /**
     * Runs {@code action} now on the loop, else hands it in. Returns false when the loop has stopped
     * (its shutdown has closed, or will close, this connection: nothing is left to act on).
     */
    private boolean onLoop(Runnable action) {
        if (loop.inLoop()) {
            action.run();
            return true;
        }
        try {
            loop.execute(action);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void startInactivityTimer() {
        if (tcp.inactivityTimeout.isEmpty()) {
            return;
        }
        lastActivity = loop.clock().nanoTime();
        scheduleInactivityCheck(tcp.inactivityTimeout.get().toNanos());
    }

    private void scheduleInactivityCheck(long inNanos) {
        inactivityTimer = loop.addTimer(Duration.ofNanos(inNanos), () -> {
            if (state != State.OPEN) {
                return;
            }
            long limit = tcp.inactivityTimeout.orElseThrow().toNanos();
            long idle = loop.clock().nanoTime() - lastActivity;
            if (idle >= limit) {
                closeNow(CloseReason.of(CloseReason.Kind.INACTIVITY_TIMEOUT));
            } else {
                scheduleInactivityCheck(limit - idle);
            }
        });
    }

    private void handlerFailed(Throwable failure) {
        loop.reportFailure(Failure.CONNECTION_HANDLER, failure);
        closeNow(CloseReason.of(CloseReason.Kind.HANDLER_FAILED, failure));
    }

    /**
     * Closes the socket, releases the queue, wakes a blocking view and calls {@code unbind}, once.
     * On the loop, or wherever the loop's end finds this connection.
     */
    private void closeNow(CloseReason reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closing = true;
        closedWith = reason;
        if (connectTimer != null) {
            connectTimer.cancel();
        }
        if (inactivityTimer != null) {
            inactivityTimer.cancel();
        }
        if (key != null) {
            key.cancel();
        }
        Tcp.closeQuietly(channel);
        long dropped = 0;
        for (Object item : out) {
            if (item instanceof ByteBuffer buffer) {
                dropped += buffer.remaining();
            } else if (item instanceof FileSend file) {
                file.fail(new ConnectionClosedException(reason));
            }
        }
        out.clear();
        queued.addAndGet(-dropped);
        if (reason.cause().isPresent() && reason.kind() != CloseReason.Kind.HANDLER_FAILED) {
            // Resets and refusals are a network's ordinary weather: the handler hears of them; this
            // log only helps when debugging.
            LOG.log(System.Logger.Level.DEBUG, () -> "strand-tcp: " + this + " closed: " + reason, reason.cause().get());
        }
        if (server != null) {
            server.connectionClosed();
        }
        BlockingView view = blocking.get();
        if (view != null) {
            view.closed(reason);
        }
        try {
            handler.unbind(this, reason);
        } catch (Throwable t) {
            loop.reportFailure(Failure.CONNECTION_HANDLER, t);
        }
    }

    @Override
    public String toString() {
        InetSocketAddress peer = remote;
        return "Connection[" + (peer != null ? peer : target != null ? target : "unconnected") + " on " + loop + "]";
    }
}
