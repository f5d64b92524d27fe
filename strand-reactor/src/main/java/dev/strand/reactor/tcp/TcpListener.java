package dev.strand.reactor.tcp;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.spi.IoHandler;
import dev.strand.reactor.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link TcpServer}: one listening socket, or one per loop with {@link Tcp.Builder#listenerPerLoop}
 * (SO_REUSEPORT: the kernel spreads the connections, each listener keeps its own), which accept and
 * hand each connection to a loop: the next one round-robin, or the listener's own.
 *
 * <p><b>At the open-file limit.</b> Accepting fails, yet the listener stays ready (the newcomer
 * waits in the backlog), so a naive loop would spin. With a {@linkplain Tcp.Builder#refusal refusal},
 * the server holds one descriptor in reserve: a listener that cannot accept closes it, accepts
 * the newcomer, writes it the refusal, closes it and takes the reserve again, so a client hears
 * "not now" at once instead of waiting out its timeout. While descriptors are short, listeners
 * accept one at a time under a lock, so none takes the descriptor another just freed; the next
 * newcomer accepted while short is refused and its descriptor becomes the reserve. When even that
 * fails (or there is no refusal), the listener stops selecting for accepts until a connection
 * closes or {@link #ACCEPT_BACK_OFF} passes.
 *
 * <p>Thread-safe: each listener is confined to its loop, but for {@link #close()}, the getters
 * and {@link #connectionClosed()}.
 */
final class TcpListener implements TcpServer {

    private static final System.Logger LOG = System.getLogger(TcpServer.class.getName());
    /** How long accepting pauses after accept failed and no descriptor could be freed. */
    static final Duration ACCEPT_BACK_OFF = Duration.ofMillis(100);

    private final Tcp tcp;
    final Supplier<? extends ConnectionHandler> handlers;
    /** TLS for every accepted connection, as the server; empty: plaintext. */
    final Optional<TlsOptions> tls;
    private final InetSocketAddress localAddress;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Acceptor> acceptors;
    private final String acceptFailed;
    final String setUpFailed;
    private final String overLimit;
    /** Accepted connections not yet closed, for {@link Tcp.Builder#maxConnections}. */
    private final AtomicInteger connections = new AtomicInteger();
    /**
     * Set when an accept fails for want of a descriptor, cleared when one succeeds with the reserve
     * held: while set, listeners accept under {@link #descriptorLock}, one at a time.
     */
    private volatile boolean descriptorsShort;
    /** Guards {@link #reserve}, and accepting while descriptors are short. */
    private final ReentrantLock descriptorLock = new ReentrantLock();
    /** Given up at the open-file limit to accept and refuse one newcomer; null while given up or not kept. */
    private SocketChannel reserve;

    /** Listens on {@code channels}, the first accepting for every loop or ({@code perLoop}) each for its own. */
    TcpListener(Tcp tcp, List<ServerSocketChannel> channels, List<EventLoop> loops, boolean perLoop,
            Supplier<? extends ConnectionHandler> handlers, Optional<TlsOptions> tls) throws IOException {
        this.tcp = tcp;
        this.handlers = handlers;
        this.tls = tls;
        this.localAddress = (InetSocketAddress) channels.getFirst().getLocalAddress();
        this.acceptFailed = "strand-tcp: accept failed on " + localAddress + " (out of file descriptors?); "
                + (tcp.refusal.isPresent() ? "newcomers are refused through a reserved descriptor, or wait while accepting pauses"
                        : "accepting pauses up to " + ACCEPT_BACK_OFF.toMillis() + " ms");
        this.setUpFailed = "strand-tcp: setting up a connection accepted on " + localAddress + " failed; it is closed";
        this.overLimit = "strand-tcp: " + localAddress + " has " + tcp.maxConnections.map(String::valueOf).orElse("")
                + " connections (maxConnections); newcomers are closed at once";
        Acceptor[] made = new Acceptor[channels.size()];
        for (int i = 0; i < made.length; i++) {
            made[i] = new Acceptor(loops.get(i), channels.get(i), perLoop);
        }
        this.acceptors = List.of(made);
        if (tcp.refusal.isPresent()) {
            takeReserve();
        }
    }

    /** Registers every listener with its loop. Any thread. */
    void start() {
        acceptors.forEach(Acceptor::start);
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public int port() {
        return localAddress.getPort();
    }

    @Override
    public boolean isOpen() {
        return !closed.get() && acceptors.stream().anyMatch(a -> !a.loop.isStopping());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        acceptors.forEach(Acceptor::close);
        descriptorLock.lock();
        try {
            releaseReserve();
        } finally {
            descriptorLock.unlock();
        }
    }

    /** One of this server's connections closed (or was never set up): a descriptor is free. Any thread. */
    void connectionClosed() {
        if (tcp.maxConnections.isPresent()) {
            connections.decrementAndGet();
        }
        for (Acceptor acceptor : acceptors) {
            acceptor.descriptorFreed();
        }
    }

    /** Opens the reserve descriptor unless held; whether it is held. Under {@link #descriptorLock}, or at start. */
    private boolean takeReserve() {
        if (reserve != null) {
            return true;
        }
        if (closed.get()) {
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
        Tcp.closeQuietly(held);
        return true;
    }

    /** Writes the refusal (best effort: the socket takes it at once or never) and closes. */
    private void refuse(SocketChannel accepted) {
        if (tcp.refusal.isPresent()) {
            try {
                accepted.configureBlocking(false);
                accepted.write(ByteBuffer.wrap(tcp.refusal.get()));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "strand-tcp: refusing a connection", e);
            }
        }
        Tcp.closeQuietly(accepted);
    }

    @Override
    public String toString() {
        return "TcpServer[" + localAddress + "]";
    }

    /** One listening socket on one loop. Confined to its loop, but for {@link #descriptorFreed} and {@link #close}. */
    private final class Acceptor implements IoHandler, Runnable {
        final EventLoop loop;
        final ServerSocketChannel channel;
        /** Hands connections to its own loop only (one listener per loop). */
        final boolean ownLoopOnly;
        private SelectionKey key;
        /** Not selecting for accepts, until a connection closes or the back-off timer fires. */
        private volatile boolean backedOff;
        private final AtomicBoolean resumeQueued = new AtomicBoolean();
        private Timer backOffTimer;

        Acceptor(EventLoop loop, ServerSocketChannel channel, boolean ownLoopOnly) {
            this.loop = loop;
            this.channel = channel;
            this.ownLoopOnly = ownLoopOnly;
        }

        void start() {
            loop.schedule(() -> {
                if (closed.get()) {
                    return;
                }
                try {
                    key = loop.register(channel, SelectionKey.OP_ACCEPT, this);
                } catch (UncheckedIOException e) {
                    // Closed meanwhile by close() from another thread: nothing to accept on.
                }
            });
        }

        @Override
        public void ready(SelectionKey readyKey) {
            boolean locked = false;
            try {
                for (int i = 0; i < tcp.acceptBatch && !closed.get(); i++) {
                    if (!locked && descriptorsShort) {
                        descriptorLock.lock();
                        locked = true;
                    }
                    SocketChannel accepted;
                    try {
                        accepted = channel.accept();
                    } catch (IOException e) {
                        if (closed.get()) {
                            return;
                        }
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
                    if (locked && tcp.refusal.isPresent()) {
                        if (!takeReserve()) {
                            // Short, and the reserve was lost: this newcomer's descriptor becomes it.
                            refuse(accepted);
                            takeReserve();
                            continue;
                        }
                        descriptorsShort = false; // a descriptor beyond the reserve was free
                    } else if (locked) {
                        descriptorsShort = false;
                    }
                    if (tcp.maxConnections.isPresent() && connections.incrementAndGet() > tcp.maxConnections.get()) {
                        connections.decrementAndGet();
                        refuse(accepted);
                        tcp.failureLog.report("connection limit", System.Logger.Level.WARNING, overLimit, null);
                        continue;
                    }
                    EventLoop target = ownLoopOnly ? loop : tcp.reactor().next();
                    if (target == loop) {
                        setUp(loop, accepted);
                    } else {
                        try {
                            target.execute(() -> setUp(target, accepted));
                        } catch (RejectedExecutionException e) {
                            Tcp.closeQuietly(accepted); // the reactor is stopping
                            connectionClosed();
                        }
                    }
                }
            } finally {
                if (locked) {
                    descriptorLock.unlock();
                }
            }
        }

        /**
         * Makes {@code accepted} a connection on {@code target}. An {@link Error} (out of memory,
         * say) drops this connection only: thrown out of {@link #ready}, it would make the loop
         * close the listener. On {@code target}.
         */
        private void setUp(EventLoop target, SocketChannel accepted) {
            try {
                TcpConnection.accepted(tcp, target, accepted, TcpListener.this);
            } catch (Throwable t) { // accepted() handles exceptions itself: this is an Error
                Tcp.closeQuietly(accepted);
                connectionClosed();
                tcp.failureLog.report("setup", System.Logger.Level.ERROR, setUpFailed, t);
            }
        }

        /**
         * Accepting failed, most likely at the open-file limit (where Linux fails it before looking
         * at the backlog, so also once the backlog is empty). With a refusal: gives up the reserve
         * descriptor to accept the newcomer and refuse it, then takes the reserve again. When that
         * cannot be done, backs off. Returns whether to go on accepting in this wake-up. Under
         * {@link #descriptorLock}.
         */
        private boolean acceptAtTheLimit(IOException failure) {
            boolean hadReserve = releaseReserve();
            // Reported with the reserve's descriptor free, before the newcomer takes it: a logger's
            // first record may need to open a file (java.util.logging reads the zone rules), and
            // one that fails for want of a descriptor stays broken.
            tcp.failureLog.report("accept", System.Logger.Level.WARNING, acceptFailed, failure);
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
            if (tcp.refusal.isEmpty() || !takeReserve() || failedAgain) {
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
            if (!backedOff || closed.get()) {
                return;
            }
            backedOff = false;
            backOffTimer.cancel();
            if (tcp.refusal.isPresent()) {
                descriptorLock.lock();
                try {
                    takeReserve(); // if it fails again, the next failed accept backs off again
                } finally {
                    descriptorLock.unlock();
                }
            }
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        }

        /** The loop stopped and closed the socket. On the loop. */
        @Override
        public void closed(Throwable cause) {
            if (!closed.get() && !loop.isStopping()) {
                LOG.log(System.Logger.Level.ERROR, "strand-tcp: listener on " + localAddress + " closed", cause);
            }
        }

        /** Releases the socket; waits for the loop to do so when called off the loops. Any thread. */
        void close() {
            Tcp.closeQuietly(channel);
            // A registered channel's socket is released by the loop's next select, once its key is
            // cancelled: until then the kernel still completes handshakes into the backlog.
            Runnable cancel = () -> {
                if (key != null) {
                    key.cancel();
                }
                if (backOffTimer != null) {
                    backOffTimer.cancel();
                }
            };
            if (loop.inLoop()) {
                cancel.run(); // released at this loop's next select
                return;
            }
            try {
                CompletableFuture<Void> cancelled = CompletableFuture.runAsync(cancel, loop);
                if (EventLoop.current().isPresent() && !Thread.currentThread().isVirtual()) {
                    return; // another loop's thread must not wait: released within a turn of this loop
                }
                cancelled.get(5, TimeUnit.SECONDS);
                // Handed in after the cancel ran, this runs a turn later: after the select that released the socket.
                CompletableFuture.runAsync(() -> { }, loop).get(5, TimeUnit.SECONDS);
            } catch (RejectedExecutionException e) {
                // The loop has stopped and released its registrations already.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the socket is released all the same, a little later
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(System.Logger.Level.WARNING, "strand-tcp: " + TcpListener.this + " was closed, but its loop did not"
                        + " release the socket within 5 s", e);
            }
        }
    }
}
