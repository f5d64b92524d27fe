package dev.strand.reactor.simulation;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.strand.reactor.Deferred;
import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Fiber;
import dev.strand.reactor.Simulation;
import dev.strand.reactor.Trace;
import dev.strand.reactor.spi.MemoryPipe;
import dev.strand.reactor.tcp.BlockingConnection;
import dev.strand.reactor.tcp.Connection;
import dev.strand.reactor.tcp.Tcp;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A workload with many choices for a seed to make: three timers due at one instant, three echo
 * connections over memory pipes whose clients are fibers, sleeps that end together, offloaded work.
 * What it returns is the order in which things happened, which the seed decides.
 */
final class SimulatedWorkload {

    record Result(String order, Trace trace) {
    }

    private SimulatedWorkload() {
    }

    static Result run(long seed) {
        try (Simulation sim = Simulation.create(seed)) {
            String order = sim.run(() -> body(sim));
            return new Result(order, sim.trace());
        }
    }

    private static String body(Simulation sim) throws Exception {
        EventLoop loop = sim.loop();
        Tcp tcp = Tcp.create(sim.reactor());
        StringBuilder order = new StringBuilder(); // written only on the loop and its fibers
        for (String name : List.of("A", "B", "C")) {
            loop.addTimer(Duration.ofMillis(5), () -> order.append(name));
        }
        List<Deferred<Void>> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            MemoryPipe pipe = MemoryPipe.create();
            tcp.attach(loop, pipe.serverSide(), Optional.empty(), (connection, data) -> connection.sendData(data));
            Connection client = tcp.attach(loop, pipe.clientSide(), Optional.empty(), (connection, data) -> { });
            Deferred<Void> done = Deferred.create(loop);
            clients.add(done);
            String n = String.valueOf(i);
            loop.startFiber(() -> {
                try {
                    BlockingConnection blocking = client.blocking();
                    blocking.output().write(("hello " + n + "\n").getBytes(US_ASCII));
                    String echoed = readLine(blocking.input());
                    order.append(echoed.substring(6));
                    Fiber.sleep(Duration.ofMillis(5));
                    order.append(n);
                    order.append(Fiber.offload(() -> "o"));
                    blocking.close();
                    done.succeed(null);
                } catch (Exception e) {
                    done.fail(e);
                }
            });
        }
        for (Deferred<Void> client : clients) {
            client.await();
        }
        return order.toString();
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        return line.toString();
    }
}
