package dev.strand.pg;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.spi.IoHandler;
import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;

/**
 * One session with PostgreSQL, owned by one event loop, carrying the statements of many callers at
 * once (pipelining): each {@link Command}'s messages are appended to the out-buffer as it comes, the
 * buffer is written once at the end of the loop's turn, and the answers, read in the loop's I/O
 * phase, are matched to the commands in the order they were sent. A caller on the same loop is
 * woken in the turn its answer arrives.
 *
 * <p>Threading: every method but {@link #open}, {@link #load()} and {@link #isOpen()} runs on
 * {@link #loop}. Callers elsewhere hand their command in with {@link EventLoop#execute}.
 *
 * <p>Failures: a broken socket, a protocol error or a FATAL report closes the session; every
 * command sent or waiting fails with the cause, and the client opens another session for later
 * calls. An ERROR report fails only the command it answers.
 */
final class PgConnection implements IoHandler {

    private static final System.Logger LOG = System.getLogger(PgConnection.class.getName());
    private static final int READ_BUFFER = 64 * 1024;
    private static final int CANCEL_REQUEST_CODE = 80_877_102;
    /** A query_canceled report within this long of a cancel this connection sent may be that cancel's. */
    private static final long CANCEL_ECHO_NANOS = 2_000_000_000L;

    private enum State { CONNECTING, READY, CLOSED }

    final EventLoop loop;
    private final PgClient client;
    /** Carries the statements of many callers (not a transaction's): none of them may leave it in a transaction. */
    private final boolean shared;
    private final int cacheSize;
    private final CompletableFuture<PgConnection> opened = new CompletableFuture<>();

    private volatile State state = State.CONNECTING;
    private volatile int load;
    private SocketChannel channel;
    private SelectionKey key;
    private int processId;
    private int secretKey;

    private final ArrayDeque<Command> waiting = new ArrayDeque<>();
    private final ArrayDeque<Command> sent = new ArrayDeque<>();
    private final Wire out = new Wire();
    private ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER);
    private final HashMap<String, PgStatement> statements = new HashMap<>();
    private int statementNumber;
    private boolean flushScheduled;
    private boolean writeArmed;
    private long lastCancelNanos;
    /** A cancel request is on its way: at most one at a time, so that a storm of expired deadlines cannot fork a storm of backends. */
    private boolean cancelling;
    private final Runnable flush = this::flush;

    private PgConnection(EventLoop loop, PgClient client, int cacheSize, boolean shared) {
        this.loop = loop;
        this.client = client;
        this.shared = shared;
        this.cacheSize = cacheSize;
    }

    /**
     * A connection owned by {@code loop} whose session opens on a fiber of that loop; commands
     * submitted meanwhile wait for it. Any thread.
     */
    static PgConnection open(EventLoop loop, PgClient client, int cacheSize, boolean shared) {
        PgConnection connection = new PgConnection(loop, client, cacheSize, shared);
        loop.startFiber(connection::startSession);
        return connection;
    }

    /** Completes when the session is open, or exceptionally when it could not be opened. Any thread. */
    CompletableFuture<PgConnection> opened() {
        return opened;
    }

    /** Commands sent or waiting: how busy the pipeline is. Any thread (approximate off the loop). */
    int load() {
        return load;
    }

    /** Whether the connection may still carry commands (open or opening). Any thread. */
    boolean isOpen() {
        return state != State.CLOSED;
    }

    private void startSession() {
        Startup.Session session;
        try {
            session = Startup.open(client.settings());
        } catch (IOException | RuntimeException e) {
            onLoop(() -> failedToOpen(e));
            return;
        }
        onLoop(() -> sessionOpened(session));
    }

    /** Runs {@code step} on the loop; when the loop has stopped, here, as nothing else runs there any more. */
    private void onLoop(Runnable step) {
        try {
            loop.schedule(step);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            step.run();
        }
    }

    private void sessionOpened(Startup.Session session) {
        if (state == State.CLOSED || loop.isStopping() || !loop.inLoop()) {
            if (state != State.CLOSED) {
                failedToOpen(new EOFException("the loop that was to own the connection has stopped"));
            }
            closeQuietly(session.channel());
            return;
        }
        channel = session.channel();
        processId = session.processId();
        secretKey = session.secretKey();
        try {
            key = loop.register(channel, SelectionKey.OP_READ, this);
        } catch (RuntimeException e) {
            failedToOpen(e);
            return;
        }
        state = State.READY;
        client.connected(this);
        opened.complete(this);
        Command command;
        while ((command = waiting.poll()) != null) {
            send(command);
        }
    }

    private void failedToOpen(Throwable cause) {
        state = State.CLOSED;
        client.connectFailed(this, cause);
        opened.completeExceptionally(cause);
        failAll(cause);
    }

    // Sending

    /** Queues {@code command}; its messages leave at the end of this turn. On the loop. */
    void submit(Command command) {
        command.connection = this;
        if (command.deadline != null && state != State.CLOSED) {
            command.deadlineTimer = loop.addTimer(command.deadline.remaining(), () -> expire(command));
        }
        switch (state) {
            case CLOSED -> {
                command.lost = new EOFException("the connection to PostgreSQL was closed");
                command.finish();
            }
            case CONNECTING -> {
                waiting.add(command);
                load++;
            }
            case READY -> {
                load++;
                send(command);
            }
        }
    }

    private void send(Command command) {
        command.sentToServer = true;
        encode(command);
        sent.add(command);
        if (!flushScheduled) {
            flushScheduled = true;
            loop.endOfTurn(flush);
        }
    }

    private void encode(Command command) {
        PgStatement statement = statements.get(command.sql);
        boolean cached = statement != null;
        if (command.parseAgain) {
            statement = null; // one in the cache may be another Parse of the same SQL still in flight, bound to fail too
        }
        if (statement == null) {
            String text = Placeholders.rewrite(command.sql);
            if (!cached && statements.size() < cacheSize) {
                statement = new PgStatement("s" + (++statementNumber), text);
                statements.put(command.sql, statement);
            } else {
                statement = new PgStatement("", text); // the unnamed statement: parsed again each time
            }
            out.parse(statement.name, statement.text);
            out.describeStatement(statement.name);
            command.describes = true;
            client.counters().prepared.increment();
        } else {
            client.counters().reused.increment();
        }
        command.statement = statement;
        for (byte[][] params : command.runs) {
            out.bind(statement.name, params);
            out.execute();
        }
        out.sync();
    }

    private void flush() {
        flushScheduled = false;
        if (state != State.READY) {
            return;
        }
        try {
            boolean all = out.writeTo(channel);
            if (all == writeArmed) {
                writeArmed = !all;
                key.interestOps(all ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        } catch (IOException | RuntimeException e) {
            broken(e);
        }
    }

    // Receiving

    @Override
    public void ready(SelectionKey key) {
        try {
            if (key.isWritable()) {
                flush();
            }
            if (key.isReadable()) {
                read();
            }
        } catch (IOException | RuntimeException e) {
            broken(e);
        }
    }

    @Override
    public void closed(Throwable cause) {
        broken(cause != null ? cause : new EOFException("the loop closed the connection"));
    }

    private void read() throws IOException {
        while (state == State.READY) {
            int space = in.remaining();
            int n = channel.read(in);
            if (n < 0) {
                throw new EOFException("PostgreSQL closed the connection");
            }
            in.flip();
            handleMessages();
            in.compact();
            if (n < space) {
                return; // the socket had no more for now
            }
        }
    }

    /** Handles every whole message in {@code in}; a partial one stays, in a buffer big enough for it. */
    private void handleMessages() throws IOException {
        while (in.remaining() >= 5 && state == State.READY) {
            int start = in.position();
            int length = in.getInt(start + 1);
            if (length < 4) {
                throw new IOException("protocol error: a message of length " + length);
            }
            if (in.remaining() < 1 + length) {
                if (1 + length > in.capacity()) {
                    ByteBuffer bigger = ByteBuffer.allocateDirect(1 + length);
                    bigger.put(in);
                    bigger.flip();
                    in = bigger;
                }
                return;
            }
            byte type = in.get(start);
            int end = start + 1 + length;
            in.position(start + 5);
            handle(type, end);
            in.position(end);
        }
        if (in.capacity() > READ_BUFFER && in.remaining() < READ_BUFFER) {
            ByteBuffer smaller = ByteBuffer.allocateDirect(READ_BUFFER);
            smaller.put(in);
            smaller.flip();
            in = smaller; // one big row does not keep a big buffer
        }
    }

    private void handle(byte type, int end) throws IOException {
        Command command = sent.peek();
        switch (type) {
            case '1', '2', '3', 't', 's' -> {
                // ParseComplete, BindComplete, CloseComplete, ParameterDescription, PortalSuspended
            }
            case 'T' -> described(command, Columns.read(in));
            case 'n' -> described(command, Columns.NONE);
            case 'D' -> {
                if (command == null) {
                    throw new IOException("protocol error: a row with no statement in flight");
                }
                if (command.wantRows && !command.expired) {
                    byte[] row = new byte[end - in.position()];
                    in.get(row);
                    command.rows.add(row);
                }
            }
            case 'C', 'I' -> {
                if (command == null) {
                    throw new IOException("protocol error: a completion with no statement in flight");
                }
                if (command.completed < command.counts.length) {
                    command.counts[command.completed] = type == 'C' ? rowCount(end) : 0;
                }
                command.completed++;
            }
            case 'E' -> {
                ServerError error = ServerError.read(in);
                if (command == null || error.isFatal()) {
                    throw new ServerClosedException(error);
                }
                if (command.error == null) {
                    command.error = error;
                }
                if (command.describes && command.statement.columns == null) {
                    command.statement.parseFailed = true;
                }
                if (command.describes && command.statement.columns == null
                        || "26000".equals(error.sqlState()) || "0A000".equals(error.sqlState())) {
                    // Not prepared, gone, or its plan no longer fits the table: prepare it afresh next time.
                    statements.remove(command.sql, command.statement);
                }
            }
            case 'Z' -> {
                if (command == null) {
                    throw new IOException("protocol error: a ReadyForQuery with no statement in flight");
                }
                sent.poll();
                load--;
                command.transactionStatus = (char) in.get();
                completed(command);
            }
            case 'N' -> {
                ServerError notice = ServerError.read(in);
                LOG.log(Level.DEBUG, () -> client.name() + ": PostgreSQL notice: " + notice.describe());
            }
            case 'S', 'A' -> {
                // ParameterStatus, NotificationResponse: nothing to do.
            }
            default -> throw new IOException("protocol error: unexpected message '" + (char) type + "'");
        }
    }

    private void described(Command command, Columns columns) throws IOException {
        if (command == null || !command.describes) {
            throw new IOException("protocol error: a description nobody asked for");
        }
        command.statement.columns = columns;
    }

    /** The row count ending a CommandComplete tag ({@code UPDATE 3}, {@code INSERT 0 1}); 0 when there is none. */
    private int rowCount(int end) {
        int stop = end - 1; // the tag's NUL
        int at = stop;
        while (at > in.position() && Character.isDigit(in.get(at - 1))) {
            at--;
        }
        if (at == stop || at == in.position() || in.get(at - 1) != ' ') {
            return 0;
        }
        long count = 0;
        for (int i = at; i < stop; i++) {
            count = Math.min(Integer.MAX_VALUE, count * 10 + (in.get(i) - '0'));
        }
        return (int) count;
    }

    private void completed(Command command) {
        if (shared && command.transactionStatus != 'I') {
            // BEGIN on a connection that carries everybody's statements: theirs, pipelined behind it,
            // would run in that transaction, be reported done and never commit. Its caller is told
            // to use transaction(); the connection closes, so the server rolls back what ran in it
            // and the statements behind fail as a lost connection's do.
            command.error = new ServerError("ERROR", "25001", "a statement left the shared connection in a transaction; run"
                    + " transactions with transaction(), which gives them a connection of their own", null, null);
            command.finish();
            broken(new IOException("a statement opened a transaction on a shared connection: " + PgClient.quote(command.sql)));
            return;
        }
        if (command.error != null && "57014".equals(command.error.sqlState()) && !command.cancelRequested
                && !command.retried && !command.expired && command.transactionStatus == 'I'
                && loop.now() - lastCancelNanos < CANCEL_ECHO_NANOS) {
            // A cancel meant for the statement before this one arrived late and hit this one:
            // nothing of it took effect (it ran alone up to its Sync), so it runs again.
            command.resetForRetry();
            load++;
            send(command);
        } else if (command.error != null && "26000".equals(command.error.sqlState()) && command.statement.parseFailed
                && !command.describes && !command.parseAgain && !command.expired && command.transactionStatus == 'I') {
            // It was sent behind the Parse of its statement, which failed: it bound nothing and ran
            // nothing. Sent again with a Parse of its own, it gets the server's own answer to its SQL.
            command.resetForRetry();
            command.parseAgain = true;
            load++;
            send(command);
        } else {
            command.columns = command.statement.columns;
            command.finish();
        }
        Command next = sent.peek();
        if (next != null && next.expired && !next.cancelRequested) {
            cancel(next);
        }
    }

    // Deadlines

    /** The caller of {@code command} was interrupted and has left: the server stops working on it, as at a deadline. On the loop. */
    void abandon(Command command) {
        if (command.deadlineTimer != null) {
            command.deadlineTimer.cancel();
        }
        expire(command);
    }

    /** The deadline of {@code command} passed: its caller leaves now, and the server stops working on it. */
    private void expire(Command command) {
        command.deadlineTimer = null;
        if (command.done) {
            return;
        }
        if (waiting.remove(command)) {
            load--; // never sent: the session is still opening
        }
        command.expired = true;
        java.util.concurrent.locks.LockSupport.unpark(command.waiter);
        if (sent.peek() == command) {
            cancel(command); // the statement the server is on; those behind it are cancelled when they get there
        }
    }

    /**
     * Asks the server, over a connection of its own, to cancel what this session runs. The server may
     * have finished {@code command} and begun the next by then; {@link #completed} runs that one again.
     */
    private void cancel(Command command) {
        if (cancelling) {
            return; // the statement runs to its end; its answer is dropped
        }
        cancelling = true;
        command.cancelRequested = true;
        lastCancelNanos = loop.now();
        client.counters().cancelledAtDeadline.increment();
        int pid = processId;
        int key = secretKey;
        InetSocketAddress address = remoteAddress();
        if (address == null) {
            cancelling = false;
            return;
        }
        loop.startFiber(() -> {
            try (SocketChannel cancel = SocketChannel.open(address)) {
                ByteBuffer request = ByteBuffer.allocate(16).putInt(16).putInt(CANCEL_REQUEST_CODE).putInt(pid).putInt(key).flip();
                while (request.hasRemaining()) {
                    cancel.write(request);
                }
                cancel.read(ByteBuffer.allocate(1)); // the server closes it when done
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> client.name() + ": a cancel request failed: " + e);
            } finally {
                cancelDone();
            }
        });
    }

    private void cancelDone() {
        try {
            loop.schedule(() -> cancelling = false);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // the loop has stopped: no more cancels
        }
    }

    private InetSocketAddress remoteAddress() {
        try {
            return channel == null ? null : (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    // Closing

    /** Ends the session politely (Terminate) and fails what is still in flight. On the loop. */
    void close() {
        if (state == State.READY) {
            out.terminate();
            try {
                out.writeTo(channel);
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        broken(new EOFException("the client was closed"));
    }

    private void broken(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasReady = state == State.READY;
        state = State.CLOSED;
        if (key != null) {
            key.cancel();
        }
        closeQuietly(channel);
        if (wasReady) {
            client.lost(this, cause);
        }
        opened.completeExceptionally(cause);
        failAll(cause);
    }

    private void failAll(Throwable cause) {
        Command command;
        while ((command = sent.poll()) != null || (command = waiting.poll()) != null) {
            command.lost = cause;
            command.finish();
        }
        load = 0;
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }

    @Override
    public String toString() {
        return client.name() + " connection " + processId + " on loop " + loop.index();
    }

    /** The server ended the session with a report (FATAL), or reported an error outside any statement. */
    static final class ServerClosedException extends IOException {
        final ServerError error;

        ServerClosedException(ServerError error) {
            super("PostgreSQL ended the session: " + error.describe() + " (SQLSTATE " + error.sqlState() + ")");
            this.error = error;
        }
    }
}
