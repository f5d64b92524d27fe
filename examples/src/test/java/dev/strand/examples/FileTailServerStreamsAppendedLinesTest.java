package dev.strand.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Reactor;
import dev.strand.testkit.CheckLeaks;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileTailServer} over real sockets on 127.0.0.1, tailing a temporary file. Every wait is a
 * socket read with a 10 s timeout (the file watcher may be slow); nothing asserts how fast.
 */
@CheckLeaks // the reactor each test closes leaves no thread, port or descriptor behind
class FileTailServerStreamsAppendedLinesTest {

    @TempDir
    Path dir;
    private Path file;
    private Reactor reactor;

    @BeforeEach
    void start() throws IOException {
        reactor = Reactor.builder().loops(2).name("file-tail-test").build();
        file = dir.resolve("app.log");
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    private void append(String text) throws IOException {
        Files.writeString(file, text, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** A client reading lines, each with a 10 s timeout. */
    private static final class Client implements AutoCloseable {
        final Socket socket = new Socket();
        final InputStream in;

        Client(int port) throws IOException {
            this(port, 0);
        }

        Client(int port, int receiveBuffer) throws IOException {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            in = new BufferedInputStream(socket.getInputStream());
        }

        /** The next line without its newline; null at the end of the stream. */
        String read() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(UTF_8);
                }
                line.write(b);
            }
            return line.toString(UTF_8);
        }

        /** Reads the greeting: from then on the client gets every line completed. */
        Client admitted(Path file) throws IOException {
            assertEquals(FileTailServer.MARKER + "tailing " + file.toAbsolutePath().normalize(), read());
            return this;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void twoClientsGetTheLinesAppendedAfterTheyConnectedInOrder() throws Exception {
        append("before the server\n");
        try (FileTailServer tail = FileTailServer.start(reactor, 0, file);
             Client first = new Client(tail.port()).admitted(file);
             Client second = new Client(tail.port()).admitted(file)) {
            for (int i = 0; i < 100; i++) {
                append("line " + i + "\n");
            }
            for (int i = 0; i < 100; i++) {
                assertEquals("line " + i, first.read());
                assertEquals("line " + i, second.read());
            }
        }
    }

    @Test
    void theLastLinesComeFirstWhenAsked() throws Exception {
        append("one\ntwo\nthree\nfour");
        try (FileTailServer tail = FileTailServer.builder(reactor, file).port(0).lastLines(2).start();
             Client client = new Client(tail.port()).admitted(file)) {
            assertEquals("two", client.read());
            assertEquals("three", client.read());
            append(" and more\nfive\n");
            assertEquals("four and more", client.read(), "the partial last line at the start goes out whole");
            assertEquals("five", client.read());
        }
    }

    @Test
    void aPartialLineGoesOutOnlyOnceCompleted() throws Exception {
        try (FileTailServer tail = FileTailServer.start(reactor, 0, file);
             Client client = new Client(tail.port()).admitted(file)) {
            append("first\npar");
            assertEquals("first", client.read()); // the step that read "par" is done
            client.socket.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, client.in::read, "nothing of the partial line yet");
            client.socket.setSoTimeout(10_000);
            append("tial\n");
            assertEquals("partial", client.read());
        }
    }

    @Test
    void anOverLongLineIsCutAndMarked() throws Exception {
        try (FileTailServer tail = FileTailServer.start(reactor, 0, file);
             Client client = new Client(tail.port()).admitted(file)) {
            append("x".repeat(FileTailServer.MAX_LINE + 100) + "\nafter\n");
            assertEquals("x".repeat(FileTailServer.MAX_LINE), client.read());
            assertEquals(FileTailServer.CUT, client.read());
            assertEquals("after", client.read());
        }
    }

    @Test
    void aTruncatedFileIsReadAgainFromItsStartAndSaysSo() throws Exception {
        append("old content that is long\n");
        try (FileTailServer tail = FileTailServer.start(reactor, 0, file);
             Client client = new Client(tail.port()).admitted(file)) {
            append("a\n");
            assertEquals("a", client.read());
            Files.writeString(file, "new\n", UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            assertEquals(FileTailServer.TRUNCATED, client.read());
            assertEquals("new", client.read());
            append("next\n");
            assertEquals("next", client.read());
        }
    }

    @Test
    void aFileReplacedByRenameIsReadFromItsStartAndSaysSo() throws Exception {
        append("old\n");
        try (FileTailServer tail = FileTailServer.start(reactor, 0, file);
             Client client = new Client(tail.port()).admitted(file)) {
            append("a\n");
            assertEquals("a", client.read());
            Path next = dir.resolve("app.log.next");
            Files.writeString(next, "rotated 1\nrotated 2\nrotated 3\nrotated 4\n", UTF_8);
            Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            String marker = client.read();
            assertTrue(marker.equals(FileTailServer.REPLACED) || marker.equals(FileTailServer.DELETED), marker);
            assertEquals("rotated 1", client.read());
        }
    }

    @Test
    void aFileThatDoesNotExistYetIsTailedOnceCreated() throws Exception {
        try (FileTailServer tail = FileTailServer.start(reactor, 0, file);
             Client client = new Client(tail.port()).admitted(file)) {
            append("hello\n");
            assertEquals("hello", client.read());
        }
    }

    @Test
    void aMissingDirectoryFailsTheStartClearly() {
        Path nowhere = dir.resolve("no-such-dir").resolve("app.log");
        var e = assertThrows(java.io.UncheckedIOException.class, () -> FileTailServer.start(reactor, 0, nowhere));
        assertTrue(e.getMessage().contains("directory does not exist"), e.getMessage());
    }

    @Test
    void aClientThatNeverReadsIsDisconnectedWhileAnotherKeepsReceiving() throws Exception {
        int lines = 16 * 1024;
        String padding = "y".repeat(1000);
        try (FileTailServer tail = FileTailServer.builder(reactor, file).port(0).maxLag(Duration.ofSeconds(1)).start();
             Client slow = new Client(tail.port(), 4096).admitted(file);
             Client normal = new Client(tail.port()).admitted(file)) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                batch.append(i).append(' ').append(padding).append('\n');
                if (batch.length() > 128 * 1024) {
                    append(batch.toString());
                    batch.setLength(0);
                }
            }
            append(batch.toString());
            for (int i = 0; i < lines; i++) {
                assertEquals(i + " " + padding, normal.read(), "line " + i);
            }
            assertEquals(1, tail.slowClientsDisconnected());
            // The slow client gets what its socket held, then the end: far less than was appended.
            long received = 0;
            try {
                received = slow.in.transferTo(OutputStreamSink.INSTANCE);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the slow client was not disconnected", e);
            } catch (IOException reset) {
                // a reset ends it as well as an end of stream
            }
            assertTrue(received < (long) lines * padding.length() / 2, "received " + received);
        }
    }

    @Test
    void closingTheServerClosesItsClients() throws Exception {
        FileTailServer tail = FileTailServer.start(reactor, 0, file);
        try (Client client = new Client(tail.port()).admitted(file)) {
            tail.close();
            assertEquals(FileTailServer.STOPPING, client.read());
            assertNull(client.read());
        }
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
