package dev.strand.http.internal;

import dev.strand.http.HttpServer;
import dev.strand.http.ServerConfig;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.tcp.Tcp;
import dev.strand.reactor.spi.IoHandler;
import dev.strand.reactor.Reactor;
import dev.strand.reactor.Timer;
import dev.strand.reactor.internal.RateLimitedLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link HttpServer}: listeners, per-loop connection sets, housekeeping and graceful stop.
 *
 * <p>Accepting: with SO_REUSEPORT every loop has its own listener on the port and the kernel
 * spreads connections; without it one listener on the first loop hands connections round-robin.
 *
 * <p>At the open-file limit accept fails, yet the listener stays ready (the newcomer waits in the
 * backlog), so a plain retry would spin. The server therefore holds one reserve descriptor: a
 * listener that cannot accept closes it, accepts the newcomer, refuses it with a 503 and takes the
 * reserve again, so clients hear at once instead of waiting in silence. While descriptors are
 * short, listeners accept one at a time under a lock, so none takes the descriptor another just
 * freed; and if the reserve is lost all the same (another thread opened a file in between), the
 * next newcomer accepted while short is refused and its descriptor becomes the reserve. When
 * even that fails, the listener stops selecting for accepts until a connection closes or
 * {@link #ACCEPT_BACK_OFF} passes. Failures are reported rate-limited: the first with its stack
 * trace, then a count per 10 s.
 *
 * <p>Public for {@code HttpServer.Builder.build}, which makes it; the module does not export this
 * package.
 */
public final class StrandServer implements HttpServer {

    private static final System.Logger LOG = System.getLogger(StrandServer.class.getName());
    /** How long a listener that cannot accept, not even with its reserve descriptor, stops trying. */
    static final Duration ACCEPT_BACK_OFF = Duration.ofMillis(100);
    private static final byte[] OVERLOADED = ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
            + "Retry-After: 1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private final ServerConfig config;
    private final Router router;
    private final Json json;
    private final Optional<Reactor> sharedReactor;
    private final DateHeader date = new DateHeader();
    private final byte[] serverLine;
    /** Shared by the server's connections: it holds nothing of theirs. */
    private final Http1ResponseEncoder encoder;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Listener> listeners = new ArrayList<>();
    private final List<Set<Http1Connection>> open = new ArrayList<>();
    private final List<Timer> housekeeping = new ArrayList<>();
    /**
     * Per loop, where responses are encoded before they are copied into a connection's out-queue:
     * one per loop, as a response is encoded and queued within one call.
     */
    private final List<ByteSink> encodingBuffers = new ArrayList<>();
    /** The transport: the reactor's TCP connections, with this server's buffers, watermarks and timeouts. Set at start. */
    private Tcp tcp;
    /**
     * Set when an accept fails for want of a descriptor, cleared when one succeeds with the reserve
     * held: while set, listeners accept under {@link #descriptorLock}, one at a time.
     */
    private volatile boolean descriptorsShort;
    /** Guards {@link #reserve}, and accepting while descriptors are short. */
    private final ReentrantLock descriptorLock = new ReentrantLock();
    /** Given up at the open-file limit to accept and refuse one newcomer; null while given up. */
    private SocketChannel reserve;
    /** The server has stopped: the reserve is not taken again. */
    private boolean reserveClosed;
    /** Accept failures, which come by the thousand a second at the open-file limit. Set at start. */
    private RateLimitedLog acceptLog;
    /** Handlers' own failures: a route that always throws must not write a stack trace per request. */
    private RateLimitedLog handlerLog;

    private Reactor reactor;
    private int port = -1;
    private volatile boolean running;
    private volatile boolean draining;
    private boolean stopped;

    public StrandServer(ServerConfig config, Router router, Json json, Optional<Reactor> sharedReactor) {
        this.config = config;
        this.router = router;
        this.json = json;
        this.sharedReactor = sharedReactor;
        this.serverLine = ("Server: " + config.serverName() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.encoder = new Http1ResponseEncoder(this);
    }

    /** The reactor the server runs on, once started; for tests. */
    Reactor reactor() {
        return reactor;
    }

    /** The reactor the server makes for itself when none is shared with it. */
    private Reactor ownReactor() {
        Reactor.Builder builder = Reactor.builder().loops(config.loops()).fiberMode(config.fiberMode()).name("strand-http");
        // No lambdas: each links classes on the way to the first response.
        if (config.stallThreshold().isPresent()) {
            builder.stallThreshold(config.stallThreshold().get());
        } else {
            builder.stallWatchdog(false);
        }
        return builder.build();
    }

    @Override
    public synchronized HttpServer start() {
        if (reactor != null || stopped) {
            throw new IllegalStateException("server already started");
        }
        reactor = sharedReactor.isPresent() ? sharedReactor.get() : ownReactor();
        try {
            date.refresh(reactor.clock());
            List<EventLoop> loops = reactor.loops();
            acceptLog = new RateLimitedLog(LOG, loops.getFirst());
            handlerLog = new RateLimitedLog(System.getLogger(Http1Response.class.getName()), loops.getFirst());
            if (config.listen()) {
                takeReserve(); // for refusing newcomers at the descriptor limit: only listeners need it
            }
            for (int i = 0; i < loops.size(); i++) {
                open.add(new HashSet<>());
                encodingBuffers.add(new ByteSink(ENCODING_BUFFER_SIZE));
            }
            tcp = Tcp.builder(reactor).readBufferSize(config.readBufferSize())
                    .highWatermark(config.writeHighWatermark()).lowWatermark(config.writeLowWatermark())
                    // No hard limit: between requests this server stops dispatching at the high
                    // watermark, and a streaming handler's fiber parks there.
                    .maxQueuedBytes(Long.MAX_VALUE)
                    .writeTimeout(config.writeTimeout()).closeLinger(LINGER).build();
            if (config.listen()) {
                bind(loops);
            }
            for (EventLoop loop : loops) {
                housekeeping.add(loop.addPeriodicTimer(config.housekeepingPeriod(), () -> housekeep(loop)));
            }
            running = true;
            LOG.log(System.Logger.Level.DEBUG, () -> "Strand HTTP server on port " + port + ": " + loops.size()
                    + " loops, " + listeners.size() + " listener(s), fibers " + reactor.fiberMode());
            return this;
        } catch (RuntimeException e) {
            closeListeners();
            if (sharedReactor.isEmpty()) {
                reactor.close();
            }
            stopped = true;
            throw e;
        }
    }

    private void bind(List<EventLoop> loops) {
        boolean reusePort = loops.size() > 1
                && probeChannelOption();
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        try {
            for (EventLoop loop : reusePort ? loops : loops.subList(0, 1)) {
                ServerSocketChannel channel = ServerSocketChannel.open();
                try {
                    channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    if (reusePort) {
                        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                    }
                    channel.bind(port < 0 ? address : new InetSocketAddress(config.host(), port), config.backlog());
                    port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
                Listener listener = new Listener(loop, channel, reusePort);
                listeners.add(listener);
                onLoop(loop, () -> listener.key = loop.register(channel, SelectionKey.OP_ACCEPT, listener));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
    }

    private static boolean probeChannelOption() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public int port() {
        if (!config.listen()) {
            throw new IllegalStateException("the server does not listen (ServerConfig.listen is false): it has no port;"
                    + " connections come through attach");
        }
        if (port < 0) {
            throw new IllegalStateException("server not started");
        }
        return port;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public ServerConfig config() {
        return config;
    }

    /** Where handlers' failures are reported, rate-limited per exception class. Any thread. */
    RateLimitedLog handlerLog() {
        return handlerLog;
    }

    Router router() {
        return router;
    }

    Json json() {
        return json;
    }

    boolean isDraining() {
        return draining;
    }

    Http1ResponseEncoder encoder() {
        return encoder;
    }

    byte[] serverLine() {
        return serverLine;
    }

    /** The encoding buffer of {@code loop}; only that loop may use it, and only within one call. */
    ByteSink encodingBuffer(EventLoop loop) {
        return encodingBuffers.get(loop.index());
    }

    /** The encoding buffer's first size: a typical head and a small body fit. */
    private static final int ENCODING_BUFFER_SIZE = 8 * 1024;
    /** How long a closing connection keeps draining the client's bytes, so that it sees our last response. */
    private static final java.time.Duration LINGER = java.time.Duration.ofSeconds(2);

    byte[] dateLine() {
        return date.line();
    }

    /** Open connections and their unwritten response bytes, summed over the loops; for tests. Not on a loop. */
    long[] connectionsAndQueuedOutput() {
        long count = 0;
        long queued = 0;
        for (EventLoop loop : reactor.loops()) {
            long[] perLoop = callOnLoop(loop, () -> new long[] {open.get(loop.index()).size(),
                    open.get(loop.index()).stream().mapToLong(Http1Connection::outboundBytes).sum()});
            count += perLoop[0];
            queued += perLoop[1];
        }
        return new long[] {count, queued};
    }

    @Override
    public boolean stop(Duration grace) {
        synchronized (this) {
            if (stopped) {
                return true;
            }
            stopped = true;
        }
        if (reactor == null) {
            return true;
        }
        running = false;
        draining = true;
        closeListeners();
        List<EventLoop> loops = reactor.loops();
        // Real time, not the reactor's clock: the caller waits this long for the connections.
        long deadline = System.nanoTime() + grace.toNanos();
        boolean finished = false;
        try {
            for (EventLoop loop : loops) {
                onLoop(loop, () -> List.copyOf(open.get(loop.index())).forEach(Http1Connection::drain));
            }
            // Wait for busy connections to finish, checking a few times a second.
            while (true) {
                int busy = 0;
                for (EventLoop loop : loops) {
                    busy += callOnLoop(loop, () -> (int) open.get(loop.index()).stream().filter(Http1Connection::isBusy).count());
                }
                if (busy == 0) {
                    finished = true;
                    break;
                }
                if (System.nanoTime() - deadline >= 0) {
                    int left = busy;
                    LOG.log(System.Logger.Level.WARNING, () -> left + " connection(s) still busy after the grace period; closing them");
                    break;
                }
                Thread.sleep(20); // polling the loops for the end of the grace period
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (EventLoop loop : loops) {
                onLoop(loop, () -> {
                    List.copyOf(open.get(loop.index())).forEach(c -> c.close(null));
                    housekeeping.get(loop.index()).cancel();
                });
            }
            if (sharedReactor.isEmpty()) {
                reactor.close();
            }
        }
        return finished;
    }

    private void closeListeners() {
        descriptorLock.lock();
        try {
            releaseReserve();
            reserveClosed = true;
        } finally {
            descriptorLock.unlock();
        }
        for (Listener listener : listeners) {
            try {
                listener.channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a listener", e);
            }
            try {
                listener.loop.execute(listener::close);
            } catch (RejectedExecutionException stopped) {
                listener.close(); // the loop is gone: nothing races with us
            }
        }
    }

    /** Runs on the loop and waits for it; the caller must not be that loop. */
    private static void onLoop(EventLoop loop, Runnable task) {
        callOnLoop(loop, () -> {
            task.run();
            return 0;
        });
    }

    private static <T> T callOnLoop(EventLoop loop, java.util.function.Supplier<T> task) {
        if (loop.inLoop()) {
            return task.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("loop " + loop + " did not answer", e);
        }
    }

    private void housekeep(EventLoop loop) {
        date.refresh(loop.clock());
        long now = loop.now();
        for (Http1Connection connection : List.copyOf(open.get(loop.index()))) {
            connection.checkDeadline(now);
        }
    }

    /** Serves HTTP/1.1 on an accepted socket, as a connection of the reactor's TCP. On {@code loop}. */
    private void accepted(EventLoop loop, SocketChannel channel) {
        try {
            tcp.attach(loop, channel, config.tls(), new Http1Connection(this, loop));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "dropping a new connection", e);
            connections.decrementAndGet();
            closeQuietly(channel);
        }
    }

    @Override
    public void attach(dev.strand.reactor.spi.Transport transport) {
        java.util.Objects.requireNonNull(transport, "transport");
        if (!running) {
            throw new IllegalStateException(stopped ? "server stopped" : "server not started");
        }
        EventLoop loop = reactor.next();
        try {
            loop.execute(() -> serveAttached(loop, transport));
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("server stopped", e);
        }
    }

    /**
     * {@link #attach}'s setup, on {@code loop}: a transport handed over after stop began, or beyond
     * the connection limit, is closed unserved, as a listener would refuse it.
     */
    private void serveAttached(EventLoop loop, dev.strand.reactor.spi.Transport transport) {
        if (!running || connections.get() >= config.maxConnections()) {
            transport.close();
            return;
        }
        try {
            serve(loop, transport);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "dropping an attached connection", e);
            connections.decrementAndGet();
            transport.close();
        }
    }

    /**
     * Serves HTTP/1.1 over a transport that did not come through a listener (memory, in tests),
     * counted as one of this server's connections. On {@code loop}.
     */
    Http1Connection serve(EventLoop loop, dev.strand.reactor.spi.Transport transport) {
        connections.incrementAndGet();
        Http1Connection connection = new Http1Connection(this, loop);
        tcp.attach(loop, transport, java.util.Optional.empty(), connection);
        return connection;
    }

    /** A connection exists (its postInit): it is one of this loop's until it closes. On its loop. */
    void opened(Http1Connection connection) {
        open.get(connection.loop().index()).add(connection);
        if (draining) {
            connection.drain();
        }
    }

    /** Called by a connection on its loop when it closed. */
    void connectionClosed(Http1Connection connection) {
        if (open.get(connection.loop().index()).remove(connection)) {
            connections.decrementAndGet();
        }
        // A descriptor is free (once the loop's next select releases it): listeners may accept again.
        for (Listener listener : listeners) {
            listener.descriptorFreed();
        }
    }

    /** Opens the reserve descriptor unless held; whether it is held. Under {@link #descriptorLock}, or at start. */
    private boolean takeReserve() {
        if (reserve != null) {
            return true;
        }
        if (reserveClosed) {
            return false;
        }
        try {
            reserve = SocketChannel.open();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Closes the reserve descriptor; whether there was one. Under {@link #descriptorLock}. */
    private boolean releaseReserve() {
        SocketChannel held = reserve;
        if (held == null) {
            return false;
        }
        reserve = null;
        try {
            held.close();
        } catch (IOException e) {
            // it is closed regardless
        }
        return true;
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing a socket", e);
        }
    }

    /**
     * Accepts on one loop; in round-robin mode hands connections to every loop in turn. Confined to
     * its loop, but for {@link #descriptorFreed}.
     */
    private final class Listener implements IoHandler, Runnable {
        final EventLoop loop;
        final ServerSocketChannel channel;
        final boolean ownLoopOnly;
        SelectionKey key;
        /** Not selecting for accepts, until a connection closes or the back-off timer fires. */
        private volatile boolean backedOff;
        private final AtomicBoolean resumeQueued = new AtomicBoolean();
        private Timer backOffTimer;
        private boolean closed;
        private final String acceptFailed;
        private final String setUpFailed;

        Listener(EventLoop loop, ServerSocketChannel channel, boolean ownLoopOnly) {
            this.loop = loop;
            this.channel = channel;
            this.ownLoopOnly = ownLoopOnly;
            // Built with concat(): string concatenation would link more call sites on the way to the first response.
            String onPort = String.valueOf(port);
            this.acceptFailed = "accept failed on port ".concat(onPort).concat(" (out of file descriptors?); new"
                    + " connections get a 503 through a reserved descriptor, or wait while accepting pauses");
            this.setUpFailed = "setting up a connection accepted on port ".concat(onPort).concat(" failed; it is closed");
        }

        @Override
        public void ready(SelectionKey key) {
            boolean locked = false;
            try {
                for (int i = 0, batch = config.acceptBatch(); i < batch; i++) {
                    if (!locked && descriptorsShort) {
                        descriptorLock.lock();
                        locked = true;
                    }
                    SocketChannel accepted;
                    try {
                        accepted = channel.accept();
                    } catch (IOException e) {
                        if (!locked) {
                            descriptorsShort = true;
                            descriptorLock.lock();
                            locked = true;
                        }
                        if (acceptAtTheLimit(e)) {
                            continue;
                        }
                        return;
                    }
                    if (accepted == null) {
                        return;
                    }
                    if (locked) {
                        if (!takeReserve()) {
                            // Short, and the reserve was lost: this newcomer's descriptor becomes it.
                            refuse(accepted);
                            takeReserve();
                            continue;
                        }
                        descriptorsShort = false; // a descriptor beyond the reserve was free
                    }
                    if (connections.incrementAndGet() > config.maxConnections() || draining) {
                        connections.decrementAndGet();
                        refuse(accepted);
                        continue;
                    }
                    EventLoop target = ownLoopOnly ? loop : reactor.next();
                    if (target == loop) {
                        setUp(loop, accepted);
                    } else {
                        target.execute(() -> setUp(target, accepted));
                    }
                }
            } finally {
                if (locked) {
                    descriptorLock.unlock();
                }
            }
        }

        @Override
        public void closed(Throwable cause) {
            closed = true;
            if (running) {
                LOG.log(System.Logger.Level.ERROR, "listener on port " + port + " closed", cause);
            }
        }

        /**
         * Makes {@code accepted} a connection on {@code target}. An {@link Error} (out of memory,
         * say) drops this connection only: thrown out of {@link #ready}, it would make the loop
         * close the listener. On {@code target}.
         */
        private void setUp(EventLoop target, SocketChannel accepted) {
            try {
                accepted(target, accepted);
            } catch (Throwable t) { // accepted() handles exceptions itself: this is an Error
                connections.decrementAndGet();
                closeQuietly(accepted);
                acceptLog.report("connection setup", System.Logger.Level.ERROR, setUpFailed, t);
            }
        }

        /**
         * Accepting failed, most likely at the open-file limit (where Linux fails it before looking
         * at the backlog, so also once the backlog is empty). Gives up the reserve descriptor to
         * accept the newcomer and refuse it with a 503, then takes the reserve again. When that
         * cannot be done, backs off. Returns whether to go on accepting in this wake-up. Under
         * {@link #descriptorLock}.
         */
        private boolean acceptAtTheLimit(IOException failure) {
            boolean hadReserve = releaseReserve();
            SocketChannel newcomer = null;
            boolean failedAgain = false;
            if (hadReserve) {
                try {
                    newcomer = channel.accept();
                } catch (IOException stillShort) {
                    failedAgain = true; // another thread took the descriptor, or the limit is system-wide
                }
                if (newcomer != null) {
                    refuse(newcomer); // closes it: the descriptor is free again
                }
            }
            // Reported with a descriptor free: a logger's first record may need to open a file.
            acceptLog.report("accept", System.Logger.Level.WARNING, acceptFailed, failure);
            if (!takeReserve() || failedAgain) {
                backOff();
                return false;
            }
            // No reserve before: one was free after all, so try again. No newcomer: the backlog is
            // empty, and the selector reports the listener again only when one arrives.
            return !hadReserve || newcomer != null;
        }

        /** Stops selecting for accepts until a connection closes or the back-off delay passes. */
        private void backOff() {
            if (backedOff || key == null || !key.isValid()) {
                return;
            }
            backedOff = true;
            key.interestOps(0);
            backOffTimer = loop.addTimer(ACCEPT_BACK_OFF, this);
        }

        /** A connection closed, on any loop: a backed-off listener tries again. Any thread. */
        void descriptorFreed() {
            if (!backedOff || !resumeQueued.compareAndSet(false, true)) {
                return;
            }
            if (loop.inLoop()) {
                resume();
            } else {
                try {
                    loop.execute(this);
                } catch (RejectedExecutionException stopped) {
                    // the loop is gone, and this listener with it
                }
            }
        }

        /** Resumes accepting after a back-off: the back-off timer's task. On the loop. */
        @Override
        public void run() {
            resume();
        }

        private void resume() {
            resumeQueued.set(false);
            if (!backedOff || closed) {
                return;
            }
            backedOff = false;
            backOffTimer.cancel();
            descriptorLock.lock();
            try {
                takeReserve(); // if it fails again, the next failed accept backs off again
            } finally {
                descriptorLock.unlock();
            }
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        }

        /** The server stops: the listener's channel is closed; drop the rest. On the loop, or once it has stopped. */
        void close() {
            closed = true;
            if (key != null) {
                key.cancel();
            }
            if (backOffTimer != null) {
                backOffTimer.cancel();
            }
        }

        /** Over the connection limit: a best-effort 503, then close. */
        private void refuse(SocketChannel accepted) {
            try {
                accepted.configureBlocking(false);
                accepted.write(ByteBuffer.wrap(OVERLOADED));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "refusing a connection", e);
            }
            closeQuietly(accepted);
        }
    }
}
