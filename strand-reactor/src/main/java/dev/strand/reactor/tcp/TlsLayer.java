package dev.strand.reactor.tcp;

import dev.strand.reactor.Timer;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * A connection's TLS state: its engine and the encrypted bytes on their way in and out. Confined
 * to the connection's loop; {@link TcpConnection} drives it.
 */
final class TlsLayer {

    /** Encrypted bytes held for the socket, in records: a fixed bound on top of the plaintext watermarks. */
    private static final int OUT_RECORDS = 4;
    /** The largest buffer a record may need (a large fragment, as the JDK accepts on request). */
    private static final int MAX_PACKET = 64 * 1024;

    final SSLEngine engine;
    final TlsOptions options;
    /** Made by connect: connectionCompleted waits for the handshake. */
    final boolean completesConnect;
    /** Encrypted bytes read, not yet decrypted; in write mode. */
    ByteBuffer netIn;
    /** Encrypted bytes made, not yet written; in write mode (the bytes are [0, position)). */
    ByteBuffer netOut;
    /** Plaintext destination when the loop's read buffer is too small for a record; else null. */
    ByteBuffer appIn;
    /** A piece of a file being sent, in read mode; made on the first file. */
    ByteBuffer fileChunk;
    /** What was queued before {@link Connection#startTls}: written in plaintext before any record; null when none. */
    ArrayDeque<Object> plainOut;
    boolean handshaking = true;
    boolean taskRunning;
    /** closeOutbound was called: the close_notify is (being) wrapped. */
    boolean closeRequested;
    /** The close_notify is wrapped: once written, the connection closes. */
    boolean closeNotifyWrapped;
    /** The peer ended TCP without a close_notify: ours would go to a gone peer. */
    boolean truncated;
    Timer handshakeTimer;

    TlsLayer(SSLEngine engine, TlsOptions options, boolean completesConnect) {
        this.engine = engine;
        this.options = options;
        this.completesConnect = completesConnect;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.netOut = ByteBuffer.allocate(OUT_RECORDS * packet);
    }

    /** Whether a record fits in the out buffer. */
    boolean roomToWrap() {
        return netOut.remaining() >= engine.getSession().getPacketBufferSize();
    }

    /** The out buffer is empty but a record did not fit: the session's records grew. */
    void growNetOut() {
        int packet = engine.getSession().getPacketBufferSize();
        netOut = ByteBuffer.allocate(OUT_RECORDS * packet).put(netOut.flip());
    }

    /** The in buffer is full but holds no whole record. */
    void growNetIn() throws SSLException {
        int wanted = Math.max(engine.getSession().getPacketBufferSize(), netIn.capacity() * 2);
        if (netIn.capacity() >= MAX_PACKET) {
            throw new SSLException("strand-tls: a TLS record larger than " + MAX_PACKET + " bytes");
        }
        netIn = ByteBuffer.allocate(Math.min(MAX_PACKET, wanted)).put(netIn.flip());
    }
}
