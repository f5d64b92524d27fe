package dev.strand.reactor.tcp;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Failure;
import dev.strand.reactor.spi.IoHandler;
import dev.strand.reactor.spi.Transport;
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
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * A {@link Connection} over a non-blocking {@link SocketChannel} registered with its loop.
 *
 * <p>Its state is confined to the loop (no locks), but for what other threads may touch: the
 * queued-byte count (an atomic, so {@code sendData} can answer "over the watermark" from any
 * thread, counting bytes still on their way to the loop), and a few volatile flags. The out-queue
 * holds copies ({@link ByteBuffer}s) and files ({@link FileSend}); writes are coalesced at the end
 * of the loop's turn into one gathering write, and go on when the socket is writable again.
 */
final class TcpConnection implements Connection, IoHandler, Transport.Events, Runnable {

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    /** Reads per readiness, so one busy connection cannot starve the loop's others. */
    private static final int READS_PER_WAKEUP = 16;
    /** Buffers per gathering write. */
    private static final int MAX_GATHER = 16;
    /** TLS steps (a wrap, an unwrap, a write) per pump, so one busy TLS connection cannot starve the loop. */
    private static final int TLS_STEPS = 64;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int FILE_CHUNK = 16 * 1024;

    private enum State { CONNECTING, OPEN, CLOSED }

    /** What became of bytes offered for writing. */
    enum Offer { QUEUED, OVER_HIGH_WATERMARK, DROPPED }

    private final Tcp tcp;
    private final EventLoop loop;
    private final ConnectionHandler handler;
    private final boolean outbound;

    // Any thread.
    // A plain volatile field and a VarHandle rather than atomic objects: connections are many and mostly idle.
    @SuppressWarnings("unused") // through QUEUED
    private volatile long queued;
    private volatile BlockingView blocking;
    private static final java.lang.invoke.VarHandle QUEUED;
    private static final java.lang.invoke.VarHandle BLOCKING;

    static {
        try {
            var lookup = java.lang.invoke.MethodHandles.lookup();
            QUEUED = lookup.findVarHandle(TcpConnection.class, "queued", long.class);
            BLOCKING = lookup.findVarHandle(TcpConnection.class, "blocking", BlockingView.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long addQueued(long delta) {
        return (long) QUEUED.getAndAdd(this, delta) + delta;
    }

    private long queuedNow() {
        return queued;
    }

    private BlockingView blockingView() {
        return blocking;
    }
    /** Set by a send that went over the high watermark; cleared when drained is signalled. */
    private volatile boolean overHigh;
    /** Close or close-after-writing asked (or done): sends are dropped. */
    private volatile boolean closing;
    private volatile boolean paused;
    private volatile CloseReason closedWith;
    private volatile InetSocketAddress remote;
    private volatile InetSocketAddress local;
    private volatile SSLSession tlsSession;
    private volatile String applicationProtocol;

    // On the loop.
    private State state = State.CONNECTING;
    /** The byte stream once connected (or accepted, or attached); null while connecting. */
    private Transport io;
    /** The socket being connected and its registration, for outgoing connections until established. */
    private SocketChannel channel;
    private SelectionKey key;
    private final ArrayDeque<Object> out = new ArrayDeque<>(4);
    /**
     * Where small sends are copied: a buffer lent by the loop while output is queued ({@link Tcp#takeOutBuffer}),
     * given back once the queue is written, so that sends allocate nothing and idle connections hold
     * none. It is its own first view in the queue.
     */
    private ByteBuffer lent;
    /** How much of {@link #lent} is taken by bytes still queued. */
    private int lentEnd;
    /** The view of {@link #lent} queued last, or null: while it is the queue's last, the next copy extends it. */
    private ByteBuffer lentLast;
    /** Writes have made no progress since then (nanos on the loop's clock); 0 while they do, or nothing waits. */
    private long writeStalledSince;
    private Timer writeTimer;
    private CloseReason lingerReason;
    private Timer lingerTimer;
    /** Callers of {@link #whenDrained()} waiting for the low watermark; null when none. */
    private List<CompletableFuture<Void>> drainWaiters;
    /** Closing gracefully: our side is shut, the peer's bytes are read and dropped until it ends or the linger passes. */
    private boolean lingering;
    /** The peer ended its stream and the handler keeps writing ({@link ConnectionHandler#inputEnded}). */
    private boolean halfClosed;
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
    /** The host given to connect (TLS verifies it); empty for accepted connections. */
    private Optional<String> host = Optional.empty();
    /** TLS to start once connected; empty: plaintext. */
    private Optional<TlsOptions> tlsToStart = Optional.empty();
    /** TLS in use; null for plaintext. */
    private TlsLayer tls;
    /** A TLS pump is running: a nested call (from a callback it made) only asks it to go round again. */
    private boolean pumping;
    private boolean pumpAgain;

    TcpConnection(Tcp tcp, EventLoop loop, ConnectionHandler handler, boolean outbound) {
        this.tcp = tcp;
        this.loop = loop;
        this.handler = handler;
        this.outbound = outbound;
    }

    // ---- accepting -------------------------------------------------------------------------

    /** Makes a connection of {@code accepted} on {@code loop}, counted by {@code server} until it closes. On that loop. */
    static void accepted(Tcp tcp, EventLoop loop, SocketChannel accepted, TcpListener server) {
        SocketTransport transport;
        try {
            if (!loop.inLoop()) {
                throw new RejectedExecutionException(loop + " has stopped");
            }
            accepted.setOption(StandardSocketOptions.TCP_NODELAY, tcp.noDelay);
            // No interest until the handler exists: nothing can be dispatched to a missing one.
            transport = SocketTransport.register(loop, accepted);
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
            // Counted before the peer can see the end, so whoever sees it also sees the count.
            loop.reportFailure(Failure.CONNECTION_HANDLER, t);
            transport.close();
            server.connectionClosed();
            return;
        }
        TcpConnection connection = new TcpConnection(tcp, loop, handler, false);
        connection.server = server;
        connection.tlsToStart = server.tls;
        connection.opened(transport);
    }

    /**
     * Makes a connection of a stream already open ({@link Tcp#attach}), as the accepting side: TLS,
     * when given, as the server. On {@code loop}.
     */
    static TcpConnection attached(Tcp tcp, EventLoop loop, Transport transport, Optional<TlsOptions> tls, ConnectionHandler handler) {
        TcpConnection connection = new TcpConnection(tcp, loop, handler, false);
        connection.tlsToStart = tls;
        connection.opened(transport);
        return connection;
    }

    private void opened(Transport transport) {
        io = transport;
        state = State.OPEN;
        remote = transport.remoteAddress().orElse(null);
        local = transport.localAddress().orElse(null);
        transport.open(this);
        startInactivityTimer();
        try {
            handler.postInit(this);
        } catch (Throwable t) {
            handlerFailed(t);
            return;
        }
        if (state == State.OPEN && tlsToStart.isPresent()) {
            beginTls(tlsToStart.get(), false);
        }
        afterOpen();
    }

    // ---- connecting ------------------------------------------------------------------------

    /** Begins an outgoing connect. On the loop (or, if it stopped meanwhile, wherever this runs). */
    void startConnect(String host, int port, Optional<TlsOptions> tls) {
        this.host = Optional.of(host);
        this.tlsToStart = tls;
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
        io = new SocketTransport(channel, key); // from now on the transport handles the key's readiness
        channel = null;
        key = null;
        remote = io.remoteAddress().orElse(null);
        local = io.localAddress().orElse(null);
        io.open(this);
        startInactivityTimer();
        if (tlsToStart.isPresent()) {
            beginTls(tlsToStart.get(), true); // connectionCompleted waits for the handshake
            afterOpen();
            return;
        }
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
        if (tls != null) {
            tlsPump();
            return;
        }
        if (!out.isEmpty() || closeWhenWritten != null) {
            flush();
        }
    }

    // ---- readiness -------------------------------------------------------------------------

    /** The connect attempt's readiness. On the loop, in its I/O phase. */
    @Override
    public void ready(SelectionKey readyKey) {
        if (readyKey != key || state != State.CONNECTING) {
            return; // a key of an abandoned connect attempt
        }
        if ((readyKey.readyOps() & SelectionKey.OP_CONNECT) != 0) {
            finishConnect();
        }
    }

    /** The transport's readiness. On the loop, in its I/O phase. Throws nothing but errors (which the loop contains, then reports through {@link #failed}). */
    @Override
    public void ready(boolean readable, boolean writable) {
        if (state != State.OPEN) {
            return;
        }
        if (lingering) {
            if (readable) {
                lingerRead();
            }
            return;
        }
        if (tls != null) {
            if (writable) {
                writeArmed = false;
            }
            tlsPump();
            return;
        }
        if (writable) {
            writeArmed = false;
            flush();
        }
        if (readable && state == State.OPEN) {
            read();
        }
    }

    /** The connect attempt's channel was closed by the loop: it stopped, or {@link #ready} threw. On the loop. */
    @Override
    public void closed(Throwable cause) {
        failed(cause);
    }

    /** The loop closed the transport: it stopped, or a readiness callback threw. On the loop. */
    @Override
    public void failed(Throwable cause) {
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
                n = io.read(buffer);
            } catch (IOException e) {
                closeNow(CloseReason.of(CloseReason.Kind.ERROR, e));
                return;
            }
            if (n < 0) {
                peerEnded(CloseReason.of(CloseReason.Kind.PEER_CLOSED));
                return;
            }
            if (n == 0) {
                return;
            }
            active();
            boolean more = !buffer.hasRemaining(); // a full buffer: there may be more to read
            buffer.flip();
            if (!deliver(buffer)) {
                return;
            }
            if (tls != null) {
                return; // startTls was called: the rest is TLS, read by its pump at the end of this turn
            }
            if (!more) {
                return;
            }
        }
    }

    /** Hands plaintext to the blocking view or the handler; false when the handler failed. On the loop. */
    private boolean deliver(ByteBuffer data) {
        BlockingView view = blockingView();
        if (view != null) {
            view.received(data);
            return true;
        }
        try {
            handler.receiveData(this, data);
            return true;
        } catch (Throwable t) {
            handlerFailed(t);
            return false;
        }
    }

    private void peerEnded(CloseReason reason) {
        peerEnded = true;
        updateInterest();
        BlockingView view = blockingView();
        if (view != null) {
            view.peerEnded(); // a fiber may still answer: it closes when it is done
            return;
        }
        try {
            if (handler.inputEnded(this) && state == State.OPEN && !closing) {
                halfClosed = true; // the handler still writes, and closes when it is done
                return;
            }
        } catch (Throwable t) {
            handlerFailed(t);
            return;
        }
        if (state != State.OPEN) {
            return;
        }
        closing = true;
        if (closeWhenWritten == null) {
            closeWhenWritten = reason;
        }
        if (tls != null) {
            scheduleFlush(); // the pump writes what is queued, then the close_notify, then closes
        } else if (out.isEmpty()) {
            closeNow(closeWhenWritten);
        }
    }

    private boolean readWanted() {
        if (state != State.OPEN || paused || peerEnded) {
            return false;
        }
        BlockingView view = blockingView();
        return view == null || !view.full();
    }

    /** Sets the key's interest from the state. On the loop. */
    void updateInterest() {
        if (state != State.OPEN || io == null || lingering) {
            return;
        }
        boolean wantRead = tls == null ? readWanted()
                : !tls.taskRunning && !tls.closeNotifyWrapped && (readWanted() || (tls.handshaking && !peerEnded));
        io.interest(wantRead, writeArmed);
    }

    // ---- writing ---------------------------------------------------------------------------

    @Override
    public boolean sendData(ByteBuffer data) {
        return offer(data, true) != Offer.QUEUED;
    }

    @Override
    public boolean sendData(byte[] data) {
        return offer(ByteBuffer.wrap(data), true) != Offer.QUEUED;
    }

    @Override
    public boolean sendWithoutCopy(ByteBuffer data) {
        return offer(data, false) != Offer.QUEUED;
    }

    /** Queues {@code data}'s remaining bytes, a copy of them or ({@code copy} false) the buffer itself. Any thread. */
    Offer offer(ByteBuffer data, boolean copy) {
        int n = data.remaining();
        if (closing) {
            data.position(data.limit());
            return Offer.DROPPED;
        }
        if (n == 0) {
            return queuedNow() > tcp.highWatermark ? Offer.OVER_HIGH_WATERMARK : Offer.QUEUED;
        }
        long after = addQueued(n);
        if (after > tcp.maxQueuedBytes) {
            addQueued(-n);
            data.position(data.limit());
            overflow(after);
            return Offer.DROPPED;
        }
        boolean over = after > tcp.highWatermark;
        if (over) {
            overHigh = true; // before the hand-off, so the flush that writes it sees the flag
        }
        if (loop.inLoop()) {
            if (state == State.CLOSED) {
                addQueued(-n);
                data.position(data.limit());
                return Offer.DROPPED;
            }
            if (copy) {
                copyIn(data);
            } else {
                out.addLast(data);
            }
            scheduleFlush();
        } else {
            ByteBuffer queuedCopy = copy ? ByteBuffer.allocate(n).put(data).flip() : data;
            try {
                loop.execute(() -> enqueue(queuedCopy));
            } catch (RejectedExecutionException e) {
                addQueued(-n);
                return Offer.DROPPED; // the loop has stopped: the connection is (being) closed
            }
        }
        return over ? Offer.OVER_HIGH_WATERMARK : Offer.QUEUED;
    }

    /**
     * Copies {@code data} into the out-queue: into the loop's lent buffer when it fits (extending the
     * view queued last when that one ends there, so that pipelined answers leave in one buffer),
     * else into an array of its own. On the loop.
     */
    private void copyIn(ByteBuffer data) {
        int n = data.remaining();
        Object last = out.peekLast();
        if (last != null && last == lentLast && lentLast.limit() == lentEnd && lentEnd + n <= lent.capacity()) {
            data.get(lent.array(), lentEnd, n);
            lentEnd += n;
            lentLast.limit(lentEnd);
            return;
        }
        if (lent == null && n <= Tcp.OUT_BUFFER_SIZE) {
            lent = tcp.takeOutBuffer(loop);
            lentEnd = 0;
        }
        if (lent == null || lentEnd + n > lent.capacity()) {
            out.addLast(ByteBuffer.allocate(n).put(data).flip());
            return;
        }
        int at = lentEnd;
        data.get(lent.array(), at, n);
        lentEnd += n;
        // The lent buffer is its own first view; a second one is made only while that one is still queued.
        lentLast = out.contains(lent) ? ByteBuffer.wrap(lent.array(), at, n) : lent.limit(lentEnd).position(at);
        out.addLast(lentLast);
    }

    /** The queue is written: the lent buffer goes back to the loop. On the loop. */
    private void releaseLent() {
        if (lent != null) {
            tcp.returnOutBuffer(loop, lent);
            lent = null;
            lentLast = null;
            lentEnd = 0;
        }
    }

    private void overflow(long wouldBe) {
        closing = true;
        tcp.failureLog.report("overflow", System.Logger.Level.WARNING,
                "strand-tcp: a connection's writer queued past maxQueuedBytes (" + tcp.maxQueuedBytes
                        + ") and ignored sendData's back-pressure signal; the connection is closed", null);
        onLoop(() -> closeNow(CloseReason.of(CloseReason.Kind.OVERFLOW)));
    }

    private void enqueue(ByteBuffer data) {
        if (state == State.CLOSED) {
            addQueued(-data.remaining());
            return;
        }
        out.addLast(data);
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
        if (state != State.OPEN || flushScheduled || (writeArmed && tls == null)) {
            return;
        }
        flushScheduled = true;
        loop.endOfTurn(this); // run() flushes: no Runnable object per connection
    }

    /** The end-of-turn flush ({@link #scheduleFlush}). On the loop. */
    @Override
    public void run() {
        flush();
    }

    /** Writes what the socket takes; arms writability for the rest. On the loop. */
    private void flush() {
        flushScheduled = false;
        if (state != State.OPEN || lingering) {
            return;
        }
        if (tls != null) {
            tlsPump();
            return;
        }
        boolean allWritten;
        try {
            allWritten = writeQueue(out);
        } catch (IOException e) {
            closeNow(CloseReason.of(CloseReason.Kind.ERROR, e));
            return;
        }
        if (state != State.OPEN) {
            return; // closed by a file future's callback: nothing may follow its unbind
        }
        writeArmed = !allWritten;
        if (out.isEmpty()) {
            releaseLent();
            if (closeWhenWritten != null) {
                finishClose(closeWhenWritten);
                return;
            }
        }
        updateInterest();
        signalDrained();
    }

    /** Writes {@code queue}'s buffers and files as the socket takes them; false when it is full. On the loop. */
    private boolean writeQueue(ArrayDeque<Object> queue) throws IOException {
        long written = 0;
        boolean full = false;
        while (!queue.isEmpty() && state == State.OPEN) {
            if (queue.peekFirst() instanceof FileSend file) {
                long before = file.position;
                boolean done = file.transfer(io);
                written += file.position - before;
                if (!done) {
                    full = true;
                    break;
                }
                queue.pollFirst();
                file.succeed();
                continue;
            }
            long n;
            boolean socketFull;
            if (queue.size() == 1) {
                // The common case (one answer): a plain write, without the gathering write's set-up.
                ByteBuffer only = (ByteBuffer) queue.peekFirst();
                n = io.write(only);
                socketFull = only.hasRemaining();
            } else {
                if (gather == null) {
                    gather = new ByteBuffer[MAX_GATHER];
                }
                int count = 0;
                for (Object item : queue) {
                    if (count == MAX_GATHER || !(item instanceof ByteBuffer buffer)) {
                        break;
                    }
                    gather[count++] = buffer;
                }
                n = io.write(gather, 0, count);
                socketFull = gather[count - 1].hasRemaining();
                Arrays.fill(gather, 0, count, null);
            }
            if (n > 0) {
                addQueued(-n);
                written += n;
            }
            while (queue.peekFirst() instanceof ByteBuffer buffer && !buffer.hasRemaining()) {
                queue.pollFirst();
            }
            if (socketFull) {
                full = true;
                break;
            }
        }
        wrote(written, full);
        return !full;
    }

    /**
     * Notes a write's progress, for the inactivity and write timeouts: {@code stalled}, bytes are
     * still waiting for the socket. Reads the clock only when a timeout asks for it. On the loop.
     */
    private void wrote(long bytes, boolean stalled) {
        if (bytes > 0) {
            active();
        }
        if (tcp.writeTimeout.isEmpty()) {
            return;
        }
        if (!stalled) {
            writeStalledSince = 0;
        } else if (writeStalledSince == 0 || bytes > 0) {
            writeStalledSince = loop.clock().nanoTime(); // the write timeout counts from the last progress
            if (writeTimer == null) {
                scheduleWriteCheck(tcp.writeTimeout.get().toNanos());
            }
        }
    }

    private void scheduleWriteCheck(long inNanos) {
        writeTimer = loop.addTimer(Duration.ofNanos(inNanos), () -> {
            writeTimer = null;
            if (state != State.OPEN || writeStalledSince == 0) {
                return;
            }
            long limit = tcp.writeTimeout.orElseThrow().toNanos();
            long stalled = loop.clock().nanoTime() - writeStalledSince;
            if (stalled >= limit) {
                closeNow(CloseReason.of(CloseReason.Kind.WRITE_TIMEOUT,
                        new java.net.SocketTimeoutException("the peer took no bytes for " + tcp.writeTimeout.get().toMillis() + " ms")));
            } else {
                scheduleWriteCheck(limit - stalled);
            }
        });
    }

    /** Bytes moved: the inactivity timeout starts again. On the loop. */
    private void active() {
        if (inactivityTimer != null) {
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
        if (queuedNow() > tcp.lowWatermark) {
            overHigh = true;
            return;
        }
        BlockingView view = blockingView();
        if (view != null) {
            view.drained();
        }
        if (drainWaiters != null) {
            List<CompletableFuture<Void>> waiting = drainWaiters;
            drainWaiters = null;
            waiting.forEach(w -> w.complete(null));
        }
        try {
            handler.drained(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    @Override
    public CompletableFuture<Void> whenDrained() {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        boolean handed = onLoop(() -> {
            if (state == State.CLOSED) {
                drained.completeExceptionally(new ConnectionClosedException(reasonSoFar()));
            } else if (queuedNow() <= tcp.lowWatermark) {
                drained.complete(null);
            } else {
                if (drainWaiters == null) {
                    drainWaiters = new java.util.ArrayList<>(2);
                }
                drainWaiters.add(drained);
                overHigh = true; // so that the flush that brings it to the low watermark signals
            }
        });
        if (!handed) {
            drained.completeExceptionally(new ConnectionClosedException(CloseReason.of(CloseReason.Kind.STOPPED)));
        }
        return drained;
    }

    // ---- control ---------------------------------------------------------------------------

    @Override
    public long queuedBytes() {
        return queuedNow();
    }

    @Override
    public void pause() {
        paused = true;
        onLoop(this::updateInterest);
    }

    @Override
    public void resume() {
        paused = false;
        onLoop(this::readAgain);
    }

    /** Reading is wanted again: over TLS, records may already be buffered, which no readiness reports. On the loop. */
    private void readAgain() {
        updateInterest();
        if (tls != null) {
            scheduleFlush(); // never inline: a caller on this loop may be in another connection's receiveData, on the shared read buffer
        }
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
            if (state == State.OPEN && tls != null) {
                scheduleFlush(); // the pump sends the close_notify once the queue is written
            } else if (state == State.OPEN && out.isEmpty()) {
                finishClose(closeWhenWritten);
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
        BlockingView view = blockingView();
        if (view == null) {
            BlockingView made = new BlockingView(this, tcp.highWatermark, tcp.lowWatermark);
            view = (BlockingView) BLOCKING.compareAndExchange(this, null, made);
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
        onLoop(this::readAgain);
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
     * Everything queued is written and the connection is to close with {@code reason}: at once, or,
     * with a linger ({@link Tcp.Builder#closeLinger}) while the peer may still be sending, after
     * shutting our side and reading (and dropping) what the peer sends until it ends its stream or
     * the linger passes. Closing a socket with unread bytes makes the kernel send a reset, which can
     * destroy the last answer before the peer has read it. On the loop.
     */
    private void finishClose(CloseReason reason) {
        if (tcp.closeLinger.isEmpty() || peerEnded || state != State.OPEN) {
            closeNow(reason);
            return;
        }
        try {
            io.shutdownOutput();
        } catch (IOException e) {
            closeNow(reason); // the stream is gone already: nothing to linger for
            return;
        }
        lingering = true;
        lingerReason = reason;
        io.interest(true, false);
        lingerTimer = loop.addTimer(tcp.closeLinger.get(), () -> closeNow(reason));
        lingerRead(); // what already arrived
    }

    /** Reads and drops the peer's bytes while lingering; closes at its end. On the loop. */
    private void lingerRead() {
        ByteBuffer buffer = tcp.readBuffer(loop);
        for (int i = 0; i < READS_PER_WAKEUP && state == State.OPEN; i++) {
            buffer.clear();
            int n;
            try {
                n = io.read(buffer);
            } catch (IOException e) {
                closeNow(lingerReason);
                return;
            }
            if (n < 0) {
                closeNow(lingerReason);
                return;
            }
            if (n == 0) {
                return;
            }
        }
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
        if (writeTimer != null) {
            writeTimer.cancel();
        }
        if (lingerTimer != null) {
            lingerTimer.cancel();
        }
        if (tls != null && tls.handshakeTimer != null) {
            tls.handshakeTimer.cancel();
        }
        if (io != null) {
            io.close();
        }
        if (key != null) {
            key.cancel();
        }
        Tcp.closeQuietly(channel);
        release(out, reason);
        releaseLent();
        if (drainWaiters != null) {
            List<CompletableFuture<Void>> waiting = drainWaiters;
            drainWaiters = null;
            waiting.forEach(w -> w.completeExceptionally(new ConnectionClosedException(reason)));
        }
        if (tls != null && tls.plainOut != null) {
            release(tls.plainOut, reason);
        }
        if (reason.cause().isPresent() && reason.kind() != CloseReason.Kind.HANDLER_FAILED) {
            // Resets and refusals are a network's ordinary weather: the handler hears of them; this
            // log only helps when debugging.
            LOG.log(System.Logger.Level.DEBUG, () -> "strand-tcp: " + this + " closed: " + reason, reason.cause().get());
        }
        if (server != null) {
            server.connectionClosed();
        }
        BlockingView view = blockingView();
        if (view != null) {
            view.closed(reason);
        }
        try {
            handler.unbind(this, reason);
        } catch (Throwable t) {
            loop.reportFailure(Failure.CONNECTION_HANDLER, t);
        }
    }

    /** Drops a queue's bytes (uncounting them) and fails its files. */
    private void release(ArrayDeque<Object> queue, CloseReason reason) {
        long dropped = 0;
        for (Object item : queue) {
            if (item instanceof ByteBuffer buffer) {
                dropped += buffer.remaining();
            } else if (item instanceof FileSend file) {
                file.fail(new ConnectionClosedException(reason));
            }
        }
        queue.clear();
        addQueued(-dropped);
    }

    // ---- TLS -------------------------------------------------------------------------------

    @Override
    public void startTls(TlsOptions options) {
        Objects.requireNonNull(options, "options");
        if (!loop.inLoop()) {
            throw new IllegalStateException("strand-tls: startTls is called on the connection's loop, not " + Thread.currentThread());
        }
        if (state == State.CLOSED) {
            return; // nothing to upgrade; unbind has said why
        }
        if (tls != null || tlsToStart.isPresent()) {
            throw new IllegalStateException("strand-tls: the connection already speaks TLS (or was made to)");
        }
        if (state != State.OPEN) {
            throw new IllegalStateException("strand-tls: startTls before the connection is established");
        }
        ArrayDeque<Object> before = out.isEmpty() ? null : new ArrayDeque<>(out);
        out.clear();
        if (before != null && lent != null) {
            // Views of the lent buffer wait among the plaintext: it is left to them (and then to the collector).
            lent = null;
            lentLast = null;
            lentEnd = 0;
        }
        beginTls(options, false);
        if (tls != null) {
            tls.plainOut = before;
            scheduleFlush(); // at the end of this turn: the caller may be in receiveData, on the shared read buffer
        }
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return Optional.ofNullable(tlsSession);
    }

    @Override
    public Optional<String> applicationProtocol() {
        return Optional.ofNullable(applicationProtocol).filter(p -> !p.isEmpty());
    }

    /** Makes the engine and starts its handshake and its time limit. On the loop. */
    private void beginTls(TlsOptions options, boolean completesConnect) {
        TlsLayer layer;
        try {
            SSLEngine engine = options.newEngine(outbound, host, remote != null ? remote.getPort() : port);
            layer = new TlsLayer(engine, options, completesConnect);
            engine.beginHandshake();
        } catch (SSLException | RuntimeException e) {
            closeNow(CloseReason.of(CloseReason.Kind.TLS_FAILED, e));
            return;
        }
        tls = layer;
        Duration limit = options.handshakeTimeout();
        layer.handshakeTimer = loop.addTimer(limit, () -> {
            if (state == State.OPEN && tls == layer && layer.handshaking) {
                tlsFailed(new SSLHandshakeException("strand-tls: no TLS handshake within " + limit.toMillis() + " ms"));
            }
        });
    }

    /**
     * Moves TLS as far as it goes without waiting for the socket or a delegated task: writes
     * what is encrypted, steps the handshake, decrypts and delivers what was read, encrypts what
     * is queued, sends the close_notify. Called only at the top of a loop's work (readiness, the
     * end of a turn, a task's completion), never from inside a callback: it uses the loop's
     * shared read buffer. On the loop.
     */
    private void tlsPump() {
        if (lingering) {
            return; // the close_notify is out: only the peer's last bytes are read, and dropped
        }
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        try {
            do {
                pumpAgain = false;
                tlsSteps();
            } while (pumpAgain && state == State.OPEN);
        } catch (SSLException e) {
            tlsFailed(e);
            return;
        } catch (IOException e) {
            closeNow(CloseReason.of(CloseReason.Kind.ERROR, e));
            return;
        } finally {
            pumping = false;
        }
        if (state != State.OPEN) {
            return;
        }
        if (out.isEmpty()) {
            releaseLent();
        }
        updateInterest();
        signalDrained();
    }

    private void tlsSteps() throws IOException {
        TlsLayer t = tls;
        for (int step = 0; step < TLS_STEPS; step++) {
            if (state != State.OPEN || t.taskRunning) {
                return;
            }
            boolean allWritten = writeNet(t);
            writeArmed = !allWritten;
            if (state != State.OPEN) {
                return; // a file's future callback closed it
            }
            if (t.closeNotifyWrapped) {
                if (allWritten) {
                    finishClose(closeWhenWritten != null ? closeWhenWritten
                            : peerEnded ? CloseReason.of(CloseReason.Kind.PEER_CLOSED) : CloseReason.of(CloseReason.Kind.CLOSED));
                }
                return;
            }
            switch (t.engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    runDelegatedTasks(t);
                    return;
                }
                case NEED_WRAP -> {
                    if (!wrap(t, EMPTY)) {
                        return;
                    }
                    continue;
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap(t)) {
                        return;
                    }
                    continue;
                }
                default -> { }
            }
            if (t.handshaking) {
                handshakeDone(t);
                continue;
            }
            boolean progress = false;
            if (readWanted()) {
                progress = unwrap(t);
                if (state != State.OPEN) {
                    return;
                }
            }
            if (!out.isEmpty() && !t.engine.isOutboundDone()) {
                progress |= wrapOut(t);
            } else if (closeWhenWritten != null && !t.closeRequested && t.plainOut == null) {
                if (t.truncated) {
                    closeNow(closeWhenWritten); // the peer is gone without a close_notify: none back
                    return;
                }
                t.closeRequested = true;
                t.engine.closeOutbound(); // the engine now needs a wrap: the close_notify
                progress = true;
            }
            if (!progress) {
                return;
            }
        }
        // Out of steps with work left: the rest in a later turn, after the loop's other connections.
        loop.execute(() -> {
            if (state == State.OPEN && tls == t) {
                tlsPump();
            }
        });
    }

    /** Writes plaintext queued before startTls, then encrypted bytes; true when nothing is left. */
    private boolean writeNet(TlsLayer t) throws IOException {
        if (t.plainOut != null) {
            if (!writeQueue(t.plainOut)) {
                return false;
            }
            t.plainOut = null;
        }
        if (t.netOut.position() == 0) {
            return true;
        }
        t.netOut.flip();
        int n;
        try {
            n = io.write(t.netOut);
        } finally {
            t.netOut.compact();
        }
        boolean allWritten = t.netOut.position() == 0;
        wrote(n, !allWritten);
        return allWritten;
    }

    /** Wraps {@code source} into the out buffer; false when there is no room (wait for the socket). */
    private boolean wrap(TlsLayer t, ByteBuffer source) throws SSLException {
        if (!t.roomToWrap()) {
            if (t.netOut.position() > 0) {
                return false;
            }
            t.growNetOut();
        }
        SSLEngineResult result = t.engine.wrap(source, t.netOut);
        return wrapped(t, result);
    }

    private boolean wrapped(TlsLayer t, SSLEngineResult result) throws SSLException {
        switch (result.getStatus()) {
            case BUFFER_OVERFLOW -> {
                if (t.netOut.position() == 0) {
                    t.growNetOut();
                    return true;
                }
                return false; // written first, then wrapped
            }
            case CLOSED -> t.closeNotifyWrapped = t.engine.isOutboundDone();
            default -> { }
        }
        return true;
    }

    /** Encrypts the head of the out-queue (buffers, or a piece of a file); true when it made progress. */
    private boolean wrapOut(TlsLayer t) throws IOException {
        if (!t.roomToWrap() && t.netOut.position() > 0) {
            return false;
        }
        if (out.peekFirst() instanceof FileSend file) {
            if (t.fileChunk == null) {
                t.fileChunk = ByteBuffer.allocate(FILE_CHUNK).flip();
            }
            if (!t.fileChunk.hasRemaining()) {
                t.fileChunk.clear();
                int n = file.fill(t.fileChunk);
                t.fileChunk.flip();
                if (n < 0) {
                    out.pollFirst();
                    file.succeed();
                    return true;
                }
            }
            return wrap(t, t.fileChunk);
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
        if (!t.roomToWrap()) {
            t.growNetOut();
        }
        SSLEngineResult result;
        try {
            result = t.engine.wrap(gather, 0, count, t.netOut);
        } finally {
            Arrays.fill(gather, 0, count, null);
        }
        int consumed = result.bytesConsumed();
        if (consumed > 0) {
            addQueued(-consumed); // the watermarks count plaintext not yet encrypted
        }
        while (out.peekFirst() instanceof ByteBuffer buffer && !buffer.hasRemaining()) {
            out.pollFirst();
        }
        return wrapped(t, result) && (consumed > 0 || result.bytesProduced() > 0);
    }

    /** Decrypts one record, reading the socket when no whole one is buffered; true when it made progress. */
    private boolean unwrap(TlsLayer t) throws IOException {
        ByteBuffer shared = tcp.readBuffer(loop);
        ByteBuffer plain = t.appIn != null ? t.appIn
                : shared.capacity() >= t.engine.getSession().getApplicationBufferSize() ? shared
                : (t.appIn = ByteBuffer.allocate(t.engine.getSession().getApplicationBufferSize()));
        plain.clear();
        t.netIn.flip();
        SSLEngineResult result;
        try {
            result = t.engine.unwrap(t.netIn, plain);
        } finally {
            t.netIn.compact();
        }
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                if (!t.netIn.hasRemaining()) {
                    t.growNetIn();
                }
                int n = io.read(t.netIn);
                if (n < 0) {
                    tlsEnded(t);
                    return false;
                }
                if (n > 0) {
                    active();
                }
                return n > 0;
            }
            case BUFFER_OVERFLOW -> {
                t.appIn = ByteBuffer.allocate(Math.max(plain.capacity() * 2, t.engine.getSession().getApplicationBufferSize()));
                return true;
            }
            case CLOSED -> {
                if (plain.position() > 0 && !deliver(plain.flip())) {
                    return false;
                }
                if (!peerEnded) {
                    peerEnded(CloseReason.of(CloseReason.Kind.PEER_CLOSED)); // the peer's close_notify
                }
                return true;
            }
            default -> { }
        }
        if (plain.position() > 0 && !deliver(plain.flip())) {
            return false;
        }
        return result.bytesConsumed() > 0 || result.bytesProduced() > 0;
    }

    /** The peer ended TCP. During a handshake it failed; after one, without a close_notify, the stream was cut. */
    private void tlsEnded(TlsLayer t) throws SSLException {
        if (t.handshaking) {
            throw new SSLHandshakeException("strand-tls: the peer closed the connection during the TLS handshake");
        }
        t.truncated = true;
        peerEnded(CloseReason.of(CloseReason.Kind.PEER_CLOSED,
                new SSLException("strand-tls: the peer ended the connection without a close_notify (truncated?)")));
    }

    /** Runs the engine's slow steps off the loop; the pump goes on, on the loop, when they are done. */
    private void runDelegatedTasks(TlsLayer t) {
        t.taskRunning = true;
        updateInterest();
        java.util.concurrent.Callable<Void> work = () -> {
            Runnable task;
            while ((task = t.engine.getDelegatedTask()) != null) {
                task.run();
            }
            return null;
        };
        if (t.options.taskExecutor().isPresent()) {
            try {
                t.options.taskExecutor().get().execute(() -> {
                    Throwable failure = null;
                    try {
                        work.call();
                    } catch (Throwable e) {
                        failure = e;
                    }
                    Throwable failed = failure;
                    // False when the loop has stopped: its end closes this connection, nothing to resume.
                    onLoop(() -> tasksDone(t, failed));
                });
            } catch (RejectedExecutionException e) {
                tasksDone(t, e);
            }
            return;
        }
        loop.defer(work).callback(done -> tasksDone(t, null)).errback(failure -> tasksDone(t, failure));
    }

    private void tasksDone(TlsLayer t, Throwable failure) {
        if (state != State.OPEN || tls != t) {
            return;
        }
        t.taskRunning = false;
        if (failure != null) {
            SSLHandshakeException wrapped = new SSLHandshakeException("strand-tls: a TLS handshake task failed: " + failure);
            wrapped.initCause(failure);
            tlsFailed(wrapped);
            return;
        }
        tlsPump();
    }

    private void handshakeDone(TlsLayer t) {
        t.handshaking = false;
        if (t.handshakeTimer != null) {
            t.handshakeTimer.cancel();
        }
        tlsSession = t.engine.getSession();
        applicationProtocol = t.engine.getApplicationProtocol();
        try {
            if (t.completesConnect) {
                handler.connectionCompleted(this);
            }
            if (state == State.OPEN) {
                handler.handshakeCompleted(this);
            }
        } catch (Throwable e) {
            handlerFailed(e);
        }
    }

    /** Sends the engine's alert if the socket takes it at once, then closes with TLS_FAILED. */
    private void tlsFailed(SSLException failure) {
        TlsLayer t = tls;
        if (t != null && state == State.OPEN && t.plainOut == null) {
            try {
                t.engine.closeOutbound();
                if (t.netOut.position() == 0) {
                    t.engine.wrap(EMPTY, t.netOut);
                    writeNet(t);
                }
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e); // the alert is a courtesy: the failure that matters is the handshake's
            }
        }
        closeNow(CloseReason.of(CloseReason.Kind.TLS_FAILED, failure));
    }

    @Override
    public String toString() {
        InetSocketAddress peer = remote;
        return "Connection[" + (peer != null ? peer : target != null ? target : "unconnected") + " on " + loop + "]";
    }
}
