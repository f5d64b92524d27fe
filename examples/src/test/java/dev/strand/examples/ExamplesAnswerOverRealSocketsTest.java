package dev.strand.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.strand.reactor.Reactor;
import dev.strand.testkit.CheckLeaks;
import dev.strand.reactor.tcp.TcpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each example, started on port 0, answers a client as its README says. */
@CheckLeaks // the reactor each test closes leaves no thread, port or descriptor behind
class ExamplesAnswerOverRealSocketsTest {

    private Reactor reactor;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(2).name("examples").build();
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    /** A line-oriented client with a 5 s read timeout. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket();
            socket.setSoTimeout(5_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
            out = socket.getOutputStream();
        }

        void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(UTF_8));
            out.flush();
        }

        String read() throws IOException {
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void theEchoServerSendsBackWhatItGets() throws Exception {
        try (TcpServer server = EchoServer.start(reactor, 0);
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            byte[] message = "hello, strand\n".repeat(1000).getBytes(UTF_8);
            socket.getOutputStream().write(message);
            socket.shutdownOutput();
            assertArrayEquals(message, socket.getInputStream().readAllBytes());
        }
    }

    @Test
    void chatMessagesReachTheirRoomOnly() throws Exception {
        // Each member arrives once the one before has left the lobby, so the lobby's notices are known.
        try (TcpServer server = ChatServer.start(reactor, 0); Client alice = new Client(server.port())) {
            assertEquals("welcome", alice.read().split(" ")[0]);
            assertEquals("you are in lobby", alice.read());
            alice.send("/nick alice");
            assertEquals("you are alice", alice.read());
            alice.send("/join kitchen");
            assertEquals("you are in kitchen", alice.read());

            try (Client bob = new Client(server.port())) {
                bob.read();
                assertEquals("you are in lobby", bob.read());
                bob.send("/nick bob");
                assertEquals("you are bob", bob.read());
                bob.send("/join kitchen");
                assertEquals("you are in kitchen", bob.read());
                assertEquals("* bob joined kitchen", alice.read());

                try (Client carol = new Client(server.port())) {
                    carol.read();
                    assertEquals("you are in lobby", carol.read());
                    carol.send("anyone?"); // nobody else is in the lobby: it reaches no one
                    carol.send("/nick carol"); // answered after the line above was handled
                    assertEquals("you are carol", carol.read());

                    alice.send("hello, kitchen");
                    assertEquals("[kitchen] alice: hello, kitchen", bob.read());

                    bob.send("/join lobby");
                    assertEquals("you are in lobby", bob.read());
                    assertEquals("* bob left kitchen", alice.read());
                    assertEquals("* bob joined lobby", carol.read());
                    carol.send("hi bob");
                    assertEquals("[lobby] carol: hi bob", bob.read(), "carol's earlier line reached nobody");

                    bob.send("/shout");
                    assertEquals("unknown command; try /nick NAME, /join ROOM, /quit", bob.read());
                    bob.send("/quit");
                    assertEquals("bye", bob.read());
                    assertNull(bob.read(), "the server closes after saying bye");
                    assertEquals("* bob left lobby", carol.read());
                }
            }
        }
    }

    @Test
    void aLineLongerThanTheLimitEndsTheConnection() throws Exception {
        try (TcpServer server = ChatServer.start(reactor, 0);
             Client client = new Client(server.port())) {
            client.read();
            client.read();
            client.send("x".repeat(ChatServer.MAX_LINE + 1));
            assertEquals("line too long (at most " + ChatServer.MAX_LINE + " bytes); bye", client.read());
            assertNull(client.read());
        }
    }
}
