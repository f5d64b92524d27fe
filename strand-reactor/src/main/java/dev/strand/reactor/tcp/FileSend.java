package dev.strand.reactor.tcp;

import java.io.IOException;
import java.nio.channels.FileChannel;
import dev.strand.reactor.spi.Transport;
import java.util.concurrent.CompletableFuture;

/** A file in the out-queue: sent with transferTo from where the last piece ended. On the loop. */
final class FileSend {
    final FileChannel file;
    final CompletableFuture<Long> done = new CompletableFuture<>();
    long position;
    long size = -1;

    FileSend(FileChannel file) {
        this.file = file;
    }

    /** Returns true when the whole file is written; false when the socket is full. */
    boolean transfer(Transport transport) throws IOException {
        try {
            if (size < 0) {
                size = file.size();
            }
            while (position < size) {
                long n = transport.transferFrom(file, position, size - position);
                if (n <= 0) {
                    if (file.size() < size) {
                        throw new IOException("file shrank while being sent: " + size + " bytes expected");
                    }
                    return false;
                }
                position += n;
            }
            return true;
        } catch (IOException e) {
            fail(e);
            throw e;
        }
    }

    /**
     * Reads the next piece into {@code chunk}, for a copying send (over TLS); -1 once the whole
     * file is read.
     */
    int fill(java.nio.ByteBuffer chunk) throws IOException {
        try {
            if (size < 0) {
                size = file.size();
            }
            if (position >= size) {
                return -1;
            }
            chunk.limit((int) Math.min(chunk.limit(), chunk.position() + (size - position))); // not past the length read first
            int n = file.read(chunk, position);
            if (n <= 0) {
                throw new IOException("file shrank while being sent: " + size + " bytes expected");
            }
            position += n;
            return n;
        } catch (IOException e) {
            fail(e);
            throw e;
        }
    }

    void succeed() {
        Tcp.closeQuietly(file);
        done.complete(size);
    }

    void fail(Throwable failure) {
        Tcp.closeQuietly(file);
        done.completeExceptionally(failure);
    }
}
