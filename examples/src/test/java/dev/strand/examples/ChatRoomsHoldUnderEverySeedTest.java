package dev.strand.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.reactor.Deferred;
import dev.strand.reactor.Simulation;
import dev.strand.reactor.spi.MemoryPipe;
import dev.strand.reactor.tcp.BlockingConnection;
import dev.strand.reactor.tcp.ConnectionHandler;
import dev.strand.reactor.tcp.Tcp;
import dev.strand.testkit.DeterministicTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The chat server in a simulation: members connected through memory pipes talk at the same time,
 * and under every seed's interleaving each message reaches everyone else in the room exactly once,
 * and nobody outside it. A failing seed would replay with {@code -Dstrand.seed=N}.
 */
class ChatRoomsHoldUnderEverySeedTest {

    /** A member's client: lines over a memory pipe, read and written from a fiber of the simulation. */
    private static final class Member {
        final BlockingConnection connection;
        final BufferedReader in;

        Member(Simulation sim, Tcp tcp, Supplier<ConnectionHandler> chat) {
            MemoryPipe pipe = MemoryPipe.create();
            tcp.attach(sim.loop(), pipe.serverSide(), Optional.empty(), chat.get());
            connection = Tcp.create(sim.reactor()).attach(sim.loop(), pipe.clientSide(), Optional.empty(), (c, data) -> { })
                    .blocking();
            in = new BufferedReader(new InputStreamReader(connection.input(), UTF_8));
        }

        void send(String line) {
            try {
                connection.output().write((line + "\n").getBytes(UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String read() {
            try {
                return in.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Joins {@code room} as {@code nick}, past the welcome. */
        Member enter(String nick, String room) {
            assertTrue(read().startsWith("welcome guest-"));
            assertEquals("you are in lobby", read());
            send("/nick " + nick);
            assertEquals("you are " + nick, read());
            send("/join " + room);
            assertEquals("you are in " + room, read());
            return this;
        }
    }

    @DeterministicTest(seeds = 10, twice = true)
    void everyMessageReachesTheRestOfItsRoomOnce(Simulation sim) {
        Supplier<ConnectionHandler> chat = ChatServer.newChat();
        Tcp tcp = ChatServer.tcp(sim.reactor());
        Member alice = new Member(sim, tcp, chat).enter("alice", "kitchen");
        Member bob = new Member(sim, tcp, chat).enter("bob", "kitchen");
        assertEquals("* bob joined kitchen", alice.read());
        Member carol = new Member(sim, tcp, chat).enter("carol", "kitchen");
        assertEquals("* carol joined kitchen", alice.read());
        assertEquals("* carol joined kitchen", bob.read());
        Member dave = new Member(sim, tcp, chat).enter("dave", "garden");

        // All three speak at once, each on a fiber of its own; the seed decides the interleaving.
        List<Member> kitchen = List.of(alice, bob, carol);
        List<String> names = List.of("alice", "bob", "carol");
        List<Deferred<Set<String>>> heard = new ArrayList<>();
        for (int i = 0; i < kitchen.size(); i++) {
            Member member = kitchen.get(i);
            String name = names.get(i);
            Deferred<Set<String>> lines = Deferred.create(sim.loop());
            heard.add(lines);
            sim.loop().startFiber(() -> {
                try {
                    member.send("hello from " + name);
                    lines.succeed(new HashSet<>(List.of(member.read(), member.read())));
                } catch (Throwable t) {
                    lines.fail(t);
                }
            });
        }
        for (int i = 0; i < kitchen.size(); i++) {
            Set<String> expected = new HashSet<>();
            for (String other : names) {
                if (!other.equals(names.get(i))) {
                    expected.add("[kitchen] " + other + ": hello from " + other);
                }
            }
            assertEquals(expected, heard.get(i).await(), names.get(i) + " heard");
        }

        // The garden heard none of it: its next line is the answer to its own command.
        dave.send("/quit");
        assertEquals("bye", dave.read());
        assertNull(dave.read());
    }
}
