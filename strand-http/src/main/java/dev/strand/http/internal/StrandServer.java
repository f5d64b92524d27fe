package dev.strand.http.internal;

import dev.strand.http.HttpServer;
import dev.strand.http.ServerConfig;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.tcp.Connection;
import dev.strand.reactor.tcp.ConnectionHandler;
import dev.strand.reactor.tcp.Tcp;
import dev.strand.reactor.tcp.TcpServer;
import dev.strand.reactor.Reactor;
import dev.strand.reactor.Timer;
import dev.strand.reactor.internal.RateLimitedLog;
import java.nio.ByteBuffer;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link HttpServer}: a user of the reactor's public TCP API ({@link Tcp}) with HTTP/1.1 as
 * the connections' protocol, per-loop connection sets, housekeeping and graceful stop.
 *
 * <p>Accepting is the TCP layer's ({@code Tcp.startServer}): with SO_REUSEPORT every loop has its
 * own listener on the port and the kernel spreads connections; without it one listener hands them
 * round-robin. Past {@link ServerConfig#maxConnections()}, and at the open-file limit (through a
 * reserved descriptor), a newcomer is told {@code 503} and closed; while the server stops, a
 * newcomer that still gets in is told the same.
 *
 * <p>Public for {@code HttpServer.Builder.build}, which makes it; the module does not export this
 * package.
 */
public final class StrandServer implements HttpServer {

    private static final System.Logger LOG = System.getLogger(StrandServer.class.getName());
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
    /** The listening side, once started; closed first when stopping. */
    private TcpServer listening;
    private final List<Set<Http1Connection>> open = new ArrayList<>();
    private final List<Timer> housekeeping = new ArrayList<>();
    /**
     * Per loop, where responses are encoded before they are copied into a connection's out-queue:
     * one per loop, as a response is encoded and queued within one call.
     */
    private final List<ByteSink> encodingBuffers = new ArrayList<>();
    /** The transport: the reactor's TCP connections, with this server's buffers, watermarks and timeouts. Set at start. */
    private Tcp tcp;
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
            handlerLog = new RateLimitedLog(System.getLogger(Http1Response.class.getName()), loops.getFirst());
            for (int i = 0; i < loops.size(); i++) {
                open.add(new HashSet<>());
                encodingBuffers.add(new ByteSink(ENCODING_BUFFER_SIZE));
            }
            tcp = Tcp.builder(reactor).readBufferSize(config.readBufferSize())
                    .highWatermark(config.writeHighWatermark()).lowWatermark(config.writeLowWatermark())
                    // No hard limit: between requests this server stops dispatching at the high
                    // watermark, and a streaming handler's fiber parks there.
                    .maxQueuedBytes(Long.MAX_VALUE)
                    .writeTimeout(config.writeTimeout()).closeLinger(LINGER)
                    .backlog(config.backlog()).acceptBatch(config.acceptBatch()).maxConnections(config.maxConnections())
                    .refusal(OVERLOADED).listenerPerLoop(true)
                    .build();
            if (config.listen()) { // else connections come only through attach
                listening = config.tls().isPresent()
                        ? tcp.startServer(config.host(), config.port(), config.tls().get(), this::newConnection)
                        : tcp.startServer(config.host(), config.port(), this::newConnection);
                port = listening.port();
            }
            for (EventLoop loop : loops) {
                housekeeping.add(loop.addPeriodicTimer(config.housekeepingPeriod(), () -> housekeep(loop)));
            }
            running = true;
            LOG.log(System.Logger.Level.DEBUG, () -> "Strand HTTP server on port " + port + ": " + loops.size()
                    + " loops, fibers " + reactor.fiberMode());
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
        if (listening != null) {
            listening.close();
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

    /**
     * The protocol of a connection the TCP layer accepted, made on its loop: HTTP/1.1, or while
     * stopping a 503 and the close.
     */
    private ConnectionHandler newConnection() {
        EventLoop loop = EventLoop.current().orElseThrow();
        return draining ? REFUSING : new Http1Connection(this, loop);
    }

    /** Tells a newcomer that got in while the server stops that it is not served. */
    private static final ConnectionHandler REFUSING = new ConnectionHandler() {
        @Override
        public void postInit(Connection connection) {
            connection.sendData(OVERLOADED);
            connection.closeAfterWriting();
        }

        @Override
        public void receiveData(Connection connection, ByteBuffer data) {
            // the request is not read: the answer is the same whatever it says
        }
    };

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
            serve(loop, transport); // counted once its protocol exists (opened)
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "dropping an attached connection", e);
            transport.close();
        }
    }

    /**
     * Serves HTTP/1.1 over a transport that did not come through a listener (memory, in tests),
     * counted as one of this server's connections. On {@code loop}.
     */
    Http1Connection serve(EventLoop loop, dev.strand.reactor.spi.Transport transport) {
        Http1Connection connection = new Http1Connection(this, loop);
        tcp.attach(loop, transport, java.util.Optional.empty(), connection);
        return connection;
    }

    /** A connection exists (its postInit): it is one of this loop's until it closes. On its loop. */
    void opened(Http1Connection connection) {
        open.get(connection.loop().index()).add(connection);
        connections.incrementAndGet();
        if (draining) {
            connection.drain();
        }
    }

    /** Called by a connection on its loop when it closed. */
    void connectionClosed(Http1Connection connection) {
        if (open.get(connection.loop().index()).remove(connection)) {
            connections.decrementAndGet();
        }
    }
}
