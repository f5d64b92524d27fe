package dev.strand.examples.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The local Redis the client tests talk to, on 127.0.0.1:6379 without a password. When it does not
 * answer, its tests are skipped with the reason, except under CI ({@code CI=true}), which provides
 * it: there they fail, so that they can never be skipped unnoticed.
 */
final class LocalRedis {

    static final String HOST = "127.0.0.1";
    static final int PORT = 6379;

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static volatile Optional<String> unavailable;

    private LocalRedis() {
    }

    static void assumeAvailable() {
        Optional<String> reason = unavailable;
        if (reason == null) {
            reason = probe();
            unavailable = reason;
        }
        if (reason.isPresent()) {
            if ("true".equals(System.getenv("CI"))) {
                fail(reason.get() + " (CI provides it, so this fails instead of skipping)");
            }
            Assumptions.abort(reason.get());
        }
    }

    /** A key prefix no other test, run or process uses: delete what is under it afterwards. */
    static String uniquePrefix(String what) {
        return "strand-test:" + what + ":" + ProcessHandle.current().pid() + ":" + PREFIXES.incrementAndGet() + ":"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000)) + ":";
    }

    /** Why the local Redis cannot be used, if it cannot: a PING over a plain socket. */
    private static Optional<String> probe() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 1_000);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write("PING\r\n".getBytes(UTF_8));
            byte[] answer = new byte[64];
            int n = socket.getInputStream().read(answer);
            String reply = n < 0 ? "(nothing)" : new String(answer, 0, n, UTF_8).trim();
            return reply.equals("+PONG") ? Optional.empty()
                    : Optional.of("Redis at " + HOST + ":" + PORT + " answered PING with " + reply
                            + "; these tests need one without a password");
        } catch (IOException e) {
            return Optional.of("Redis not reachable at " + HOST + ":" + PORT + " (" + e.getMessage()
                    + "); start one (no password) to run these tests");
        }
    }
}
