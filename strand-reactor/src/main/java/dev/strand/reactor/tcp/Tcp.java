package dev.strand.reactor.tcp;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Reactor;
import dev.strand.reactor.internal.RateLimitedLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * TCP servers and clients on a {@link Reactor}'s loops, in EventMachine's terms: {@link #startServer}
 * and {@link #connect} with a {@link ConnectionHandler}, and {@link Connection}s with write
 * watermarks, pause/resume, timeouts and zero-copy file sends.
 *
 * <p>An echo server:
 * <pre>{@code
 * Reactor reactor = Reactor.create();
 * TcpServer server = Tcp.create(reactor)
 *         .startServer(7000, () -> (connection, data) -> connection.sendData(data));
 * }</pre>
 *
 * <p>A TLS echo server, and a client that verifies it (see {@link TlsOptions}):
 * <pre>{@code
 * TlsOptions serverTls = TlsOptions.builder().keyStore(keyStore, password).build();
 * TcpServer server = tcp.startServer("::", 7443, serverTls,
 *         () -> (connection, data) -> connection.sendData(data));   // data is plaintext
 * TlsOptions clientTls = TlsOptions.builder().trustStore(trusted).build();
 * tcp.connect("echo.example", 7443, clientTls, new ConnectionHandler() {
 *     public void connectionCompleted(Connection c) { c.sendData("hello".getBytes(UTF_8)); } // after the handshake
 *     public void receiveData(Connection c, ByteBuffer data) { ... }
 * });
 * }</pre>
 * TLS is chosen per server and per connect (a server's options and a client's differ), and a
 * plaintext connection can be upgraded with {@link Connection#startTls}.
 *
 * <p>A {@code Tcp} holds the options its connections share (watermarks, timeouts, buffer sizes) and
 * a read buffer per loop; make one per set of options, as many as needed, on one reactor. It owns
 * nothing to close: servers close themselves, connections close themselves, and stopping the
 * reactor closes all of them (each unbound with {@link CloseReason.Kind#STOPPED}).
 *
 * <p><b>Threading.</b> Thread-safe; every method may be called from any thread, with the
 * exceptions their comments give (a loop's own thread must not resolve a host name).
 *
 * <p><b>Failures.</b> Unchecked exceptions only: a server that cannot bind throws
 * {@link UncheckedIOException} at once; a connect that fails later is reported to its handler's
 * {@link ConnectionHandler#unbind}, never thrown.
 */
public final class Tcp {

    private static final System.Logger LOG = System.getLogger(Tcp.class.getName());

    /** Finds a host name's addresses; a seam for tests. Called on a virtual thread of the JDK's scheduler. */
    @FunctionalInterface
    interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    private final Reactor reactor;
    final int lowWatermark;
    final int highWatermark;
    final long maxQueuedBytes;
    final Optional<Duration> inactivityTimeout;
    final Optional<Duration> writeTimeout;
    final Optional<Duration> closeLinger;
    final Duration connectTimeout;
    private final int readBufferSize;
    private final int backlog;
    final boolean noDelay;
    final Optional<Integer> maxConnections;
    final int acceptBatch;
    final Optional<byte[]> refusal;
    final boolean listenerPerLoop;
    final Resolver resolver;
    /** Per loop, by index; each touched only by its loop. */
    private final ByteBuffer[] readBuffers;
    /** Per loop, by index: output buffers to lend to connections with output queued; each touched only by its loop. */
    private final java.util.ArrayDeque<ByteBuffer>[] outBuffers;
    /** Failures outside any handler (accept, setting up an accepted socket), rate-limited. */
    final RateLimitedLog failureLog;

    private Tcp(Builder builder) {
        this.reactor = builder.reactor;
        this.lowWatermark = builder.lowWatermark;
        this.highWatermark = builder.highWatermark;
        this.maxQueuedBytes = builder.maxQueuedBytes.orElse(16L * builder.highWatermark);
        this.inactivityTimeout = builder.inactivityTimeout;
        this.writeTimeout = builder.writeTimeout;
        this.closeLinger = builder.closeLinger;
        this.connectTimeout = builder.connectTimeout;
        this.readBufferSize = builder.readBufferSize;
        this.backlog = builder.backlog;
        this.noDelay = builder.noDelay;
        this.maxConnections = builder.maxConnections;
        this.acceptBatch = builder.acceptBatch;
        this.refusal = builder.refusal;
        this.listenerPerLoop = builder.listenerPerLoop;
        this.resolver = builder.resolver;
        this.readBuffers = new ByteBuffer[reactor.loops().size()];
        @SuppressWarnings("unchecked")
        java.util.ArrayDeque<ByteBuffer>[] pools = new java.util.ArrayDeque[reactor.loops().size()];
        this.outBuffers = pools;
        this.failureLog = new RateLimitedLog(LOG, reactor.loops().getFirst());
    }

    /** TCP on {@code reactor} with the default options. Any thread. */
    public static Tcp create(Reactor reactor) {
        return builder(reactor).build();
    }

    /** A builder for TCP on {@code reactor}, to change the options. Any thread. */
    public static Builder builder(Reactor reactor) {
        return new Builder(reactor);
    }

    /** The reactor whose loops run the connections. Any thread. */
    public Reactor reactor() {
        return reactor;
    }

    /**
     * Listens on every interface, IPv4 and IPv6 alike where the machine has IPv6 (one dual-stack
     * socket; IPv4 peers appear as IPv4 addresses); the same as {@code startServer("::", port, handlers)}.
     *
     * @see #startServer(String, int, Supplier)
     */
    public TcpServer startServer(int port, Supplier<? extends ConnectionHandler> handlers) {
        return startServer("::", port, handlers);
    }

    /**
     * Listens on {@code host}:{@code port} and makes a connection of each peer that connects,
     * spread round-robin over the reactor's loops, with a handler from {@code handlers}.
     *
     * <p>What {@code host} means, as written: {@code "::"} is every interface, IPv4 and IPv6
     * (dual-stack where the machine has IPv6, else IPv4 only); {@code "0.0.0.0"} is every IPv4
     * interface only; a literal address ({@code "127.0.0.1"}, {@code "::1"}) is that address, in
     * its family only; a host name is resolved here and its first address is used (so
     * {@code "localhost"} may be IPv4 or IPv6 — write a literal to be sure).
     *
     * <p>{@code handlers} is called on the loop that gets the connection, once per connection,
     * before {@link ConnectionHandler#postInit}; if it throws, that connection is closed and the
     * failure counted as {@link dev.strand.reactor.Failure#CONNECTION_HANDLER}. Accepting pauses
     * for 100 ms when the process is out of file descriptors (the failure is logged, rate-limited),
     * instead of spinning on a listener that stays ready.
     *
     * <p>Any thread; the socket is bound and listening when this returns (the kernel queues early
     * peers until the loop first accepts). A host name is resolved on the caller's thread, which
     * must then not be a loop's own thread.
     *
     * @param port 0 for any free port: see {@link TcpServer#port()}
     * @return the server, bound
     * @throws UncheckedIOException when the address cannot be bound (in use, not local, no such
     *                              family) or the name does not resolve
     * @throws IllegalArgumentException when the port is out of range
     * @throws IllegalStateException when a host name is given on a loop's own thread
     * @throws java.util.concurrent.RejectedExecutionException when the reactor has stopped
     */
    public TcpServer startServer(String host, int port, Supplier<? extends ConnectionHandler> handlers) {
        return startServer(host, port, Optional.empty(), handlers);
    }

    /**
     * Listens on {@code host}:{@code port} as {@link #startServer(String, int, Supplier)} does,
     * speaking TLS with {@code tls} on every connection it accepts (as the TLS server). Each
     * handler gets {@link ConnectionHandler#postInit} at once (what it sends then is encrypted
     * once the handshake is done), {@link ConnectionHandler#handshakeCompleted} after the
     * handshake, and plaintext in {@link ConnectionHandler#receiveData}. A peer that fails the
     * handshake (does not speak TLS, offers no common protocol, stays silent past
     * {@link TlsOptions#handshakeTimeout()}) is unbound with {@link CloseReason.Kind#TLS_FAILED};
     * the server goes on serving others. Any thread; throws as the plaintext form does.
     */
    public TcpServer startServer(String host, int port, TlsOptions tls, Supplier<? extends ConnectionHandler> handlers) {
        return startServer(host, port, Optional.of(Objects.requireNonNull(tls, "tls")), handlers);
    }

    private TcpServer startServer(String host, int port, Optional<TlsOptions> tls, Supplier<? extends ConnectionHandler> handlers) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(handlers, "handlers");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Optional<InetAddress> ip = host.equals("::") ? Optional.empty()
                : Optional.of(literal(host).orElseGet(() -> resolveHere(host)));
        List<EventLoop> loops = reactor.loops();
        boolean perLoop = listenerPerLoop && loops.size() > 1 && REUSE_PORT;
        List<EventLoop> listening = perLoop ? loops : List.of(reactor.next());
        List<ServerSocketChannel> channels = new java.util.ArrayList<>();
        int bound = port;
        try {
            for (int i = 0; i < listening.size(); i++) {
                ServerSocketChannel channel = ip.isEmpty()
                        ? ServerSocketChannel.open() // IPv6 with IPv4-mapped peers where it can, else IPv4
                        : ServerSocketChannel.open(ip.get() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
                channels.add(channel);
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (perLoop) {
                    channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                channel.bind(ip.isEmpty() ? new InetSocketAddress(bound) : new InetSocketAddress(ip.get(), bound), backlog);
                bound = ((InetSocketAddress) channel.getLocalAddress()).getPort(); // the others share port 0's pick
            }
            TcpListener listener = new TcpListener(this, channels, listening, perLoop, handlers, tls);
            listener.start();
            return listener;
        } catch (IOException | UnsupportedOperationException e) {
            channels.forEach(Tcp::closeQuietly);
            throw new UncheckedIOException("strand-tcp: cannot listen on " + host + ":" + port,
                    e instanceof IOException io ? io : new IOException(e.getMessage(), e));
        } catch (RuntimeException e) {
            channels.forEach(Tcp::closeQuietly);
            throw e;
        }
    }

    /**
     * Connects to {@code host}:{@code port} and returns the connection at once, before it is
     * connected (as EventMachine does): its {@link ConnectionHandler#postInit} runs first, then
     * {@link ConnectionHandler#connectionCompleted} once established. Data sent meanwhile is
     * written then.
     *
     * <p>A host name is resolved off the loops (on a virtual thread of the JDK's scheduler, never
     * blocking a loop), and its addresses are tried one by one, in the resolver's order, until one
     * accepts. The {@linkplain Builder#connectTimeout connect timeout} bounds the resolution and
     * the first address together, then each further address; when the last one times out the
     * handler gets {@code unbind(CONNECT_TIMEOUT)}; when none accepts (or the name does not
     * resolve), {@code unbind(CONNECT_FAILED)} with the last failure as the cause, earlier ones
     * suppressed in it.
     *
     * <p>The connection lives on the caller's loop when called on one of this reactor's loops,
     * else on the next loop round-robin. Any thread.
     *
     * @throws IllegalArgumentException when the port is out of range
     * @throws java.util.concurrent.RejectedExecutionException when the reactor has stopped
     */
    public Connection connect(String host, int port, ConnectionHandler handler) {
        return connect(host, port, Optional.empty(), handler);
    }

    /**
     * Connects as {@link #connect(String, int, ConnectionHandler)} does, then runs a TLS handshake
     * as the client with {@code tls}: the server's certificate is verified against the trust of
     * {@code tls} and its host name against {@code host} (or {@link TlsOptions#peerHost()}), unless
     * {@link TlsOptions.Builder#insecureTrustAll()} said not to. {@link ConnectionHandler#connectionCompleted}
     * comes only once the handshake is done (then {@link ConnectionHandler#handshakeCompleted});
     * data sent before is encrypted and written then. A failed handshake (an untrusted certificate,
     * a wrong host name, no handshake within {@link TlsOptions#handshakeTimeout()}) calls
     * {@code unbind(TLS_FAILED)} with the {@link javax.net.ssl.SSLException} as the cause. Any
     * thread; throws as the plaintext form does.
     */
    public Connection connect(String host, int port, TlsOptions tls, ConnectionHandler handler) {
        return connect(host, port, Optional.of(Objects.requireNonNull(tls, "tls")), handler);
    }

    private Connection connect(String host, int port, Optional<TlsOptions> tls, ConnectionHandler handler) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(handler, "handler");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        EventLoop loop = EventLoop.current().filter(l -> l.reactor() == reactor).orElseGet(reactor::next);
        TcpConnection connection = new TcpConnection(this, loop, handler, true);
        loop.schedule(() -> connection.startConnect(host, port, tls));
        return connection;
    }

    /**
     * Makes a connection of a socket opened elsewhere (accepted by a listener of one's own, say):
     * EventMachine's {@code attach}. The socket is made non-blocking and registered with
     * {@code loop}; from then on it is a {@link Connection} like those {@link #startServer} makes,
     * as the accepting side: {@code postInit} runs before this returns, and TLS, when given, starts
     * as the server. On {@code loop}.
     *
     * @throws IllegalStateException off {@code loop}
     * @throws java.io.UncheckedIOException when the socket cannot be set up (it is closed)
     */
    public Connection attach(EventLoop loop, SocketChannel channel, Optional<TlsOptions> tls, ConnectionHandler handler) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(handler, "handler");
        requireOn(loop);
        SocketTransport transport;
        try {
            channel.configureBlocking(false);
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, noDelay);
            transport = SocketTransport.register(loop, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("strand-tcp: cannot set up " + channel, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
        return TcpConnection.attached(this, loop, transport, tls, handler);
    }

    /**
     * Makes a connection over {@code transport}, a byte stream of one's own (memory, in a test): the
     * same connection as over a socket (queues, watermarks, timeouts, TLS when given), driven by the
     * transport's readiness. As {@link #attach(EventLoop, SocketChannel, Optional, ConnectionHandler)}
     * otherwise. On {@code loop}.
     *
     * @throws IllegalStateException off {@code loop}
     */
    public Connection attach(EventLoop loop, dev.strand.reactor.spi.Transport transport, Optional<TlsOptions> tls,
            ConnectionHandler handler) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(handler, "handler");
        requireOn(loop);
        return TcpConnection.attached(this, loop, transport, tls, handler);
    }

    private void requireOn(EventLoop loop) {
        Objects.requireNonNull(loop, "loop");
        if (loop.reactor() != reactor || !loop.inLoop()) {
            throw new IllegalStateException("strand-tcp: attach is called on the connection's loop (of this Tcp's reactor), not "
                    + Thread.currentThread());
        }
    }

    /** Whether listening sockets support SO_REUSEPORT here (Linux, the BSDs). */
    private static final boolean REUSE_PORT = reusePortSupported();

    private static boolean reusePortSupported() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    /** The size of the buffers lent for small sends. */
    static final int OUT_BUFFER_SIZE = 8 * 1024;
    /** How many idle lent buffers a loop keeps. */
    private static final int OUT_BUFFERS_KEPT = 256;

    /** An output buffer to lend to a connection of {@code loop}, cleared. On {@code loop}. */
    ByteBuffer takeOutBuffer(EventLoop loop) {
        java.util.ArrayDeque<ByteBuffer> pool = outBuffers[loop.index()];
        ByteBuffer buffer = pool == null ? null : pool.pollFirst();
        return buffer != null ? buffer.clear() : ByteBuffer.allocate(OUT_BUFFER_SIZE);
    }

    /** Takes back a lent buffer no queued view refers to any more. On {@code loop}. */
    void returnOutBuffer(EventLoop loop, ByteBuffer buffer) {
        java.util.ArrayDeque<ByteBuffer> pool = outBuffers[loop.index()];
        if (pool == null) {
            pool = new java.util.ArrayDeque<>();
            outBuffers[loop.index()] = pool;
        }
        if (pool.size() < OUT_BUFFERS_KEPT) {
            pool.addFirst(buffer); // the most recently used first: its array is the likeliest in cache
        }
    }

    /** This loop's read buffer, made on first use. On {@code loop}. */
    ByteBuffer readBuffer(EventLoop loop) {
        ByteBuffer buffer = readBuffers[loop.index()];
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(readBufferSize);
            readBuffers[loop.index()] = buffer;
        }
        return buffer;
    }

    /** {@code host} as an address when it is an IP literal (nothing to look up). */
    static Optional<InetAddress> literal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return Optional.of(InetAddress.ofLiteral(bare));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a name, not a literal
        }
    }

    private InetAddress resolveHere(String host) {
        if (EventLoop.current().isPresent() && !Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("strand-tcp: resolving " + host
                    + " would block the loop's thread; give an IP literal or start the server off the loop");
        }
        try {
            return resolver.resolve(host).getFirst();
        } catch (UnknownHostException e) {
            throw new UncheckedIOException("strand-tcp: cannot resolve " + host, e);
        }
    }

    static void closeQuietly(java.io.Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            // Releasing a socket that failed or ended: nothing depends on it any more.
            LOG.log(System.Logger.Level.DEBUG, "strand-tcp: closing a socket failed", e);
        }
    }

    /**
     * Options for the connections of a {@link Tcp}. Not thread-safe; build, then share the
     * {@code Tcp}.
     */
    public static final class Builder {
        private final Reactor reactor;
        private int lowWatermark = 32 * 1024;
        private int highWatermark = 64 * 1024;
        private Optional<Long> maxQueuedBytes = Optional.empty();
        private Optional<Duration> inactivityTimeout = Optional.empty();
        private Optional<Duration> writeTimeout = Optional.empty();
        private Optional<Duration> closeLinger = Optional.empty();
        private Duration connectTimeout = Duration.ofSeconds(20);
        private int readBufferSize = 64 * 1024;
        private int backlog = 1024;
        private boolean noDelay = true;
        private Optional<Integer> maxConnections = Optional.empty();
        private int acceptBatch = 64;
        private Optional<byte[]> refusal = Optional.empty();
        private boolean listenerPerLoop;
        private Resolver resolver = host -> List.of(InetAddress.getAllByName(host));

        private Builder(Reactor reactor) {
            this.reactor = Objects.requireNonNull(reactor, "reactor");
        }

        /**
         * When the out-queue falls to this many bytes after being over the high watermark,
         * {@link ConnectionHandler#drained} is called; default 32 KiB.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder lowWatermark(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("lowWatermark must not be negative: " + bytes);
            }
            this.lowWatermark = bytes;
            return this;
        }

        /**
         * Over this many queued bytes, {@link Connection#sendData} returns {@code true}; default
         * 64 KiB. Over TLS these are plaintext bytes not yet encrypted (see {@link Connection}).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder highWatermark(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("highWatermark must be positive: " + bytes);
            }
            this.highWatermark = bytes;
            return this;
        }

        /**
         * The hard limit: a send that would queue more than this many bytes closes the connection
         * with {@link CloseReason.Kind#OVERFLOW} instead; default 16 × the high watermark.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxQueuedBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxQueuedBytes must be positive: " + bytes);
            }
            this.maxQueuedBytes = Optional.of(bytes);
            return this;
        }

        /**
         * Closes a connection with {@link CloseReason.Kind#INACTIVITY_TIMEOUT} when nothing was
         * read or written for {@code timeout} (EventMachine's comm inactivity timeout); default:
         * none. Never early; checked by one loop timer per connection per period. A paused
         * connection whose peer sends nothing and to which nothing is written is inactive too.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder inactivityTimeout(Duration timeout) {
            this.inactivityTimeout = Optional.of(positive(timeout, "inactivityTimeout"));
            return this;
        }

        /**
         * Closes a connection with {@link CloseReason.Kind#WRITE_TIMEOUT} when bytes wait to be
         * written and the peer has taken none for {@code timeout}: a peer that stopped reading
         * cannot hold its connection (and what is queued for it) for ever; default: none. Counted
         * from the last write that moved bytes; never early.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = Optional.of(positive(timeout, "writeTimeout"));
            return this;
        }

        /**
         * How a connection ends after {@link Connection#closeAfterWriting()} (or the peer's end, for
         * a half-closed one): by default it closes as soon as everything is written. With a linger it
         * first ends its own side of the stream, then reads and drops what the peer still sends until
         * the peer ends its side or {@code linger} passes: closing a socket with unread bytes makes
         * the kernel answer with a reset, which can destroy the last bytes written before the peer
         * has read them (a server that answers a request and closes while the client still sends).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder closeLinger(Duration linger) {
            this.closeLinger = Optional.of(positive(linger, "closeLinger"));
            return this;
        }

        /**
         * How long an outgoing connection may stay pending (EventMachine's pending connect
         * timeout); default 20 s. See {@link Tcp#connect} for how it applies to several addresses.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * The most bytes one {@link ConnectionHandler#receiveData} call gets: the size of each
         * loop's read buffer (one per loop, shared by its connections); default 64 KiB.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder readBufferSize(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("readBufferSize must be positive: " + bytes);
            }
            this.readBufferSize = bytes;
            return this;
        }

        /**
         * How many connections the kernel may queue for a server before it accepts them; default 1024.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog must be positive: " + backlog);
            }
            this.backlog = backlog;
            return this;
        }

        /** Whether small writes go out at once (TCP_NODELAY, no Nagle delay); default true. */
        public Builder noDelay(boolean noDelay) {
            this.noDelay = noDelay;
            return this;
        }

        /**
         * Per server, at most this many accepted connections open at once: a newcomer beyond it is
         * closed as soon as it is accepted (no handler is made for it; logged, rate-limited).
         * Default: no limit but the process's file descriptors.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnections must be positive: " + max);
            }
            this.maxConnections = Optional.of(max);
            return this;
        }

        /**
         * How many connections a listener accepts per wake-up before the loop turns to its other
         * work, so that a flood of connects cannot starve it; default 64.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder acceptBatch(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("acceptBatch must be positive: " + connections);
            }
            this.acceptBatch = connections;
            return this;
        }

        /**
         * What a newcomer a server refuses at once is told, best effort (written if the socket
         * takes it at once), before it is closed: over {@link #maxConnections}, or at the process's
         * open-file limit, where the server then keeps one descriptor in reserve to accept a
         * newcomer and refuse it rather than leave it waiting in the backlog. An HTTP server says
         * {@code 503 Service Unavailable}. Default: none (closed without a word; at the open-file
         * limit accepting pauses).
         */
        public Builder refusal(byte[] bytes) {
            this.refusal = Optional.of(bytes.clone());
            return this;
        }

        /**
         * Whether a server listens with one socket per loop (SO_REUSEPORT: the kernel spreads the
         * connections, and each loop accepts its own, with no hand-off between loops) rather than
         * one socket accepting for every loop round-robin; default false. Where SO_REUSEPORT is
         * not supported, or with one loop, one socket.
         */
        public Builder listenerPerLoop(boolean perLoop) {
            this.listenerPerLoop = perLoop;
            return this;
        }

        /** Replaces host name resolution; for tests. */
        Builder resolver(Resolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * Builds the {@link Tcp}.
         *
         * @throws IllegalArgumentException when the low watermark is above the high one, or the
         *                                  hard limit below the high watermark
         */
        public Tcp build() {
            if (lowWatermark > highWatermark) {
                throw new IllegalArgumentException("lowWatermark " + lowWatermark + " is above highWatermark " + highWatermark);
            }
            if (maxQueuedBytes.isPresent() && maxQueuedBytes.get() < highWatermark) {
                throw new IllegalArgumentException("maxQueuedBytes " + maxQueuedBytes.get() + " is below highWatermark " + highWatermark);
            }
            return new Tcp(this);
        }

        private static Duration positive(Duration duration, String what) {
            Objects.requireNonNull(duration, what);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + duration);
            }
            return duration;
        }
    }
}
