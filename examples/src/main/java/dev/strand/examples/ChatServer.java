package dev.strand.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.strand.reactor.Reactor;
import dev.strand.reactor.tcp.CloseReason;
import dev.strand.reactor.tcp.Connection;
import dev.strand.reactor.tcp.ConnectionHandler;
import dev.strand.reactor.tcp.Tcp;
import dev.strand.reactor.tcp.TcpServer;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A line-based chat server with rooms. Run it with
 * {@code ./mvnw -q -pl examples -am package -DskipTests -Prun -Dexample=ChatServer -Dport=7000},
 * then connect a few {@code nc localhost 7000}.
 *
 * <p>Each line a member sends is a message to everyone else in the member's room, or a command:
 * {@code /nick NAME}, {@code /join ROOM}, {@code /quit}. Members start as {@code guest-N} in
 * {@code lobby}; names and rooms are 1 to 32 of {@code A-Z a-z 0-9 _ -}.
 *
 * <p>How it uses the toolkit: one {@link Member} handler per connection, whose state (the line
 * being read, the name, the room) only its connection's loop touches; the rooms are shared by every
 * loop, so they are concurrent sets, and a message to a member on another loop is a
 * {@code sendData} from this loop's thread, which Strand hands over. Everything is bounded: lines
 * (1 KiB, longer ones end the connection), members (10,000), and what waits for a slow reader — a
 * member whose out-queue is over the high watermark misses messages instead of holding memory.
 */
public final class ChatServer {

    /** The longest line, in bytes, without its newline. */
    static final int MAX_LINE = 1024;
    static final int MAX_MEMBERS = 10_000;
    private static final int HIGH_WATERMARK = 64 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final String LOBBY = "lobby";

    private final ConcurrentHashMap<String, Set<Member>> rooms = new ConcurrentHashMap<>();
    private final AtomicInteger members = new AtomicInteger();
    private final AtomicInteger guests = new AtomicInteger();
    private final AtomicLong arrivals = new AtomicLong();
    private static final Comparator<Member> BY_ARRIVAL = Comparator.comparingLong(member -> member.arrival);

    private ChatServer() {
    }

    /**
     * Starts a chat server on {@code port} (0: any free port), every interface, IPv4 and IPv6.
     * Any thread.
     *
     * @throws java.io.UncheckedIOException when the port cannot be bound
     */
    public static TcpServer start(Reactor reactor, int port) {
        return tcp(reactor).startServer(port, newChat());
    }

    /**
     * A chat of its own, as a handler per connection: for tests that hand it connections themselves
     * (memory pipes, in a simulation), with {@link #tcp}'s settings.
     */
    static Supplier<ConnectionHandler> newChat() {
        ChatServer chat = new ChatServer();
        return () -> chat.new Member();
    }

    /** The connections' settings: a member's out-queue is bounded by the high watermark. */
    static Tcp tcp(Reactor reactor) {
        return Tcp.builder(reactor).highWatermark(HIGH_WATERMARK).build();
    }

    /**
     * Runs the server until the process is stopped.
     *
     * @param args the port; 7000 when none is given
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7000;
        TcpServer server = start(Reactor.create(), port);
        System.out.println("chat server on " + server.localAddress() + "; try: nc localhost " + server.port());
    }

    /** Sends {@code line} to everyone in {@code room} but {@code from}. On {@code from}'s loop. */
    private void broadcast(String room, Member from, String line) {
        Set<Member> present = rooms.get(room);
        if (present == null) {
            return;
        }
        byte[] bytes = (line + "\n").getBytes(UTF_8);
        for (Member member : present) {
            if (member != from) {
                member.deliver(bytes);
            }
        }
    }

    /** One connection's member: confined to its connection's loop, but for {@link #deliver}. */
    private final class Member implements ConnectionHandler {
        private final long arrival = arrivals.incrementAndGet();
        private Connection connection;
        private final byte[] line = new byte[MAX_LINE];
        private int length;
        private boolean admitted;
        private String nick;
        private String room;

        @Override
        public void postInit(Connection c) {
            connection = c;
            if (members.incrementAndGet() > MAX_MEMBERS) {
                members.decrementAndGet();
                say("the server is full; try again later");
                c.closeAfterWriting();
                return;
            }
            admitted = true;
            nick = "guest-" + guests.incrementAndGet();
            say("welcome " + nick + "; commands: /nick NAME, /join ROOM, /quit");
            enter(LOBBY);
        }

        @Override
        public void receiveData(Connection c, ByteBuffer data) {
            // Pieces of the stream, not lines: gather bytes up to each newline.
            while (data.hasRemaining() && c.isOpen()) {
                byte b = data.get();
                if (b == '\n') {
                    int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                    String text = new String(line, 0, end, UTF_8);
                    length = 0;
                    handle(text);
                } else if (length == MAX_LINE) {
                    say("line too long (at most " + MAX_LINE + " bytes); bye");
                    c.closeAfterWriting();
                } else {
                    line[length++] = b;
                }
            }
        }

        private void handle(String text) {
            if (text.startsWith("/nick ")) {
                String name = text.substring(6).strip();
                if (!NAME.matcher(name).matches()) {
                    say("a name is 1 to 32 of A-Z a-z 0-9 _ -");
                    return;
                }
                broadcast(room, this, "* " + nick + " is now " + name);
                nick = name;
                say("you are " + nick);
            } else if (text.startsWith("/join ")) {
                String next = text.substring(6).strip();
                if (!NAME.matcher(next).matches()) {
                    say("a room is 1 to 32 of A-Z a-z 0-9 _ -");
                    return;
                }
                leave();
                enter(next);
            } else if (text.equals("/quit")) {
                say("bye");
                connection.closeAfterWriting();
            } else if (text.startsWith("/")) {
                say("unknown command; try /nick NAME, /join ROOM, /quit");
            } else if (!text.isEmpty()) {
                broadcast(room, this, "[" + room + "] " + nick + ": " + text);
            }
        }

        private void enter(String next) {
            room = next;
            rooms.compute(next, (name, present) -> {
                // Ordered by arrival, not by identity hash: a broadcast reaches members in the same
                // order every run, which a deterministic test can check (ChatRoomsHoldUnderEverySeedTest).
                Set<Member> set = present != null ? present : new ConcurrentSkipListSet<>(BY_ARRIVAL);
                set.add(this);
                return set;
            });
            say("you are in " + next);
            broadcast(next, this, "* " + nick + " joined " + next);
        }

        private void leave() {
            // Empty rooms go, so the map holds no more rooms than there are members.
            rooms.computeIfPresent(room, (name, present) -> {
                present.remove(this);
                return present.isEmpty() ? null : present;
            });
            broadcast(room, this, "* " + nick + " left " + room);
        }

        @Override
        public void unbind(Connection c, CloseReason reason) {
            if (admitted) {
                leave();
                members.decrementAndGet();
            }
        }

        private void say(String text) {
            connection.sendData((text + "\n").getBytes(UTF_8));
        }

        /** A message from any loop: dropped for a member who is not reading. Any thread. */
        void deliver(byte[] bytes) {
            if (connection.queuedBytes() <= HIGH_WATERMARK) {
                connection.sendData(bytes);
            }
        }
    }
}
