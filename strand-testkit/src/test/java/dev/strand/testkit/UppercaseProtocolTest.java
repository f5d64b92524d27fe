package dev.strand.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.reactor.Simulation;
import dev.strand.reactor.spi.MemoryPipe;
import dev.strand.reactor.tcp.BlockingConnection;
import dev.strand.reactor.tcp.Connection;
import dev.strand.reactor.tcp.ConnectionHandler;
import dev.strand.reactor.tcp.Tcp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;

/**
 * docs/testing.md's toolkit-protocol example: a line protocol (answer each line in upper case; close
 * a connection quiet for 10 s) tested over a memory pipe in a simulation, its timeout on the virtual
 * clock.
 */
class UppercaseProtocolTest {

    /** The protocol under test: a handler of the reactor's TCP toolkit. */
    static final class Uppercase implements ConnectionHandler {
        private final StringBuilder line = new StringBuilder();

        @Override
        public void receiveData(Connection connection, ByteBuffer data) {
            while (data.hasRemaining()) {
                char c = (char) data.get();
                if (c == '\n') {
                    connection.sendData((line.toString().toUpperCase() + "\n").getBytes(US_ASCII));
                    line.setLength(0);
                } else {
                    line.append(c);
                }
            }
        }
    }

    @DeterministicTest(seeds = 5)
    void answersInUpperCaseAndClosesWhenQuiet(Simulation sim) throws IOException {
        MemoryPipe pipe = MemoryPipe.create();
        Tcp.builder(sim.reactor()).inactivityTimeout(Duration.ofSeconds(10)).build()
                .attach(sim.loop(), pipe.serverSide(), Optional.empty(), new Uppercase());
        BlockingConnection client = Tcp.create(sim.reactor())
                .attach(sim.loop(), pipe.clientSide(), Optional.empty(), (c, data) -> { }).blocking();
        BufferedReader in = new BufferedReader(new InputStreamReader(client.input(), US_ASCII));

        client.output().write("hello\nstrand\n".getBytes(US_ASCII));
        assertEquals("HELLO", in.readLine());
        assertEquals("STRAND", in.readLine());
        assertEquals(null, in.readLine(), "the server closed the quiet connection");
        assertEquals(Duration.ofSeconds(10), sim.elapsed());
    }
}
