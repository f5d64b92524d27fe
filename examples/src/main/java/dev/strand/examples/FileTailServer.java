package dev.strand.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.FileEvent;
import dev.strand.reactor.FileWatch;
import dev.strand.reactor.Reactor;
import dev.strand.reactor.Timer;
import dev.strand.reactor.tcp.CloseReason;
import dev.strand.reactor.tcp.Connection;
import dev.strand.reactor.tcp.ConnectionHandler;
import dev.strand.reactor.tcp.Tcp;
import dev.strand.reactor.tcp.TcpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code tail -f} over the network: watches one file and streams every line appended to it to
 * every connected TCP client. Run it with
 * {@code ./mvnw -q -pl examples -am package -DskipTests -Prun -Dexample=FileTailServer -Dport=7001 -Dfile=/tmp/x.log},
 * then {@code nc localhost 7001} and {@code echo hello >> /tmp/x.log}.
 *
 * <p><b>What a client gets.</b> On connecting, the line {@code --- tailing FILE}, then the last
 * {@link Builder#lastLines} complete lines (0 by default), then every line completed from then on,
 * in file order, each ending in {@code \n}. What the client sends is ignored. Lines the server
 * itself adds start with {@code "--- "} ({@link #MARKER}): a truncated file, a replaced or deleted
 * file, a line cut, a failed read, the server stopping.
 *
 * <p><b>Reading.</b> The file's directory is watched ({@link Reactor#watch}); each event about the
 * file starts a read step on the reactor's offload pool ({@link EventLoop#defer}) that reads at most
 * {@value #CHUNK} bytes from where the last step ended, and another step follows while there is
 * more. Only one step runs at a time, and every step's result is handled on one loop (the tail
 * loop), which owns all the tail's state: so lines are handed out in file order without locks.
 *
 * <p><b>Lines.</b> A partial last line is held until its newline arrives. A line longer than
 * {@value #MAX_LINE} bytes is cut: its first {@value #MAX_LINE} bytes go out as a line, followed
 * by {@code --- line cut at 8192 bytes}, and the rest up to its newline is skipped.
 *
 * <p><b>Truncation, rotation, absence.</b> A file that shrinks below the read position is read
 * again from its start, after {@code --- file truncated; from its start}. A file replaced by
 * another one (a different file key, such as a new inode after {@code mv} and re-create) is read
 * from its start after {@code --- file replaced; from its start}. A file deleted is announced
 * ({@code --- file deleted; waiting for it to be created}) and, like a file that does not exist when
 * the server starts, read from its start once it is created. Like {@code tail}, a file truncated and
 * then grown past the old position between two steps is not seen as truncated. Only the directory
 * must exist when the server starts; should it go away later, clients are told
 * ({@code --- the file's directory went away; tailing has ended}), the server logs it, and nothing
 * more is sent until {@link #close()}.
 *
 * <p><b>Slow clients.</b> The file is the buffer, not memory. Lines go to each client with
 * {@code sendData}; when it says the connection is over its high watermark (64 KiB) the client is
 * behind, and no more of the file is read until every client behind has drained (its
 * {@code drained} callback) — so a burst of appends reaches fast clients at their pace, without
 * cutting them off. A client that stays behind for {@link Builder#maxLag} (10 s by default) is
 * disconnected (its queue discarded, the server logs why), and reading goes on for the others, who
 * meanwhile waited at most that long. As a backstop, a client with more than
 * {@link Builder#maxBacklog} bytes waiting is disconnected at once.
 */
public final class FileTailServer implements AutoCloseable {

    /** The longest line sent as is, in bytes without its newline; longer ones are cut. */
    public static final int MAX_LINE = 8192;
    /** The most bytes one read step reads. */
    public static final int CHUNK = 64 * 1024;
    /** The start of every line the server adds to the file's lines. */
    public static final String MARKER = "--- ";
    static final String TRUNCATED = MARKER + "file truncated; from its start";
    static final String REPLACED = MARKER + "file replaced; from its start";
    static final String DELETED = MARKER + "file deleted; waiting for it to be created";
    static final String CUT = MARKER + "line cut at " + MAX_LINE + " bytes";
    static final String STOPPING = MARKER + "server stopping";
    private static final int HIGH_WATERMARK = 64 * 1024;
    private static final int MAX_LAST_LINES = 1_000;
    /** The most bytes of last lines kept for new clients: a greeting stays well under the queue limit. */
    private static final int MAX_RECENT_BYTES = 256 * 1024;
    private static final int MAX_CLIENTS = 10_000;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final Object NO_KEY = new Object(); // a file system without file keys
    private static final System.Logger LOG = System.getLogger(FileTailServer.class.getName());

    private final Path file;
    private final int lastLines;
    private final long maxBacklog;
    private final Duration maxLag;
    private final EventLoop tailLoop;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong slowDisconnects = new AtomicLong();
    private final TcpServer server;
    private final FileWatch watch;
    private volatile boolean closed;

    // Tail state: only the tail loop touches it.
    private Object fileKey; // null: no file known yet, read the next one from its start
    private long position;
    private boolean reading;
    private boolean again;
    private int behind; // clients over their high watermark: reading waits for them
    private boolean held; // a read step is due, held until no client is behind
    private final byte[] partial = new byte[MAX_LINE];
    private int partialLength;
    private boolean cutting;
    private final ArrayDeque<byte[]> recent = new ArrayDeque<>();
    private int recentBytes;
    private boolean looked; // the first look is done: clients may be admitted
    private final List<Client> waiting = new ArrayList<>(); // connected before that; bounded by MAX_CLIENTS

    private FileTailServer(Builder builder) {
        this.file = builder.file.toAbsolutePath().normalize();
        this.lastLines = builder.lastLines;
        this.maxBacklog = builder.maxBacklog;
        this.maxLag = builder.maxLag;
        this.tailLoop = builder.reactor.next();
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UncheckedIOException("file tail: cannot tail " + file + ": its directory does not exist",
                    new NoSuchFileException(String.valueOf(dir)));
        }
        Tcp tcp = Tcp.builder(builder.reactor)
                .highWatermark(HIGH_WATERMARK)
                .maxQueuedBytes(maxBacklog + 4L * CHUNK) // our own limit acts first
                .maxConnections(MAX_CLIENTS)
                .build();
        reading = true; // until the first look at the file is done
        Path name = file.getFileName();
        watch = builder.reactor.watch(dir, event -> {
            if (event.kind() == FileEvent.Kind.DELETED && event.path().equals(dir)) {
                tailLoop.schedule(this::directoryGone);
            } else if (event.kind() == FileEvent.Kind.OVERFLOW || name.equals(event.path().getFileName())) {
                tailLoop.schedule(this::poke);
            }
        });
        try {
            server = tcp.startServer(builder.port, Client::new);
        } catch (RuntimeException e) {
            watch.cancel();
            throw e;
        }
        tailLoop.defer(() -> firstLook(file, lastLines)).callback(this::started).errback(this::readFailed);
    }

    /**
     * A builder for a server tailing {@code file}. Any thread.
     *
     * @throws NullPointerException when an argument is null
     */
    public static Builder builder(Reactor reactor, Path file) {
        return new Builder(Objects.requireNonNull(reactor, "reactor"), Objects.requireNonNull(file, "file"));
    }

    /**
     * Starts a server on {@code port} (0: any free port), every interface, tailing {@code file}
     * with the defaults. Any thread but a loop's own (watching a directory waits for the watcher).
     *
     * @throws UncheckedIOException when the port cannot be bound, or the file's directory does not
     *                              exist or cannot be watched
     */
    public static FileTailServer start(Reactor reactor, int port, Path file) {
        return builder(reactor, file).port(port).start();
    }

    /** The bound port. Any thread. */
    public int port() {
        return server.port();
    }

    /** The tailed file, absolute. Any thread. */
    public Path file() {
        return file;
    }

    /** How many clients were disconnected for not keeping up, since the start. Any thread. */
    public long slowClientsDisconnected() {
        return slowDisconnects.get();
    }

    /**
     * Stops: no more connections are accepted, the watch is cancelled, and every client gets
     * {@code --- server stopping} and is closed once that is written, or after 5 s at most. The
     * reactor is the caller's and goes on. Idempotent; never throws (a stopped reactor has closed
     * the clients already). Any thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        watch.cancel();
        server.close();
        try {
            tailLoop.schedule(() -> {
                byte[] bye = line(STOPPING);
                for (Client client : clients) {
                    client.closeWith(bye);
                }
                clients.clear();
            });
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "file tail: the reactor has stopped; its connections closed with it");
        }
    }

    /**
     * Runs the server until the process is stopped.
     *
     * @param args {@code PORT FILE [--last N]}; port 7001 and {@code strand-tail.log} in the temporary
     *             directory when not given
     * @throws NumberFormatException when the port or N is not a number
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 7001;
        Path file = args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir"), "strand-tail.log");
        int last = 0;
        for (int i = 2; i + 1 < args.length; i++) {
            if (args[i].equals("--last")) {
                last = Integer.parseInt(args[i + 1]);
            }
        }
        FileTailServer tail = builder(Reactor.create(), file).port(port).lastLines(last).start();
        System.out.println("file tail server on port " + tail.port() + " tailing " + tail.file()
                + "; try: nc localhost " + tail.port() + " and: echo hello >> " + tail.file());
    }

    /** An event about the file: read unless a step runs, else read again after it. On the tail loop. */
    private void poke() {
        if (closed) {
            return;
        }
        if (reading) {
            again = true;
        } else if (behind > 0) {
            held = true;
        } else {
            readNext();
        }
    }

    /** The watch ended with the directory: nothing more can be seen; said and logged. On the tail loop. */
    private void directoryGone() {
        LOG.log(System.Logger.Level.WARNING, "file tail: the directory of " + file + " went away; tailing has ended");
        broadcast(line(MARKER + "the file's directory went away; tailing has ended"));
    }

    /** A client caught up or left: reading goes on once none is behind. On the tail loop. */
    private void caughtUp() {
        if (behind == 0 && held && !closed) {
            held = false;
            readNext();
        }
    }

    private void readNext() {
        reading = true;
        again = false;
        Object key = fileKey;
        long from = position;
        tailLoop.defer(() -> readStep(file, key, from)).callback(this::applied).errback(this::readFailed);
    }

    /** The first look's result: where to start, and the last lines. On the tail loop. */
    private void started(Start start) {
        fileKey = start.key;
        position = start.position;
        start.lines.forEach(this::remember);
        admitWaiting();
        stepDone(false);
    }

    private void applied(Step step) {
        if (closed) {
            return;
        }
        switch (step.outcome) {
            case MISSING -> {
                if (fileKey != null) {
                    broadcast(line(DELETED));
                    restart(null);
                }
                stepDone(false);
            }
            case TRUNCATED, REPLACED -> {
                broadcast(line(step.outcome == Outcome.TRUNCATED ? TRUNCATED : REPLACED));
                restart(step.key);
                stepDone(true);
            }
            case DATA -> {
                fileKey = step.key;
                position += step.data.length;
                byte[] out = lines(step.data);
                if (out.length > 0) {
                    broadcast(out);
                }
                stepDone(step.more);
            }
        }
    }

    private void stepDone(boolean more) {
        reading = false;
        if (!closed && (more || again)) {
            if (behind > 0) {
                held = true; // the file waits, not memory: see caughtUp
            } else {
                readNext();
            }
        }
    }

    private void restart(Object key) {
        fileKey = key;
        position = 0;
        partialLength = 0;
        cutting = false;
    }

    /** A failed step: said to the clients and logged; the next event about the file tries again. */
    private void readFailed(Throwable failure) {
        admitWaiting(); // a failed first look still lets them in: the file may come later
        LOG.log(System.Logger.Level.WARNING, "file tail: reading " + file + " failed; trying again on its next change", failure);
        broadcast(line(MARKER + "reading the file failed (" + failure + "); trying again on its next change"));
        reading = false;
        again = false;
    }

    /** Completes lines with {@code data}: what goes out, complete lines only. On the tail loop. */
    private byte[] lines(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : data) {
            if (b == '\n') {
                if (!cutting) {
                    emit(out, Arrays.copyOf(partial, partialLength), null);
                }
                cutting = false;
                partialLength = 0;
            } else if (cutting) {
                continue; // the rest of an over-long line
            } else if (partialLength == MAX_LINE) {
                emit(out, Arrays.copyOf(partial, partialLength), CUT);
                partialLength = 0;
                cutting = true;
            } else {
                partial[partialLength++] = b;
            }
        }
        return out.toByteArray();
    }

    private void emit(ByteArrayOutputStream out, byte[] text, String marker) {
        ByteArrayOutputStream one = new ByteArrayOutputStream(text.length + 64);
        one.writeBytes(text);
        one.write('\n');
        if (marker != null) {
            one.writeBytes(line(marker));
        }
        byte[] bytes = one.toByteArray();
        out.writeBytes(bytes);
        remember(bytes);
    }

    /** Keeps {@code line} for new clients: the last {@code lastLines}, within 256 KiB. On the tail loop. */
    private void remember(byte[] line) {
        if (lastLines == 0) {
            return;
        }
        recent.addLast(line);
        recentBytes += line.length;
        while (recent.size() > lastLines || recentBytes > MAX_RECENT_BYTES) {
            recentBytes -= recent.removeFirst().length;
        }
    }

    private void broadcast(byte[] bytes) {
        for (Client client : clients) {
            client.deliver(bytes);
        }
    }

    /** Lets a client in: the greeting and the last lines, then every line after. On the tail loop. */
    private void admit(Client client) {
        Connection c = client.connection;
        if (closed) {
            client.closeWith(line(STOPPING));
            return;
        }
        if (!c.isOpen()) {
            return;
        }
        if (!looked) {
            waiting.add(client);
            return;
        }
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.writeBytes(line(MARKER + "tailing " + file));
        recent.forEach(hello::writeBytes);
        clients.add(client);
        client.deliver(hello.toByteArray());
    }

    private void admitWaiting() {
        if (!looked) {
            looked = true;
            waiting.forEach(this::admit);
            waiting.clear();
        }
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(UTF_8);
    }

    private enum Outcome { DATA, MISSING, TRUNCATED, REPLACED }

    /** One read step's result; its bytes are the tail loop's once handed over. */
    private record Step(Outcome outcome, Object key, byte[] data, boolean more) {
    }

    private record Start(Object key, long position, List<byte[]> lines) {
    }

    private static Object keyOf(Path file) throws IOException {
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return key != null ? key : NO_KEY;
    }

    /**
     * Reads at most {@value #CHUNK} bytes from {@code from}, or says why it cannot. On the
     * offload pool: file I/O blocks.
     */
    private static Step readStep(Path file, Object knownKey, long from) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Object key = keyOf(file);
            if (knownKey != null && !knownKey.equals(key)) {
                return new Step(Outcome.REPLACED, key, new byte[0], true);
            }
            long size = channel.size();
            if (size < from) {
                return new Step(Outcome.TRUNCATED, key, new byte[0], true);
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, size - from));
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) >= 0) {
                // read until the step's bytes are in, or the file ends early
            }
            byte[] data = Arrays.copyOf(buffer.array(), buffer.position());
            return new Step(Outcome.DATA, key, data, from + data.length < size);
        } catch (NoSuchFileException e) {
            return new Step(Outcome.MISSING, null, new byte[0], false);
        }
    }

    /**
     * Where to start: after the last newline in the file's last {@value #CHUNK} bytes (so a partial
     * last line goes out whole once completed), and the complete lines among those bytes, at most
     * {@code last}. On the offload pool.
     */
    private static Start firstLook(Path file, int last) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Object key = keyOf(file);
            long size = channel.size();
            long from = Math.max(0, size - CHUNK);
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) >= 0) {
                // read the window
            }
            byte[] window = Arrays.copyOf(buffer.array(), buffer.position());
            int lastNewline = -1;
            for (int i = window.length - 1; i >= 0; i--) {
                if (window[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            }
            if (lastNewline < 0) {
                return new Start(key, from == 0 ? 0 : size, List.of());
            }
            List<byte[]> lines = new ArrayList<>();
            // Before the window's first newline, a line may have begun earlier: skip it unless the window is the whole file.
            int start = 0;
            if (from > 0) {
                while (window[start] != '\n') {
                    start++;
                }
                start++;
            }
            for (int i = start; i <= lastNewline; i++) {
                if (window[i] == '\n') {
                    byte[] text = Arrays.copyOfRange(window, start, Math.min(i, start + MAX_LINE));
                    ByteArrayOutputStream one = new ByteArrayOutputStream();
                    one.writeBytes(text);
                    one.write('\n');
                    if (i - start > MAX_LINE) {
                        one.writeBytes(line(CUT));
                    }
                    lines.add(one.toByteArray());
                    if (lines.size() > last) {
                        lines.removeFirst();
                    }
                    start = i + 1;
                }
            }
            return new Start(key, from + lastNewline + 1, lines);
        } catch (NoSuchFileException e) {
            return new Start(null, 0, List.of());
        }
    }

    /**
     * One client: its connection's callbacks run on its loop and hand what matters to the tail
     * loop; all its other state is the tail loop's.
     */
    private final class Client implements ConnectionHandler {
        private Connection connection;
        private boolean lagging; // over the high watermark, counted in behind
        private Timer cutoff;
        private boolean gone;

        @Override
        public void postInit(Connection c) {
            connection = c;
            tailLoop.schedule(() -> admit(this)); // a stopped tail loop fails the handler: the connection closes
        }

        @Override
        public void receiveData(Connection c, ByteBuffer data) {
            data.position(data.limit()); // what a client sends means nothing here
        }

        @Override
        public void drained(Connection c) {
            tailLoop.schedule(this::caughtUpOnTail);
        }

        @Override
        public void unbind(Connection c, CloseReason reason) {
            clients.remove(this);
            try {
                tailLoop.schedule(this::drop);
            } catch (RejectedExecutionException stopped) {
                LOG.log(System.Logger.Level.DEBUG, "file tail: the tail loop has stopped; nothing waits for this client");
            }
        }

        /**
         * Sends; a client over its high watermark holds the reading back for at most
         * {@link Builder#maxLag}, and is cut off then, or at once past {@link Builder#maxBacklog}.
         * On the tail loop.
         */
        void deliver(byte[] bytes) {
            if (gone) {
                return;
            }
            if (!connection.isOpen()) {
                drop();
                return;
            }
            if (!connection.sendData(bytes)) {
                return;
            }
            if (connection.queuedBytes() > maxBacklog) {
                cut(connection.queuedBytes() + " bytes waiting, at most " + maxBacklog);
            } else if (!lagging) {
                lagging = true;
                behind++;
                cutoff = tailLoop.addTimer(maxLag, () -> {
                    if (lagging) {
                        cut("over its high watermark for " + maxLag);
                    }
                });
            }
        }

        private void caughtUpOnTail() {
            if (lagging && !gone) {
                notLagging();
                caughtUp();
            }
        }

        private void notLagging() {
            lagging = false;
            behind--;
            cutoff.cancel();
        }

        /** Forgets this client; idempotent. On the tail loop. */
        private void drop() {
            if (gone) {
                return;
            }
            gone = true;
            clients.remove(this);
            if (lagging) {
                notLagging();
                caughtUp();
            }
        }

        private void cut(String why) {
            slowDisconnects.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "file tail: client "
                    + connection.remoteAddress().map(String::valueOf).orElse("(unknown)")
                    + " could not keep up (" + why + "); disconnected");
            drop();
            connection.close();
        }

        /** Says {@code bye} and closes once written, or after a grace period. Any thread. */
        void closeWith(byte[] bye) {
            connection.sendData(bye);
            connection.closeAfterWriting();
            try {
                connection.loop().addTimer(CLOSE_GRACE, connection::close); // a reader that stopped reading
            } catch (RejectedExecutionException e) {
                connection.close();
            }
        }
    }

    /**
     * Settings of a {@link FileTailServer}. Not thread-safe: one thread builds.
     */
    public static final class Builder {
        private final Reactor reactor;
        private final Path file;
        private int port = 7001;
        private int lastLines;
        private long maxBacklog = 1024 * 1024;
        private Duration maxLag = Duration.ofSeconds(10);

        private Builder(Reactor reactor, Path file) {
            this.reactor = reactor;
            this.file = file;
        }

        /**
         * The port to listen on, every interface; 0 picks a free one. Default 7001.
         *
         * @throws IllegalArgumentException when not 0 to 65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * How many of the last complete lines a client gets on connecting, 0 to 1,000; default 0.
         * Fewer when they would take more than 256 KiB; at the start they come from the file's
         * last {@value FileTailServer#CHUNK} bytes.
         *
         * @throws IllegalArgumentException when out of range
         */
        public Builder lastLines(int lines) {
            if (lines < 0 || lines > MAX_LAST_LINES) {
                throw new IllegalArgumentException("lastLines must be 0 to " + MAX_LAST_LINES + ": " + lines);
            }
            this.lastLines = lines;
            return this;
        }

        /**
         * The most bytes that may wait for one client; beyond, it is disconnected at once. Since
         * reading waits for clients over their high watermark (64 KiB), only a burst of markers
         * and one read step's lines come on top: a backstop. At least 64 KiB; default 1 MiB.
         *
         * @throws IllegalArgumentException when below 64 KiB
         */
        public Builder maxBacklog(long bytes) {
            if (bytes < HIGH_WATERMARK) {
                throw new IllegalArgumentException("maxBacklog must be at least " + HIGH_WATERMARK + ": " + bytes);
            }
            this.maxBacklog = bytes;
            return this;
        }

        /**
         * How long a client may stay over its high watermark (64 KiB waiting for it) before it is
         * disconnected; meanwhile reading the file waits for it, so others get nothing new either.
         * Default 10 s.
         *
         * @throws IllegalArgumentException when not positive
         * @throws NullPointerException     when {@code lag} is null
         */
        public Builder maxLag(Duration lag) {
            Objects.requireNonNull(lag, "lag");
            if (lag.isNegative() || lag.isZero()) {
                throw new IllegalArgumentException("maxLag must be positive: " + lag);
            }
            this.maxLag = lag;
            return this;
        }

        /**
         * Starts the server: binds, watches the file's directory, and takes a first look at the
         * file on the offload pool. Any thread but a loop's own (watching waits for the watcher).
         *
         * @throws UncheckedIOException when the port cannot be bound, or the file's directory does
         *                              not exist or cannot be watched (nothing is left open then)
         * @throws IllegalStateException when called on a loop's own thread
         */
        public FileTailServer start() {
            return new FileTailServer(this);
        }
    }
}
