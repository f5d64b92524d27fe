import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The memory shape's load: idle keep-alive connections opened from the sweep's own process (Java NIO). */
final class IdleConnections {

    private IdleConnections() {
    }

    /** How many idle connections fit: one process holds them, the server holds their other ends. */
    static int idleConnectionCount(Sweep sweep) {
        long soft = ProcStats.fdLimit("Max open files", 1);
        long hard = ProcStats.fdLimit("Max open files", 2);
        long fits = Math.min(soft, hard) - Sweep.FD_MARGIN;
        int count = (int) Math.min(sweep.idleConns, Math.max(100, fits));
        if (count < sweep.idleConns) {
            sweep.idleCountReason = String.format(Locale.ROOT,
                    "%,d rather than the issue's %,d: the open-file limit here is %,d per process (hard limit %,d, "
                            + "which root cannot raise in this sandbox), and both the server and the process holding the "
                            + "client ends need one descriptor per connection plus their own (listening socket, selector, "
                            + "jars, pipes); %,d descriptors are left for those",
                    count, sweep.idleConns, soft, hard, Sweep.FD_MARGIN);
        } else {
            sweep.idleCountReason = String.format(Locale.ROOT, "%,d as asked (open-file limit %,d)", count, soft);
        }
        return count;
    }

    /** 5. Opens idle keep-alive connections from this process (NIO); the server's RSS before and after. */
    static void idleMemory(Sweep sweep, ServerRun run, int port) throws Exception {
        Measurement m = run.add("memory");
        long pid = run.process.pid();
        Sweep.sleepMillis(1000);
        // A full GC before each reading: live connection state then sits in the old generation, which
        // RSS sees, rather than in an already-touched young generation, which it would not.
        double heapBefore = ProcStats.liveHeapKib(sweep, pid);
        long before = ProcStats.rssKib(pid);
        List<SocketChannel> held = new ArrayList<>(sweep.idleCountUsed);
        int failed = 0;
        String firstFailure = null;
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(90);
        byte[] req = HttpChecks.request("/plaintext", port);
        try (Selector selector = Selector.open()) {
            int opened = 0;
            int inFlight = 0;
            final int window = 256;
            while (held.size() + failed < sweep.idleCountUsed) {
                while (inFlight < window && opened < sweep.idleCountUsed) {
                    SocketChannel ch = SocketChannel.open();
                    ch.configureBlocking(false);
                    try {
                        ch.connect(new InetSocketAddress("127.0.0.1", port));
                        ch.register(selector, SelectionKey.OP_CONNECT, new IdleConn());
                    } catch (IOException e) {
                        ch.close();
                        failed++;
                        firstFailure = firstFailure == null ? "connect: " + e.getMessage() : firstFailure;
                        opened++;
                        continue;
                    }
                    opened++;
                    inFlight++;
                }
                if (System.nanoTime() - deadline > 0) {
                    int pending = sweep.idleCountUsed - held.size() - failed;
                    failed += pending;
                    firstFailure = firstFailure == null ? pending + " still pending after 90 s" : firstFailure;
                    for (SelectionKey k : selector.keys()) {
                        k.channel().close();
                    }
                    break;
                }
                selector.select(500);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) key.channel();
                    IdleConn c = (IdleConn) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            ch.finishConnect();
                            ByteBuffer b = ByteBuffer.wrap(req);
                            while (b.hasRemaining()) {
                                if (ch.write(b) == 0) {
                                    throw new IOException("could not write a 60-byte request at once");
                                }
                            }
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable()) {
                            int n = ch.read(c.buf);
                            if (n < 0) {
                                throw new IOException("closed by the server before replying");
                            }
                            String problem = c.complete();
                            if (problem != null) {
                                if (!problem.isEmpty()) {
                                    throw new IOException(problem);
                                }
                                key.cancel();
                                c.buf = null;
                                held.add(ch);
                                inFlight--;
                            }
                        }
                    } catch (IOException e) {
                        key.cancel();
                        ch.close();
                        failed++;
                        inFlight--;
                        firstFailure = firstFailure == null ? e.getMessage() : firstFailure;
                    }
                }
                selector.selectedKeys().clear();
            }
            selector.selectNow(); // deregisters the cancelled keys
        }
        double openSeconds = (System.nanoTime() - started) / 1e9;
        Sweep.sleepMillis(sweep.quick ? 1000 : 2000);
        double heapAfter = ProcStats.liveHeapKib(sweep, pid);
        long after = ProcStats.rssKib(pid);
        int stillOpen = countStillOpen(held);
        m.values.put("count", (double) sweep.idleCountUsed);
        m.values.put("held", (double) held.size());
        m.values.put("stillOpen", (double) stillOpen);
        m.values.put("beforeMiB", before / 1024.0);
        m.values.put("afterMiB", after / 1024.0);
        m.values.put("deltaMiB", (after - before) / 1024.0);
        if (!held.isEmpty()) {
            m.values.put("perConnKiB", (after - before) / (double) held.size());
        }
        m.values.put("openSeconds", openSeconds);
        if (!Double.isNaN(heapBefore) && !Double.isNaN(heapAfter) && !held.isEmpty()) {
            m.values.put("heapBeforeMiB", heapBefore / 1024);
            m.values.put("heapAfterMiB", heapAfter / 1024);
            m.values.put("heapPerConnKiB", (heapAfter - heapBefore) / held.size());
        }
        if (failed > 0) {
            m.problems.add(failed + " of " + sweep.idleCountUsed + " connections failed (first: " + firstFailure + ")");
        }
        if (stillOpen < held.size()) {
            m.problems.add((held.size() - stillOpen) + " connections were closed by the server before RSS was read");
        }
        if (before < 0 || after < 0) {
            m.problems.add("could not read the server's RSS");
        }
        for (SocketChannel ch : held) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        Sweep.log("%s: %-20s %s", run.server, "memory", m.summary());
    }

    /** Idle connections the server has not closed (nothing readable on them, not even end-of-stream). */
    static int countStillOpen(List<SocketChannel> held) throws IOException {
        int closed = 0;
        try (Selector s = Selector.open()) {
            for (SocketChannel ch : held) {
                ch.register(s, SelectionKey.OP_READ);
            }
            s.selectNow();
            ByteBuffer buf = ByteBuffer.allocate(512);
            for (SelectionKey k : s.selectedKeys()) {
                buf.clear();
                try {
                    int n = ((SocketChannel) k.channel()).read(buf);
                    if (n < 0) {
                        closed++;
                    }
                } catch (IOException e) {
                    closed++;
                }
            }
            for (SelectionKey k : s.keys()) {
                k.cancel();
            }
            s.selectNow();
        }
        return held.size() - closed;
    }

    /** One idle connection's reply being read: complete() is null (more), "" (a correct reply) or the problem. */
    static final class IdleConn {
        ByteBuffer buf = ByteBuffer.allocate(1024);

        String complete() {
            byte[] a = buf.array();
            int n = buf.position();
            int end = -1;
            for (int i = 3; i < n; i++) {
                if (a[i - 3] == '\r' && a[i - 2] == '\n' && a[i - 1] == '\r' && a[i] == '\n') {
                    end = i + 1;
                    break;
                }
            }
            if (end < 0) {
                return n == a.length ? "reply head larger than 1 KiB" : null;
            }
            String head = new String(a, 0, end, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 200")) {
                return "reply " + head.lines().findFirst().orElse("");
            }
            Matcher cl = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$").matcher(head);
            if (!cl.find()) {
                return "reply without Content-Length";
            }
            int length = Integer.parseInt(cl.group(1));
            if (n < end + length) {
                return null;
            }
            String body = new String(a, end, length, StandardCharsets.UTF_8);
            if (!body.equals(Sweep.PLAINTEXT_BODY) || n > end + length) {
                return "unexpected reply body " + Sweep.quote(body);
            }
            if (Pattern.compile("(?im)^connection:\\s*close").matcher(head).find()) {
                return "the server closes the connection (Connection: close)";
            }
            return "";
        }
    }
}
