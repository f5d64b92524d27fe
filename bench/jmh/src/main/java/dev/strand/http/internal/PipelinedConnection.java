package dev.strand.http.internal;

import dev.strand.reactor.spi.Transport;

import dev.strand.http.HttpServer;
import dev.strand.http.Routing;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.FiberMode;
import dev.strand.reactor.Reactor;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One connection of a real server, fed pipelined requests from memory and written to nowhere: the
 * whole request path (parse, route, dispatch, handler, encode, flush) on its loop, without a
 * socket. A batch is handed to the loop as one task, so the hand-off is spread over its requests.
 */
final class PipelinedConnection implements AutoCloseable {

    private final Reactor reactor;
    private final EventLoop loop;
    private final HttpServer server;
    private final MemoryInput transport;
    private final Http1Connection connection;
    private final int rounds;

    /**
     * A server with {@code routing} on a one-loop reactor, and a connection that gets
     * {@code requests} (pipelined) {@code rounds} times per batch.
     */
    PipelinedConnection(Consumer<Routing> routing, byte[] requests, int rounds) throws Exception {
        this.reactor = Reactor.builder().loops(1).fiberMode(FiberMode.AUTO).name("jmh-dispatch").build();
        this.loop = reactor.loops().getFirst();
        this.server = HttpServer.builder().host("127.0.0.1").port(0).reactor(reactor).routing(routing).build().start();
        this.transport = new MemoryInput(requests);
        this.rounds = rounds;
        CompletableFuture<Http1Connection> opened = new CompletableFuture<>();
        loop.execute(() -> opened.complete(((StrandServer) server).serve(loop, transport)));
        this.connection = opened.get(10, TimeUnit.SECONDS);
    }

    /** Runs one batch on the loop and waits for it; the bytes the responses took. */
    long batch() throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        loop.execute(() -> {
            long before = transport.written;
            for (int i = 0; i < rounds; i++) {
                transport.ready = true;
                transport.events.ready(true, false);
                transport.events.ready(false, true); // the flush the end of the turn would do
            }
            done.complete(transport.written - before);
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        server.close();
        reactor.close();
    }

    /** Gives the same requests at each read it is made ready for; takes every write whole. */
    private static final class MemoryInput implements Transport {
        private final byte[] requests;
        boolean ready;
        long written;
        Transport.Events events;

        MemoryInput(byte[] requests) {
            this.requests = requests;
        }

        @Override
        public void open(Transport.Events events) {
            this.events = events;
        }

        @Override
        public long transferFrom(java.nio.channels.FileChannel file, long position, long count) {
            throw new UnsupportedOperationException("no files in this benchmark");
        }

        @Override
        public java.util.Optional<InetSocketAddress> remoteAddress() {
            return java.util.Optional.of(new InetSocketAddress("127.0.0.1", 40000));
        }

        @Override
        public java.util.Optional<InetSocketAddress> localAddress() {
            return java.util.Optional.empty();
        }

        @Override
        public int read(ByteBuffer into) {
            if (!ready) {
                return 0;
            }
            ready = false;
            into.put(requests);
            return requests.length;
        }

        @Override
        public int write(ByteBuffer from) {
            int n = from.remaining();
            from.position(from.limit());
            written += n;
            return n;
        }

        @Override
        public long write(ByteBuffer[] from, int offset, int length) {
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                n += write(from[i]);
            }
            return n;
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public void interest(boolean read, boolean write) {
        }

        @Override
        public void close() {
        }
    }
}
