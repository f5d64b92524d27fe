package dev.strand.reactor.tcp;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.spi.IoHandler;
import dev.strand.reactor.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A {@link TcpServer}: one listening socket on one loop, which accepts and hands each connection
 * to the next loop round-robin. Confined to its loop, but for {@link #close()} and the getters.
 */
final class TcpListener implements TcpServer, IoHandler {

    private static final System.Logger LOG = System.getLogger(TcpServer.class.getName());
    /** Accepts per wake-up, so a flood of connects cannot starve the loop's other work. */
    private static final int ACCEPTS_PER_WAKEUP = 64;
    /** How long accepting pauses after accept failed (out of descriptors): the listener stays ready. */
    private static final Duration ACCEPT_BACK_OFF = Duration.ofMillis(100);

    private final Tcp tcp;
    private final EventLoop loop;
    private final ServerSocketChannel channel;
    final Supplier<? extends ConnectionHandler> handlers;
    /** TLS for every accepted connection, as the server; empty: plaintext. */
    final java.util.Optional<TlsOptions> tls;
    private final InetSocketAddress localAddress;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final String acceptFailed;
    final String setUpFailed;
    private final String overLimit;
    /** Accepted connections not yet closed, for {@link Tcp.Builder#maxConnections}. */
    private final AtomicInteger connections = new AtomicInteger();
    // On the loop.
    private SelectionKey key;
    private Timer backOff;

    TcpListener(Tcp tcp, EventLoop loop, ServerSocketChannel channel, Supplier<? extends ConnectionHandler> handlers,
            java.util.Optional<TlsOptions> tls) throws IOException {
        this.tls = tls;
        this.tcp = tcp;
        this.loop = loop;
        this.channel = channel;
        this.handlers = handlers;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.acceptFailed = "strand-tcp: accept failed on " + localAddress
                + " (out of file descriptors?); accepting pauses " + ACCEPT_BACK_OFF.toMillis() + " ms";
        this.setUpFailed = "strand-tcp: setting up a connection accepted on " + localAddress + " failed; it is closed";
        this.overLimit = "strand-tcp: " + localAddress + " has " + tcp.maxConnections.map(String::valueOf).orElse("")
                + " connections (maxConnections); newcomers are closed at once";
    }

    /** Registers with the loop. Any thread. */
    void start() {
        loop.schedule(() -> {
            if (closed.get()) {
                return;
            }
            try {
                key = loop.register(channel, SelectionKey.OP_ACCEPT, this);
            } catch (UncheckedIOException e) {
                // Closed meanwhile by close() from another thread: nothing to accept on.
                closed.set(true);
            }
        });
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
        return !closed.get() && !loop.isStopping();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Tcp.closeQuietly(channel);
        // A registered channel's socket is released by the loop's next select, once its key is
        // cancelled: until then the kernel still completes handshakes into the backlog.
        Runnable cancel = () -> {
            if (key != null) {
                key.cancel();
            }
            if (backOff != null) {
                backOff.cancel();
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
            LOG.log(System.Logger.Level.WARNING, "strand-tcp: " + this + " was closed, but its loop did not"
                    + " release the socket within 5 s", e);
        }
    }

    @Override
    public void ready(SelectionKey readyKey) {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP && !closed.get(); i++) {
            SocketChannel accepted;
            try {
                accepted = channel.accept();
            } catch (IOException e) {
                if (closed.get()) {
                    return;
                }
                tcp.failureLog.report("accept", System.Logger.Level.WARNING, acceptFailed, e);
                backOff();
                return;
            }
            if (accepted == null) {
                return;
            }
            if (tcp.maxConnections.isPresent() && connections.incrementAndGet() > tcp.maxConnections.get()) {
                connections.decrementAndGet();
                Tcp.closeQuietly(accepted);
                tcp.failureLog.report("connection limit", System.Logger.Level.WARNING, overLimit, null);
                continue;
            }
            EventLoop target = tcp.reactor().next();
            if (target == loop) {
                TcpConnection.accepted(tcp, loop, accepted, this);
            } else {
                try {
                    target.execute(() -> TcpConnection.accepted(tcp, target, accepted, this));
                } catch (RejectedExecutionException e) {
                    Tcp.closeQuietly(accepted); // the reactor is stopping
                    connectionClosed();
                }
            }
        }
    }

    /** One of this server's connections closed (or was never set up). Any thread. */
    void connectionClosed() {
        if (tcp.maxConnections.isPresent()) {
            connections.decrementAndGet();
        }
    }

    /** Stops selecting for accepts for a while. On the loop. */
    private void backOff() {
        key.interestOps(0);
        backOff = loop.addTimer(ACCEPT_BACK_OFF, () -> {
            if (!closed.get() && key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        });
    }

    /** The loop stopped and closed the socket. On the loop. */
    @Override
    public void closed(Throwable cause) {
        closed.set(true);
    }

    @Override
    public String toString() {
        return "TcpServer[" + localAddress + "]";
    }
}
