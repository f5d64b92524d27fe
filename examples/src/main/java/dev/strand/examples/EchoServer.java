package dev.strand.examples;

import dev.strand.reactor.Reactor;
import dev.strand.reactor.tcp.Tcp;
import dev.strand.reactor.tcp.TcpServer;

/**
 * An echo server: every byte a peer sends comes back. Run it with
 * {@code ./mvnw -q -pl examples -am package -DskipTests -Prun -Dexample=EchoServer -Dport=7000},
 * then {@code nc localhost 7000}.
 *
 * <p>The handler is one lambda: {@code receiveData} sends the bytes back ({@code sendData} copies
 * them, so the loop's read buffer may be reused at once). Back-pressure is not needed here: the
 * peer that sends faster than it reads fills its own window first, and a peer that never reads is
 * cut off at the connection's hard limit.
 */
public final class EchoServer {

    private EchoServer() {
    }

    /**
     * Starts an echo server on {@code port} (0: any free port), every interface, IPv4 and IPv6.
     * Any thread.
     *
     * @throws java.io.UncheckedIOException when the port cannot be bound
     */
    public static TcpServer start(Reactor reactor, int port) {
        return Tcp.create(reactor).startServer(port, () -> (connection, data) -> connection.sendData(data));
    }

    /**
     * Runs the server until the process is stopped.
     *
     * @param args the port; 7000 when none is given
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7000;
        TcpServer server = start(Reactor.create(), port);
        System.out.println("echo server on " + server.localAddress() + "; try: nc localhost " + server.port());
    }
}
