/**
 * TCP on Strand's event loops, in EventMachine's vocabulary: {@link dev.strand.reactor.tcp.Tcp#startServer}
 * and {@link dev.strand.reactor.tcp.Tcp#connect} take a {@link dev.strand.reactor.tcp.ConnectionHandler}
 * ({@code postInit}, {@code connectionCompleted}, {@code receiveData}, {@code drained},
 * {@code unbind}); a {@link dev.strand.reactor.tcp.Connection} sends ({@code sendData},
 * {@code sendFile}), pauses and resumes reading, and closes ({@code close},
 * {@code closeAfterWriting}), over TCP or TLS.
 *
 * <pre>{@code
 * try (Reactor reactor = Reactor.create();
 *      TcpServer echo = Tcp.create(reactor)
 *              .startServer(7000, () -> (connection, data) -> connection.sendData(data))) {
 *     ...
 * }
 * }</pre>
 *
 * <p><b>TLS.</b> With the JDK's {@link javax.net.ssl.SSLEngine}, on both sides: give
 * {@link dev.strand.reactor.tcp.TlsOptions} to {@code startServer} or {@code connect}, or upgrade a
 * plaintext connection with {@link dev.strand.reactor.tcp.Connection#startTls} (STARTTLS). Handlers
 * see plaintext; clients verify the peer's certificate and host name unless told, loudly, not to.
 * A TLS echo server:
 *
 * <pre>{@code
 * TlsOptions tls = TlsOptions.builder().keyStore(keyStore, password).build();
 * TcpServer echo = Tcp.create(reactor)
 *         .startServer("::", 7443, tls, () -> (connection, data) -> connection.sendData(data));
 * }</pre>
 *
 * <p><b>Where code runs.</b> Each connection belongs to one loop for its life; its handler's
 * callbacks run there, never concurrently, and must not block. Blocking code drives a connection
 * from a fiber through {@link dev.strand.reactor.tcp.Connection#blocking()}: reads and writes park
 * the fiber, and when the loop carries the fiber, the loop resumes it in the same turn the bytes
 * come.
 *
 * <p><b>Bounded.</b> Per connection, at most the high watermark is buffered for writing before
 * {@code sendData} says stop, and a hard limit closes a connection whose writer ignores it; reading
 * is paused on request (and by a blocking reader that falls behind). Connects and idle connections
 * time out when configured to.
 *
 * <p><b>Failures.</b> A connection's end, whatever its cause, is one {@code unbind} with a
 * {@link dev.strand.reactor.tcp.CloseReason}; a handler that throws is counted
 * ({@link dev.strand.reactor.Failure#CONNECTION_HANDLER}), reported, and its connection closed.
 */
package dev.strand.reactor.tcp;
