package dev.strand.http;

import java.io.IOException;

/**
 * The server of {@link AcceptBacksOffAtTheDescriptorLimitTest}, run in a child JVM under a low
 * open-file limit: a server like the demo's, on 127.0.0.1 and a free port, which it prints as
 * {@code PORT n}. Like the demo, main returns once the server is started, so the process lives
 * only as long as the loops do; it halts when its stdin closes, so it never outlives the test.
 */
public final class DescriptorLimitServerMain {

    private DescriptorLimitServerMain() {
    }

    public static void main(String[] args) {
        HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .config(c -> c.loops(2))
                .routing(r -> r.get("/ping", (req, res) -> res.send("pong")))
                .build().start();
        Thread.ofPlatform().daemon().name("stdin-watch").start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the test never writes; EOF means it is done (or gone)
                }
            } catch (IOException e) {
                // the same: the test is gone
            }
            Runtime.getRuntime().halt(0);
        });
        System.out.println("PORT " + server.port());
        System.out.flush();
    }
}
