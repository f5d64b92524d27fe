package dev.strand.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.strand.reactor.Simulation;
import dev.strand.reactor.spi.MemoryPipe;
import dev.strand.reactor.tcp.BlockingConnection;
import dev.strand.reactor.tcp.ConnectionClosedException;
import dev.strand.reactor.tcp.Tcp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * A raw HTTP client over a {@link MemoryPipe} to a server inside a {@link Simulation}: writes exact
 * bytes and reads responses by their framing, from a fiber of the simulation (every wait is a park
 * that the simulated loop ends, so the virtual clock moves while it waits).
 *
 * <p>Threading: one fiber of the simulation at a time, or one reader and one writer. Failures:
 * reads throw {@link IOException} when the stream ends or the connection closes mid-response.
 */
final class PipeClient {

    /** A response's status line and head (lower-cased names), and its body as text. */
    record Response(int status, String head, String body) {
        /** The value of header {@code name}, if present; case-insensitive. */
        Optional<String> header(String name) {
            String wanted = "\r\n" + name.toLowerCase(Locale.ROOT) + ":";
            int at = head.toLowerCase(Locale.ROOT).indexOf(wanted);
            if (at < 0) {
                return Optional.empty();
            }
            int end = head.indexOf("\r\n", at + wanted.length());
            return Optional.of(head.substring(at + wanted.length(), end).trim());
        }
    }

    private final BlockingConnection connection;

    private PipeClient(BlockingConnection connection) {
        this.connection = connection;
    }

    /** Connects to {@code server} through a pipe of {@code capacity} bytes each way. On a fiber of {@code sim}. */
    static PipeClient connect(Simulation sim, HttpServer server, int capacity) {
        MemoryPipe pipe = MemoryPipe.create(capacity, "client");
        server.attach(pipe.serverSide());
        return new PipeClient(Tcp.create(sim.reactor())
                .attach(sim.loop(), pipe.clientSide(), Optional.empty(), (c, data) -> { }).blocking());
    }

    /** Connects through a pipe of the default capacity. */
    static PipeClient connect(Simulation sim, HttpServer server) {
        return connect(sim, server, MemoryPipe.DEFAULT_CAPACITY);
    }

    InputStream input() {
        return connection.input();
    }

    OutputStream output() {
        return connection.output();
    }

    /** Writes {@code text} (ASCII) at once. */
    PipeClient send(String text) throws IOException {
        connection.output().write(text.getBytes(US_ASCII));
        return this;
    }

    /** Reads a head up to its blank line. */
    String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        InputStream in = connection.input();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the stream ended in the head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Reads one response framed by its Content-Length (no body without one). */
    Response read() throws IOException {
        String head = readHead();
        int status = Integer.parseInt(head.substring(9, 12));
        Response bodiless = new Response(status, head, "");
        int length = bodiless.header("Content-Length").map(Integer::parseInt).orElse(0);
        byte[] body = connection.input().readNBytes(length);
        if (body.length < length) {
            throw new IOException("the stream ended in the body: " + head);
        }
        return new Response(status, head, new String(body, ISO_8859_1));
    }

    /** Closes the client's end at once (the server sees the end of its input). */
    void close() {
        connection.close();
    }

    /**
     * Whether the server ended the connection: reads what is left and returns true at the end of
     * the stream or a close, false when a byte comes instead.
     */
    boolean closedByServer() throws IOException {
        try {
            return connection.input().read() < 0;
        } catch (ConnectionClosedException e) {
            return true;
        }
    }
}
