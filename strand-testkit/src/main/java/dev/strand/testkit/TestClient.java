package dev.strand.testkit;

import dev.strand.http.HttpServer;
import dev.strand.reactor.Simulation;
import dev.strand.reactor.spi.MemoryPipe;
import dev.strand.reactor.tcp.BlockingConnection;
import dev.strand.reactor.tcp.Connection;
import dev.strand.reactor.tcp.Tcp;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A small blocking HTTP/1.1 client for tests: over sockets to one port on {@code 127.0.0.1}
 * ({@link #create(int)}), or in memory to a server that need not listen at all
 * ({@link #inMemory(HttpServer)}, through {@link HttpServer#attach}). Both speak the same HTTP/1.1
 * through the same code; only how a connection is opened differs.
 *
 * <p>Each request opens its own connection, sends {@code Connection: close}, reads the whole
 * response and closes the connection: no pool, no thread of its own, nothing left open between
 * requests (so it never trips a {@link CheckLeaks} check). Responses are read by their framing
 * ({@code Content-Length}, chunked, or up to the close); interim {@code 1xx} responses are skipped.
 *
 * <p>Threading: immutable and thread-safe; requests from several threads or fibers run side by
 * side. It blocks the calling thread, so call it from a test thread or a fiber, never from a loop's
 * own thread (in memory, that loop may be the one that must answer).
 *
 * <p>Failures: a connection that cannot be made (in memory: the server is not running), a read
 * that waits longer than the client's timeout (default 30 s) and a response that is not
 * well-formed HTTP/1.1 throw an {@link UncheckedIOException} (its cause says which); a method, path
 * or header that could not be sent as given (a space or line break in it) an
 * {@link IllegalArgumentException}.
 */
public final class TestClient {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_LINE = 65_536;

    /** Where connections go: a port, or a server's {@link HttpServer#attach}. */
    private sealed interface Target permits SocketTarget, MemoryTarget, SimulatedTarget {
        /** Opens a connection whose reads and writes time out after {@code timeout}. */
        Link open(Duration timeout) throws IOException;

        /** For messages: "127.0.0.1:8080", "memory". */
        String describe();
    }

    private record SocketTarget(int port) implements Target {
        @Override
        public Link open(Duration timeout) throws IOException {
            Socket socket = new Socket();
            try {
                int millis = (int) timeout.toMillis();
                socket.connect(new InetSocketAddress("127.0.0.1", port), millis);
                socket.setSoTimeout(millis);
                socket.setTcpNoDelay(true);
                return new Link(new BufferedInputStream(socket.getInputStream()), socket.getOutputStream(),
                        socket::shutdownOutput, socket::close);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        @Override
        public String describe() {
            return "127.0.0.1:" + port;
        }
    }

    private record MemoryTarget(HttpServer server) implements Target {
        @Override
        public Link open(Duration timeout) throws IOException {
            MemoryPipe pipe = MemoryPipe.create();
            MemoryPipe.BlockingClient client = pipe.blockingClient(timeout);
            try {
                server.attach(pipe.serverSide());
            } catch (IllegalStateException e) {
                throw new java.net.ConnectException("cannot attach to the server: " + e.getMessage());
            }
            return new Link(new BufferedInputStream(client.input()), client.output(), client::shutdownOutput, client::close);
        }

        @Override
        public String describe() {
            return "memory";
        }
    }

    /**
     * Connections through a {@link MemoryPipe} whose client end is a connection on the simulation's
     * loop, read and written from the test's fiber: every wait is a park the loop ends, and the read
     * timeout is the connection's inactivity timeout, on the virtual clock.
     */
    private record SimulatedTarget(Simulation sim, HttpServer server) implements Target {
        @Override
        public Link open(Duration timeout) throws IOException {
            if (!sim.loop().inLoop()) {
                throw new IllegalStateException("a simulated client is used from the simulation's fibers (a @DeterministicTest's body),"
                        + " not from " + Thread.currentThread());
            }
            MemoryPipe pipe = MemoryPipe.create();
            try {
                server.attach(pipe.serverSide());
            } catch (IllegalStateException e) {
                throw new java.net.ConnectException("cannot attach to the server: " + e.getMessage());
            }
            Connection connection = Tcp.builder(sim.reactor()).inactivityTimeout(timeout).build()
                    .attach(sim.loop(), pipe.clientSide(), Optional.empty(), (c, data) -> { });
            BlockingConnection blocking = connection.blocking();
            return new Link(new BufferedInputStream(blocking.input()), blocking.output(), () -> {
                connection.whenDrained().join(); // what was sent goes first
                pipe.clientSide().shutdownOutput();
            }, blocking::close);
        }

        @Override
        public String describe() {
            return "simulation";
        }
    }

    /**
     * One open connection, over a socket or memory: the client's streams, its half-close and its
     * close. For this class and the kit's tests (keep-alive, pipelining). One thread at a time.
     */
    record Link(InputStream in, OutputStream out, IoAction halfClose, IoAction closer) implements AutoCloseable {

        /** Sends {@code bytes} at once. */
        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Reads one response (the final one, after any interim ones); {@code head}: it answers a HEAD. */
        TestResponse read(boolean head) throws IOException {
            return TestClient.read(in, head);
        }

        /** Ends the client's stream; the server may still answer. */
        void shutdownOutput() throws IOException {
            halfClose.run();
        }

        @Override
        public void close() throws IOException {
            closer.run();
        }
    }

    /** Something on a connection that may fail. */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    private final Target target;
    private final Duration timeout;

    private TestClient(Target target, Duration timeout) {
        this.target = target;
        this.timeout = timeout;
    }

    /** A client for {@code 127.0.0.1:port} whose connects and reads time out after 30 s. */
    public static TestClient create(int port) {
        return create(port, DEFAULT_TIMEOUT);
    }

    /**
     * A client for {@code 127.0.0.1:port} whose connects and reads each time out after {@code timeout}.
     *
     * @throws IllegalArgumentException when the port is out of range or the timeout not positive
     */
    public static TestClient create(int port, Duration timeout) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return new TestClient(new SocketTarget(port), checked(timeout));
    }

    /**
     * A client that reaches {@code server} in memory, without sockets: each request hands the server
     * a connection of its own through {@link HttpServer#attach}, so the server need not listen
     * ({@link dev.strand.http.ServerConfig.Builder#listen(boolean)}). Reads and writes time out
     * after 30 s.
     */
    public static TestClient inMemory(HttpServer server) {
        return inMemory(server, DEFAULT_TIMEOUT);
    }

    /**
     * As {@link #inMemory(HttpServer)}, with reads and writes that each time out after {@code timeout}.
     *
     * @throws IllegalArgumentException when the timeout is not positive
     */
    public static TestClient inMemory(HttpServer server, Duration timeout) {
        return new TestClient(new MemoryTarget(Objects.requireNonNull(server, "server")), checked(timeout));
    }

    /**
     * A client that reaches {@code server}, started on {@code sim}'s reactor, inside the simulation:
     * each request is a connection of its own through a {@link MemoryPipe} and
     * {@link HttpServer#attach}, driven from the calling fiber, so requests and their timeouts run on
     * the virtual clock and in the seed's order. Use it from the body of a {@link DeterministicTest}
     * (or a {@link Simulation#run}); elsewhere requests throw {@link IllegalStateException}. A read
     * that waits 30 s of virtual time fails with a {@link java.io.IOException}.
     */
    public static TestClient inSimulation(Simulation sim, HttpServer server) {
        return inSimulation(sim, server, DEFAULT_TIMEOUT);
    }

    /**
     * As {@link #inSimulation(Simulation, HttpServer)}, with reads that fail after {@code timeout} of
     * virtual time without a byte.
     *
     * @throws IllegalArgumentException when the timeout is not positive
     */
    public static TestClient inSimulation(Simulation sim, HttpServer server, Duration timeout) {
        return new TestClient(new SimulatedTarget(Objects.requireNonNull(sim, "sim"), Objects.requireNonNull(server, "server")),
                checked(timeout));
    }

    private static Duration checked(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout must be positive and under 24 days: " + timeout);
        }
        return timeout;
    }

    /**
     * The server's port.
     *
     * @throws IllegalStateException for an {@linkplain #inMemory in-memory} client, which has none
     */
    public int port() {
        if (target instanceof SocketTarget(int port)) {
            return port;
        }
        throw new IllegalStateException("an in-memory client has no port");
    }

    /** Whether this client reaches its server in memory rather than over a socket. */
    public boolean isInMemory() {
        return !(target instanceof SocketTarget);
    }

    /** Opens a connection for a test that needs more than one request on it. */
    Link connect() throws IOException {
        return target.open(timeout);
    }

    /** {@code GET path}; {@code path} may carry a query, such as {@code /users/42?q=a}. */
    public TestResponse get(String path) {
        return request("GET", path, Map.of(), new byte[0]);
    }

    /** {@code POST path} with {@code body} as UTF-8 text ({@code Content-Type: text/plain; charset=UTF-8}). */
    public TestResponse post(String path, String body) {
        return request("POST", path, Map.of("Content-Type", "text/plain; charset=UTF-8"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code method path} with {@code headers} and {@code body} and reads the response.
     * {@code Host} and {@code Connection: close} are added, and {@code Content-Length} when the body
     * is not empty or the method is {@code POST}, {@code PUT} or {@code PATCH}; headers given here
     * with those names replace them.
     */
    public TestResponse request(String method, String path, Map<String, String> headers, byte[] body) {
        byte[] head = head(method, path, headers, body.length);
        try (Link link = target.open(timeout)) {
            link.out().write(head);
            link.send(body);
            return link.read(method.equals("HEAD"));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " on " + target.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The request head {@link #request} sends; for the kit's tests too. */
    static byte[] head(String method, String path, Map<String, String> headers) {
        return head(method, path, headers, 0);
    }

    private static byte[] head(String method, String path, Map<String, String> headers, int length) {
        requireToken(method, "method");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("path must start with / and hold no spaces or controls: " + path);
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("host", "Host: 127.0.0.1");
        all.put("connection", "Connection: close");
        if (length > 0 || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            all.put("content-length", "Content-Length: " + length);
        }
        headers.forEach((name, value) -> {
            requireToken(name, "header name");
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header value holds a line break: " + name);
            }
            all.put(name.toLowerCase(Locale.ROOT), name + ": " + value);
        });
        StringBuilder text = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        all.values().forEach(line -> text.append(line).append("\r\n"));
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void requireToken(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c >= 0x7f || c == ':')) {
            throw new IllegalArgumentException(what + " is not a token: " + value);
        }
    }

    static TestResponse read(InputStream in, boolean head) throws IOException {
        while (true) {
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || parts[1].length() != 3) {
                throw new ProtocolException("not a status line: " + statusLine);
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new ProtocolException("not a status line: " + statusLine);
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new ProtocolException("not a header field: " + line);
                }
                headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
            if (status >= 100 && status < 200) {
                continue; // interim: the final response follows
            }
            byte[] body = head || status == 204 || status == 304 ? new byte[0] : body(in, headers);
            Map<String, List<String>> frozen = new LinkedHashMap<>();
            headers.forEach((name, values) -> frozen.put(name, List.copyOf(values)));
            return new TestResponse(status, Collections.unmodifiableMap(frozen), body);
        }
    }

    private static byte[] body(InputStream in, Map<String, List<String>> headers) throws IOException {
        List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
        if (!encoding.isEmpty() && encoding.getLast().toLowerCase(Locale.ROOT).endsWith("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line(in);
                int semicolon = size.indexOf(';');
                int length;
                try {
                    length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("not a chunk size: " + size);
                }
                if (length == 0) {
                    while (!line(in).isEmpty()) {
                        // trailer fields: dropped
                    }
                    return body.toByteArray();
                }
                body.write(exactly(in, length));
                if (!line(in).isEmpty()) {
                    throw new ProtocolException("chunk not followed by CRLF");
                }
            }
        }
        List<String> length = headers.get("content-length");
        if (length != null) {
            try {
                return exactly(in, Integer.parseInt(length.getFirst()));
            } catch (NumberFormatException e) {
                throw new ProtocolException("not a content length: " + length.getFirst());
            }
        }
        return in.readAllBytes(); // delimited by the close
    }

    private static byte[] exactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new ProtocolException("connection closed after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    /** One line without its CRLF (a bare LF is accepted too). */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new ProtocolException("connection closed in the middle of the response head");
            }
            if (line.length() == MAX_LINE) {
                throw new ProtocolException("line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) c);
        }
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }
}
