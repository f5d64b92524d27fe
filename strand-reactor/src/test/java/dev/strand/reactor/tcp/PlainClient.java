package dev.strand.reactor.tcp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A JDK socket on the other end, with a 5 s read timeout so that no test hangs. */
final class PlainClient implements AutoCloseable {

    final Socket socket;

    private PlainClient(Socket socket) {
        this.socket = socket;
    }

    static PlainClient connect(String host, int port) throws IOException {
        return connect(host, port, 0);
    }

    /** With {@code receiveBuffer} > 0, a small receive window, set before connecting. */
    static PlainClient connect(String host, int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setSoTimeout(5_000);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        return new PlainClient(socket);
    }

    void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    byte[] readExactly(int n) throws IOException {
        return socket.getInputStream().readNBytes(n);
    }

    /** Everything until the peer ends the stream. */
    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    /** -1 when the peer has ended the stream (waits up to 5 s). */
    int readOne() throws IOException {
        return socket.getInputStream().read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
