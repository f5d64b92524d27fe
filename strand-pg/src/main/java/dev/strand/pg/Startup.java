package dev.strand.pg;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens a session: connects (each address of the host in turn), sends the start-up message and
 * answers the server's authentication request — trust, cleartext password, MD5 or SCRAM-SHA-256 —
 * until the server is ready for queries. Blocking, on the calling thread: a fiber parks while it
 * waits. The socket is then handed to a loop.
 */
final class Startup {

    /** What the open session needs later: its socket and the key that cancels its statements. */
    record Session(SocketChannel channel, int processId, int secretKey) {
    }

    private Startup() {
    }

    /**
     * Opens a session with the settings of {@code client}.
     *
     * @throws IOException        when no address could be reached or the socket failed
     * @throws StartupException   when the server refused the session (its report), or spoke out of turn
     */
    static Session open(PgSettings settings) throws IOException {
        IOException failure = null;
        for (InetAddress address : InetAddress.getAllByName(settings.host())) {
            SocketChannel channel = SocketChannel.open();
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                long deadline = System.nanoTime() + settings.connectTimeout().toNanos();
                channel.socket().connect(new InetSocketAddress(address, settings.port()), (int) settings.connectTimeout().toMillis());
                return handshake(channel, settings, deadline);
            } catch (IOException | RuntimeException e) {
                channel.close();
                if (e instanceof RuntimeException runtime) {
                    throw runtime;
                }
                // Even a refusal is per address (pg_hba.conf may allow 127.0.0.1 and not ::1): try the rest,
                // and if all fail, report the server's refusal before an unreachable address.
                boolean refusal = e instanceof StartupException;
                if (failure == null || refusal && !(failure instanceof StartupException)) {
                    if (failure != null) {
                        e.addSuppressed(failure);
                    }
                    failure = (IOException) e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure != null ? failure : new IOException("no address for " + settings.host());
    }

    /** The start-up, which must be done by {@code deadline} ({@link System#nanoTime()}): a server that accepts and never answers costs no more. */
    private static Session handshake(SocketChannel channel, PgSettings settings, long deadline) throws IOException {
        Wire out = new Wire();
        out.startup(settings.user(), settings.database(), settings.applicationName(), settings.parameters());
        flush(out, channel);
        ByteBuffer in = ByteBuffer.allocate(8 * 1024);
        in.flip();
        Scram scram = null;
        int processId = 0;
        int secretKey = 0;
        while (true) {
            in = readMessage(channel, in, deadline);
            byte type = in.get();
            int length = in.getInt();
            int end = in.position() + length - 4;
            switch (type) {
                case 'R' -> {
                    int code = in.getInt();
                    switch (code) {
                        case 0 -> {
                            if (scram != null && !scram.verified()) {
                                // Else a server that does not know the password could skip its proof and be believed.
                                throw new StartupException("the server ended SCRAM authentication without proving that it knows the password", "28000");
                            }
                        }
                        case 3 -> out.password(password(settings, "a cleartext password"));
                        case 5 -> {
                            byte[] salt = new byte[4];
                            in.get(salt);
                            out.password(md5(settings.user(), password(settings, "an MD5 password"), salt));
                        }
                        case 10 -> {
                            List<String> mechanisms = new ArrayList<>();
                            String mechanism;
                            while (!(mechanism = Columns.cstring(in)).isEmpty()) {
                                mechanisms.add(mechanism);
                            }
                            if (!mechanisms.contains(Scram.MECHANISM)) {
                                throw new StartupException("the server offers SASL mechanisms " + mechanisms + ", none of which this client speaks", "28000");
                            }
                            scram = new Scram(password(settings, "a SCRAM-SHA-256 password"));
                            out.saslInitialResponse(Scram.MECHANISM, scram.clientFirst().getBytes(StandardCharsets.UTF_8));
                        }
                        case 11, 12 -> {
                            if (scram == null) {
                                throw new StartupException("the server continued a SASL exchange that was not begun", "08P01");
                            }
                            byte[] data = new byte[end - in.position()];
                            in.get(data);
                            String message = new String(data, StandardCharsets.UTF_8);
                            try {
                                if (code == 11) {
                                    out.saslResponse(scram.clientFinal(message).getBytes(StandardCharsets.UTF_8));
                                } else {
                                    scram.verifyServerFinal(message);
                                }
                            } catch (IllegalStateException | IllegalArgumentException e) {
                                throw new StartupException(e.getMessage(), "28000");
                            }
                        }
                        default -> throw new StartupException("the server asks for authentication method " + code
                                + " (Kerberos, GSSAPI or SSPI), which this client does not speak", "28000");
                    }
                    flush(out, channel);
                }
                case 'K' -> {
                    processId = in.getInt();
                    secretKey = in.getInt();
                }
                case 'E' -> {
                    ServerError error = ServerError.read(in);
                    throw new StartupException(error.describe(), error.sqlState());
                }
                case 'Z' -> {
                    if (in.limit() > end) {
                        // The server sends nothing after ReadyForQuery until asked: anything more is a protocol error.
                        throw new StartupException("the server sent more than it was asked for after start-up", "08P01");
                    }
                    return new Session(channel, processId, secretKey);
                }
                default -> {
                    // ParameterStatus, NoticeResponse and NegotiateProtocolVersion: nothing to do.
                }
            }
            in.position(end);
        }
    }

    private static String password(PgSettings settings, String what) throws StartupException {
        if (settings.password().isEmpty()) {
            throw new StartupException("the server asks for " + what + " for user " + settings.user() + " and none is set", "28P01");
        }
        return settings.password().get();
    }

    /** PostgreSQL's MD5 scheme: {@code "md5" + md5(md5(password + user) + salt)}, in hex. */
    static String md5(String user, String password, byte[] salt) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(password.getBytes(StandardCharsets.UTF_8));
            md5.update(user.getBytes(StandardCharsets.UTF_8));
            String inner = HexFormat.of().formatHex(md5.digest());
            md5.update(inner.getBytes(StandardCharsets.US_ASCII));
            md5.update(salt);
            return "md5" + HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available in this JDK", e);
        }
    }

    private static void flush(Wire out, SocketChannel channel) throws IOException {
        if (!out.writeTo(channel)) {
            throw new IOException("a blocking socket wrote nothing"); // cannot happen: blocking writes write all
        }
    }

    /** {@code in} holding one whole message at its position, read more as needed; may be a bigger buffer. */
    private static ByteBuffer readMessage(SocketChannel channel, ByteBuffer in, long deadline) throws IOException {
        while (in.remaining() < 5 || in.remaining() < 1 + in.getInt(in.position() + 1)) {
            int needed = in.remaining() < 5 ? 5 : 1 + in.getInt(in.position() + 1);
            if (needed > 16 * 1024 * 1024 || needed < 5) {
                throw new StartupException("the server sent a message of " + needed + " bytes during start-up", "08P01");
            }
            in.compact();
            if (in.capacity() < needed) {
                in = ByteBuffer.allocate(needed).put(in.flip());
            }
            if (read(channel, in, deadline) < 0) {
                throw new EOFException("the server closed the connection during start-up");
            }
            in.flip();
        }
        return in;
    }

    /**
     * Reads what the server has sent, waiting until {@code deadline} at most. Through the socket's
     * stream, whose reads honour SO_TIMEOUT, which a channel's do not.
     */
    private static int read(SocketChannel channel, ByteBuffer in, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("PostgreSQL did not complete the start-up within the connect timeout");
        }
        channel.socket().setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
        int n;
        try {
            n = channel.socket().getInputStream().read(in.array(), in.arrayOffset() + in.position(), in.remaining());
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("PostgreSQL did not complete the start-up within the connect timeout");
        }
        if (n > 0) {
            in.position(in.position() + n);
        }
        return n;
    }
}
