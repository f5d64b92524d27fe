package dev.strand.bench.undertow;

import dev.strand.bench.common.Args;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.Version;

/**
 * The Undertow peer: one I/O thread per core; {@code /plaintext} and {@code /json} are answered on
 * the I/O thread, {@code /sleep} by a task that the I/O thread runs after the delay.
 *
 * <p>{@code java -jar undertow-bench.jar [--port N] [--host H]}
 */
public final class UndertowBench {

    private UndertowBench() {
    }

    public static void main(String[] args) {
        Args a = Args.parse("undertow-bench", args);
        int cores = Runtime.getRuntime().availableProcessors();
        Undertow server = Undertow.builder()
                .setIoThreads(cores)
                // Pipelined responses go out together rather than one write each, as Netty's
                // flush-per-read-burst does (TechEmpower's plaintext is pipelined 16 deep).
                .setServerOption(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                .addHttpListener(a.port(), a.host())
                .setHandler(new BenchHandler())
                .build();
        server.start();
        System.out.println("Undertow " + Version.getVersionString() + " bench listening on port " + a.port()
                + " (" + cores + " I/O threads)");
    }
}
