package dev.strand.reactor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;

/**
 * Client sockets whose waits are polled by the event loop that carries the waiting fiber.
 *
 * <p>A blocking {@link Socket} read on a fiber normally parks it and registers the descriptor with
 * the JDK's own pollers: when the bytes come, a poller thread (a platform thread, or on JDK 25 a
 * virtual thread on the JDK's scheduler) wakes, unparks the fiber, and hands it back to its loop —
 * two thread hand-offs per wait, paid by every database round trip. These sockets are non-blocking
 * channels registered with the carrier loop's own selector instead: the loop sees the bytes in its
 * I/O phase, beside its HTTP connections, and resumes the fiber in the same turn.
 *
 * <p>Give the class name to a driver that takes a socket factory by name (pgjdbc's
 * {@code socketFactory} property; {@code dev.strand.jdbc} does it by itself for PostgreSQL
 * URLs). It has the public no-argument constructor such drivers need.
 *
 * <p><b>Threading.</b> A socket may be used from any thread. Waits on a fiber carried by a loop are
 * polled by that loop; waits anywhere else (platform threads, fibers on the JDK's scheduler, a loop
 * that has stopped) are polled by a selector of the socket's own, opened on first need. The loop's
 * own thread must not wait on a socket (it would stall every connection of the loop): such a wait
 * fails with an {@link IllegalStateException}.
 *
 * <p><b>Failures.</b> As for a plain socket: {@link java.net.SocketTimeoutException} after
 * {@link Socket#setSoTimeout} elapses (the socket stays usable), {@link SocketException} once closed;
 * a fiber interrupted while it waits closes the socket and gets a {@link SocketException}, as with
 * the JDK's sockets; an interrupted platform thread gets a {@link java.io.InterruptedIOException}.
 * Only client sockets: {@code listen} and {@code accept} are not supported.
 */
public final class LoopSocketFactory extends SocketFactory {

    private static final LoopSocketFactory DEFAULT = new LoopSocketFactory();

    /** For drivers that instantiate a factory by class name; {@link #create()} reads better in code. */
    public LoopSocketFactory() {
    }

    /** The shared factory; it holds no state. Any thread. */
    public static LoopSocketFactory create() {
        return DEFAULT;
    }

    /** An unconnected socket. Any thread. */
    @Override
    public Socket createSocket() throws SocketException {
        return new LoopSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private static Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        if (remote.isUnresolved()) {
            throw new java.net.UnknownHostException(remote.getHostString());
        }
        Socket socket = new LoopSocket();
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A socket over {@link LoopSocketImpl}; the subclass exists for the protected constructor. */
    static final class LoopSocket extends Socket {
        private final LoopSocketImpl impl;

        LoopSocket() throws SocketException {
            this(new LoopSocketImpl());
        }

        private LoopSocket(LoopSocketImpl impl) throws SocketException {
            super(impl);
            this.impl = impl;
        }

        /** How many loops its channel is registered with; for tests. */
        int registeredLoops() {
            return impl.registeredLoops();
        }
    }
}
