package dev.strand.reactor;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * What a reactor's users registered beyond its loops (signal traps, file watches), so that stopping
 * the reactor cancels them; and the reactor's file watcher, started with the first watch.
 *
 * <p>Thread-safe. Its lock is taken only off loops' own threads (see {@link OffLoop}).
 */
final class Registrations {

    private final Reactor reactor;
    private final String reactorName;
    private final Set<Registration> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    /** Started with the first watch; guarded by this. */
    private FileWatcher fileWatcher;

    Registrations(Reactor reactor, String reactorName) {
        this.reactor = reactor;
        this.reactorName = reactorName;
    }

    /** See {@link Reactor#onSignal}. */
    Registration trap(Signal signal, Runnable handler) {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(handler, "handler");
        OffLoop.require("trapping a signal");
        requireOpen();
        return added(SignalTraps.trap(signal, reactor.next(), handler, this));
    }

    /** See {@link Reactor#watch}. */
    FileWatch watch(Path path, FileWatchHandler handler) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(handler, "handler");
        OffLoop.require("watching a file");
        FileWatcher watcher;
        synchronized (this) {
            requireOpen();
            if (fileWatcher == null) {
                fileWatcher = new FileWatcher(reactor, reactorName.concat("-file-watch"));
            }
            watcher = fileWatcher;
        }
        return added(watcher.watch(path, reactor.next(), handler, this));
    }

    /** Forgets a registration that was cancelled. Any thread. */
    void removed(Registration registration) {
        live.remove(registration);
    }

    /** Cancels every registration and stops the file watcher; later ones are refused. Not on a loop's own thread. */
    void cancelAll() {
        closed = true;
        for (Registration registration : live) {
            registration.cancel();
        }
        FileWatcher watcher;
        synchronized (this) {
            watcher = fileWatcher;
        }
        if (watcher != null) {
            watcher.close();
        }
    }

    private <R extends Registration> R added(R registration) {
        live.add(registration);
        if (closed) {
            // The reactor stopped while this was being registered.
            registration.cancel();
            throw stopped();
        }
        return registration;
    }

    private void requireOpen() {
        if (closed) {
            throw stopped();
        }
    }

    private RejectedExecutionException stopped() {
        return new RejectedExecutionException(reactorName + " has stopped");
    }
}
