package dev.strand.bench.jetty;

import dev.strand.bench.common.Args;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Jetty 12 peer on the core {@code Handler} API, with a blocking handler. Two modes:
 * {@code --threads platform} (default), Jetty's default {@link QueuedThreadPool}; or
 * {@code --threads virtual}, the same pool handing the blocking handler's work to a new virtual
 * thread per task.
 *
 * <p>{@code java -jar jetty-bench.jar [--port N] [--host H] [--threads platform|virtual]}
 */
public final class JettyBench {

    private JettyBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = Args.parse("jetty-bench", argv, java.util.Set.of("--threads"));
        boolean virtual = switch (a.extras().getOrDefault("--threads", "platform")) {
            case "platform" -> false;
            case "virtual" -> true;
            default -> throw new IllegalArgumentException("--threads is platform or virtual");
        };
        QueuedThreadPool pool = new QueuedThreadPool();
        if (virtual) {
            pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        }
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false); // the handler sends "Server: Jetty" like the other peers
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(a.host());
        connector.setPort(a.port());
        server.addConnector(connector);
        server.setHandler(new BenchHandler());
        server.start();
        System.out.println("Jetty " + Jetty.VERSION + " bench listening on port " + connector.getLocalPort()
                + " (threads: " + (virtual ? "virtual" : "platform") + ")");
        server.join();
    }
}
