package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * With {@code listen(false)} a started server has no listening socket at all (seen in
 * {@code /proc/net/tcp} and {@code tcp6}, matched to this process's sockets) and no port to tell.
 */
class AServerThatDoesNotListenOpensNoPortTest {

    @Test
    void startingItAddsNoListeningSocketToTheProcess() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd")),
                "needs Linux's /proc");
        Set<String> before = listeningSockets();
        try (HttpServer quiet = HttpServer.builder().host("127.0.0.1").port(0).config(c -> c.listen(false).loops(2))
                .build().start()) {
            assertTrue(quiet.isRunning());
            assertEquals(before, listeningSockets(), "a server that does not listen opened a listening socket");
            // The view sees a listener when there is one, so the assertion above can fail.
            try (HttpServer listening = HttpServer.builder().host("127.0.0.1").port(0).config(c -> c.loops(1)).build().start()) {
                Set<String> now = listeningSockets();
                now.removeAll(before);
                assertEquals(1, now.size(), "the listening server's socket: " + now);
                assertTrue(now.iterator().next().endsWith(":" + listening.port()), now.toString());
            }
        }
    }

    @Test
    void itHasNoPortToTell() {
        try (HttpServer server = HttpServer.builder().config(c -> c.listen(false).loops(1)).build().start()) {
            assertFalse(server.config().listen());
            IllegalStateException e = assertThrows(IllegalStateException.class, server::port);
            assertTrue(e.getMessage().contains("does not listen"), e.getMessage());
        }
        assertTrue(ServerConfig.builder().build().listen(), "servers listen by default");
        assertTrue(ServerConfig.builder().listen(false).build().toString().contains("listen=false"));
    }

    /** This process's listening TCP sockets, as "inode:port". */
    private static Set<String> listeningSockets() {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> listening = new HashSet<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue; // no IPv6
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st ... inode: st 0A is LISTEN
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    listening.add(f[9] + ":" + Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16));
                }
            }
        }
        return listening;
    }
}
