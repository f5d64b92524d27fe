package dev.strand.reactor;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reactor's file watches: one {@link WatchService} of the default file system, read by one daemon
 * platform thread, which hands each event to its watch's loop.
 *
 * <p>A single file is watched through its directory, filtered by name. Several watches of one
 * directory share the JDK's key for it. Events wait in the loop's queue bounded per watch: beyond
 * {@link #MAX_UNDELIVERED} undelivered, they are dropped and one {@link FileEvent.Kind#OVERFLOW}
 * says so, as the JDK does when the operating system's queue overflows.
 *
 * <p>Locking: this object's lock guards the watches per key. It is never taken on a loop's own
 * thread, since it is held while the JDK registers and cancels keys, which waits for the JDK's
 * own watch thread.
 */
final class FileWatcher {

    /** Per watch, events queued on its loop and not yet handled beyond which they are dropped. */
    static final int MAX_UNDELIVERED = 1024;
    private static final System.Logger LOG = System.getLogger(FileWatcher.class.getName());
    private static final WatchEvent.Kind<?>[] KINDS = {ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY};

    private final Reactor reactor;
    private final String name;
    private final String failed;
    private final WatchService service;
    private final Map<WatchKey, List<Watch>> watches = new HashMap<>();
    private boolean closed;

    /**
     * Opens the watch service and starts the thread named {@code name}.
     *
     * @throws UncheckedIOException when the watch service cannot be opened (say the limit of
     *                              inotify instances is reached)
     */
    FileWatcher(Reactor reactor, String name) {
        this.reactor = reactor;
        this.name = name;
        this.failed = name.concat(": handing out file events failed; the watcher goes on");
        try {
            this.service = java.nio.file.FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot open a watch service: " + e.getMessage(), e);
        }
        Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /**
     * Watches {@code path}, a directory or a file. Not on a loop's own thread (the caller checks).
     *
     * @throws UncheckedIOException with a {@link NoSuchFileException} when {@code path} does not
     *                              exist; with the cause when the OS refuses the watch
     * @throws UnsupportedOperationException when {@code path} is not on the default file system
     * @throws RejectedExecutionException when the watcher has stopped
     */
    FileWatch watch(Path path, EventLoop loop, FileWatchHandler handler, Registrations owner) {
        boolean directory = Files.isDirectory(path);
        if (!directory && !Files.exists(path)) {
            throw missing(path, null);
        }
        Path parent = path.toAbsolutePath().getParent();
        Path dir = directory || parent == null ? path : parent;
        Watch watch = new Watch(path, directory ? null : path.getFileName(), loop, handler, owner);
        synchronized (this) {
            if (closed) {
                throw new RejectedExecutionException(name + " has stopped");
            }
            try {
                watch.key = dir.register(service, KINDS);
            } catch (NoSuchFileException e) {
                throw missing(path, e); // deleted since it was looked at
            } catch (IOException e) {
                throw new UncheckedIOException("cannot watch " + path + ": " + e.getMessage(), e);
            } catch (ProviderMismatchException | UnsupportedOperationException e) {
                throw new UnsupportedOperationException("cannot watch " + path
                        + ": only paths of the default file system can be watched", e);
            }
            watches.computeIfAbsent(watch.key, k -> new ArrayList<>(2)).add(watch);
        }
        return watch;
    }

    /** Stops the thread and releases every watch. Idempotent. Not on a loop's own thread. */
    void close() {
        synchronized (this) {
            closed = true;
            watches.clear();
        }
        try {
            service.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, name + ": closing the watch service failed", e);
        }
    }

    private static UncheckedIOException missing(Path path, NoSuchFileException cause) {
        NoSuchFileException e = cause != null ? cause : new NoSuchFileException(path.toString());
        return new UncheckedIOException("cannot watch " + path + ": no such file or directory", e);
    }

    /** Forgets {@code watch}; cancels its key when it was the key's last. Not on a loop's own thread. */
    private void release(Watch watch) {
        synchronized (this) {
            List<Watch> sharing = watches.get(watch.key);
            if (sharing != null && sharing.remove(watch) && sharing.isEmpty()) {
                watches.remove(watch.key);
                watch.key.cancel();
            }
        }
    }

    /** The watcher thread: waits for keys and hands their events out, until the service is closed. */
    private void run() {
        while (true) {
            WatchKey key;
            try {
                key = service.take();
            } catch (ClosedWatchServiceException e) {
                return;
            } catch (InterruptedException e) {
                // Nothing of Strand's interrupts this thread: closing the service is what ends it.
                LOG.log(System.Logger.Level.DEBUG, name + ": interrupted; it goes on until the reactor stops", e);
                continue;
            }
            try {
                handOut(key);
            } catch (Throwable t) {
                reactor.failureLog().report("file watch", System.Logger.Level.ERROR, failed, t);
            }
        }
    }

    private void handOut(WatchKey key) {
        List<WatchEvent<?>> events = key.pollEvents();
        Watch[] targets;
        synchronized (this) {
            List<Watch> sharing = watches.get(key);
            targets = sharing == null ? new Watch[0] : sharing.toArray(Watch[]::new);
        }
        for (WatchEvent<?> event : events) {
            for (Watch watch : targets) {
                watch.offer(event);
            }
        }
        if (!key.reset()) {
            // The directory went away, or the key was cancelled or closed with the watcher.
            synchronized (this) {
                if (closed) {
                    return;
                }
                watches.remove(key);
            }
            for (Watch watch : targets) {
                watch.directoryGone();
            }
        }
    }

    /** One watch: a path, a handler and the loop it runs on. */
    private final class Watch implements FileWatch {
        final Path path;
        /** The watched file's name in its directory; null when a directory is watched. */
        final Path fileName;
        final EventLoop loop;
        final FileWatchHandler handler;
        final Registrations owner;
        /** Set under the watcher's lock before the watch is shared. */
        WatchKey key;
        final AtomicInteger undelivered = new AtomicInteger();
        /** Whether an OVERFLOW is queued and has not run. */
        final AtomicBoolean overflowQueued = new AtomicBoolean();
        final AtomicBoolean cancelled = new AtomicBoolean();
        /** Whether the watched directory went away. */
        volatile boolean ended;
        /** The last kind handed out; on the watcher thread. */
        FileEvent.Kind last;

        Watch(Path path, Path fileName, EventLoop loop, FileWatchHandler handler, Registrations owner) {
            this.path = path;
            this.fileName = fileName;
            this.loop = loop;
            this.handler = handler;
            this.owner = owner;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public void cancel() {
            if (cancelled.compareAndSet(false, true)) {
                owner.removed(this);
                OffLoop.release(name, () -> release(this));
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get() || ended;
        }

        /** On the watcher thread. */
        void offer(WatchEvent<?> event) {
            FileEvent.Kind kind = kind(event.kind());
            if (kind == FileEvent.Kind.OVERFLOW) {
                handOut(new FileEvent(kind, path));
                return;
            }
            Path entry = (Path) event.context();
            if (fileName == null) {
                handOut(new FileEvent(kind, path.resolve(entry)));
            } else if (fileName.equals(entry)) {
                last = kind;
                handOut(new FileEvent(kind, path));
            }
        }

        /** On the watcher thread: the watched directory went away, so the watched path did too. */
        void directoryGone() {
            ended = true;
            owner.removed(this);
            if (last != FileEvent.Kind.DELETED) {
                handOut(new FileEvent(FileEvent.Kind.DELETED, path));
            }
        }

        private void handOut(FileEvent event) {
            if (cancelled.get()) {
                return;
            }
            if (undelivered.incrementAndGet() > MAX_UNDELIVERED) {
                undelivered.decrementAndGet();
                if (overflowQueued.compareAndSet(false, true)) {
                    queue(this::overflow);
                }
                return;
            }
            if (!queue(() -> deliver(event))) {
                undelivered.decrementAndGet();
            }
        }

        /** Whether {@code task} was queued; false when the loop has stopped (its reactor cancels this watch). */
        private boolean queue(Runnable task) {
            try {
                loop.execute(task);
                return true;
            } catch (RejectedExecutionException e) {
                LOG.log(System.Logger.Level.DEBUG, name + ": a file event for " + path + " not delivered", e);
                return false;
            }
        }

        /** On the loop; what the handler throws is contained by the loop as a task's failure. */
        private void deliver(FileEvent event) {
            undelivered.decrementAndGet();
            if (!cancelled.get()) {
                handler.handle(event);
            }
        }

        /** On the loop. */
        private void overflow() {
            overflowQueued.set(false); // events dropped from here on queue another
            if (!cancelled.get()) {
                handler.handle(new FileEvent(FileEvent.Kind.OVERFLOW, path));
            }
        }

        private static FileEvent.Kind kind(WatchEvent.Kind<?> kind) {
            if (kind == ENTRY_CREATE) {
                return FileEvent.Kind.CREATED;
            } else if (kind == ENTRY_DELETE) {
                return FileEvent.Kind.DELETED;
            } else if (kind == ENTRY_MODIFY) {
                return FileEvent.Kind.MODIFIED;
            }
            return FileEvent.Kind.OVERFLOW;
        }

        @Override
        public String toString() {
            return "watch of " + path + " on " + loop;
        }
    }
}
