package dev.strand.reactor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Child processes for {@link EventLoop#system} and {@link EventLoop#watchProcess}: whatever blocks
 * (starting, reading the output, waiting for the exit) runs on the reactor's offload pool.
 */
final class Processes {

    private static final System.Logger LOG = System.getLogger(Processes.class.getName());
    private static final int READ_CHUNK = 8192;

    private Processes() {
    }

    /** See {@link EventLoop#system}. Any thread. */
    static Deferred<ProcessResult> system(EventLoop loop, String... command) {
        List<String> words = List.of(command); // throws on a null word
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no command to run");
        }
        Deferred<ProcessResult> deferred = Deferred.create(loop);
        Run run = new Run(words, deferred);
        // Completed before the process ended (by its timeout, by a close): nobody will read the
        // result, and the offload thread reading its output must be freed.
        deferred.whenDone(run::abandonIfRunning);
        loop.reactor().offloadPool().submit(run::call, deferred);
        return deferred;
    }

    /** One command's run, on an offload thread. */
    private static final class Run {
        private final List<String> command;
        private final Deferred<ProcessResult> deferred;
        private final AtomicReference<Process> process = new AtomicReference<>();
        private final AtomicBoolean finished = new AtomicBoolean();

        Run(List<String> command, Deferred<ProcessResult> deferred) {
            this.command = command;
            this.deferred = deferred;
        }

        ProcessResult call() throws IOException, InterruptedException {
            if (deferred.isDone()) {
                return null; // failed while queued (timed out, closed): do not start it at all
            }
            Process started = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.set(started);
            try {
                if (deferred.isDone()) {
                    return null; // failed while starting; abandonIfRunning may have missed the process
                }
                // Nothing to give it: a command that reads its input sees its end instead of waiting forever.
                started.getOutputStream().close();
                ByteArrayOutputStream kept = new ByteArrayOutputStream();
                boolean truncated = false;
                byte[] chunk = new byte[READ_CHUNK];
                try (InputStream output = started.getInputStream()) {
                    int n;
                    while ((n = output.read(chunk)) != -1) {
                        int room = ProcessResult.MAX_OUTPUT_BYTES - kept.size();
                        if (n > room) {
                            truncated = true;
                        }
                        kept.write(chunk, 0, Math.min(n, room));
                    }
                }
                int exitCode = started.waitFor();
                finished.set(true);
                return new ProcessResult(exitCode, kept.toString(StandardCharsets.UTF_8), truncated);
            } finally {
                if (!finished.get()) {
                    destroy(started); // interrupted, or the read failed: leave no orphan behind
                }
            }
        }

        /**
         * Runs once the deferred completes, on the completing thread; kills the process if its
         * result is no longer wanted.
         */
        void abandonIfRunning() {
            Process started = process.get();
            if (started != null && !finished.get()) {
                // Not here: this may be the loop's thread (a timeout), and finding the descendants
                // reads the process table.
                Thread.ofVirtual().name("strand-process-destroyer").start(() -> {
                    try {
                        destroy(started);
                    } catch (Throwable t) {
                        LOG.log(System.Logger.Level.WARNING, "strand reactor, system: could not kill process "
                                + started.pid() + " after its deferred completed", t);
                    }
                });
            }
        }

        private static void destroy(Process started) {
            // Its children first, while they are still its own and can be found.
            started.descendants().forEach(ProcessHandle::destroyForcibly);
            started.destroyForcibly();
        }
    }
}
