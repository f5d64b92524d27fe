package dev.strand.reactor;

import static dev.strand.reactor.FileEvent.Kind.CREATED;
import static dev.strand.reactor.FileEvent.Kind.DELETED;
import static dev.strand.reactor.FileEvent.Kind.MODIFIED;
import static dev.strand.reactor.FileEvent.Kind.OVERFLOW;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File watches report creations, modifications, deletions and renames within a directory, or of one
 * file, on the watch's loop; a cancelled watch reports nothing more; a loop that falls behind gets
 * one OVERFLOW instead of an unbounded queue.
 */
class FileWatchReportsChangesOnALoopTest {

    @TempDir
    Path dir;
    private Reactor reactor;

    @BeforeEach
    void start() {
        reactor = Reactor.builder().loops(2).name("watch").stallWatchdog(false).build();
    }

    @AfterEach
    void stop() {
        reactor.close();
    }

    /** A handler that queues its events and notes any delivered off a loop of the reactor. */
    private final class Events implements FileWatchHandler {
        final LinkedBlockingQueue<FileEvent> queue = new LinkedBlockingQueue<>();
        final List<FileEvent> seen = new CopyOnWriteArrayList<>();
        final AtomicBoolean offLoop = new AtomicBoolean();

        @Override
        public void handle(FileEvent event) {
            if (EventLoop.current().filter(loop -> loop.reactor() == reactor).isEmpty()) {
                offLoop.set(true);
            }
            seen.add(event);
            queue.add(event);
        }

        /** Waits up to 5 s for {@code kind} of {@code path}, skipping other events. */
        void await(FileEvent.Kind kind, Path path) throws InterruptedException {
            FileEvent expected = new FileEvent(kind, path);
            long deadline = System.nanoTime() + SECONDS.toNanos(5);
            List<FileEvent> skipped = new ArrayList<>();
            while (true) {
                FileEvent event = queue.poll(deadline - System.nanoTime(), java.util.concurrent.TimeUnit.NANOSECONDS);
                if (event == null) {
                    throw new AssertionError("no " + expected + " within 5 s; got " + skipped);
                }
                if (event.equals(expected)) {
                    assertFalse(offLoop.get(), "an event was delivered off the reactor's loops");
                    return;
                }
                skipped.add(event);
            }
        }
    }

    @Test
    void createModifyAndDeleteInAWatchedDirectoryAreReportedOnItsLoop() throws Exception {
        Events events = new Events();
        try (FileWatch watch = reactor.watch(dir, events)) {
            assertEquals(dir, watch.path());
            Path file = dir.resolve("a.txt");

            Files.writeString(file, "one");
            events.await(CREATED, file);
            Files.writeString(file, "two");
            events.await(MODIFIED, file);
            Files.delete(file);
            events.await(DELETED, file);
        }
    }

    @Test
    void aRenameIsADeleteOfTheOldNameAndACreateOfTheNew() throws Exception {
        Path from = Files.writeString(dir.resolve("from.txt"), "x");
        Events events = new Events();
        reactor.watch(dir, events);
        Path to = dir.resolve("to.txt");

        Files.move(from, to);

        events.await(DELETED, from);
        events.await(CREATED, to);
    }

    @Test
    void aWatchedFileSeesItsOwnChangesOnly() throws Exception {
        Path file = Files.writeString(dir.resolve("watched.txt"), "one");
        Path other = dir.resolve("other.txt");
        Events events = new Events();
        reactor.watch(file, events);

        Files.writeString(other, "not watched");
        Files.writeString(file, "two");
        events.await(MODIFIED, file);
        Files.delete(file);
        events.await(DELETED, file);
        Files.writeString(file, "again");
        events.await(CREATED, file);

        assertTrue(events.seen.stream().allMatch(e -> e.path().equals(file)), events.seen.toString());
    }

    @RepeatedTest(5)
    void aCancelledWatchReportsNothingMore() throws Exception {
        Events cancelled = new Events();
        Events witness = new Events();
        FileWatch watch = reactor.watch(dir, cancelled);
        reactor.watch(dir, witness); // shares the directory's key: sees what the cancelled one would have
        Path before = dir.resolve("before.txt");
        Files.writeString(before, "x");
        cancelled.await(CREATED, before);
        witness.await(CREATED, before);

        watch.cancel();
        assertTrue(watch.isCancelled());
        Path after = dir.resolve("after.txt");
        Files.writeString(after, "y");
        witness.await(CREATED, after);
        Loops.run(reactor.loops().get(0), () -> { }); // anything queued for the cancelled watch has run by now
        Loops.run(reactor.loops().get(1), () -> { });

        assertTrue(cancelled.seen.stream().noneMatch(e -> e.path().equals(after)), cancelled.seen.toString());
    }

    @Test
    void aHandlerThatThrowsIsCountedAndTheWatchGoesOn() throws Exception {
        Events events = new Events();
        Path first = dir.resolve("first.txt");
        try (LogCapture log = new LogCapture(EventLoop.class.getName())) {
            reactor.watch(dir, event -> {
                events.handle(event);
                if (event.path().equals(first)) {
                    throw new IllegalStateException("expected by the test");
                }
            });
            Files.writeString(first, "x");
            events.await(CREATED, first);
            Path second = dir.resolve("second.txt");
            Files.writeString(second, "y");
            events.await(CREATED, second);

            assertTrue(reactor.failures(Failure.TASK) >= 1, "the handler's failure was not counted");
            assertFalse(log.messagesWith("a task failed").isEmpty(), log.messages().toString());
        }
    }

    @Test
    void watchingAMissingPathFailsNamingIt() {
        Path missing = dir.resolve("missing");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> reactor.watch(missing, event -> { }));
        assertInstanceOf(NoSuchFileException.class, e.getCause());
        assertEquals("cannot watch " + missing + ": no such file or directory", e.getMessage());
    }

    @Test
    void watchingOnALoopsOwnThreadIsRefused() {
        EventLoop loop = reactor.loops().getFirst();
        IllegalStateException e = Loops.call(loop,
                () -> assertThrows(IllegalStateException.class, () -> reactor.watch(dir, event -> { })));
        assertTrue(e.getMessage().startsWith("watching a file may wait, which would block " + loop), e.getMessage());
    }

    @Test
    void whenTheWatchedDirectoryGoesAwayAFinalDeleteEndsTheWatch() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Events events = new Events();
        FileWatch watch = reactor.watch(sub, events);

        Files.delete(sub);

        events.await(DELETED, sub);
        Loops.run(reactor.loops().get(0), () -> { });
        assertTrue(watch.isCancelled(), "the watch did not end with its directory");
    }

    @Test
    void aLoopThatFallsBehindGetsAnOverflowAndNotAnUnboundedQueue() throws Exception {
        // Two watches of one directory, on the reactor's two loops, share the watcher's pass over
        // each event: once the witness, on a free loop, has seen the last file (or an overflow of
        // its own), every event has been offered to the held one too.
        int files = FileWatcher.MAX_UNDELIVERED + 500;
        Path last = dir.resolve("f" + (files - 1));
        AtomicInteger created = new AtomicInteger();
        CompletableFuture<EventLoop> heldOn = new CompletableFuture<>();
        CompletableFuture<Void> overflow = new CompletableFuture<>();
        reactor.watch(dir, event -> {
            heldOn.complete(EventLoop.current().orElse(null));
            if (event.kind() == CREATED) {
                created.incrementAndGet();
            } else if (event.kind() == OVERFLOW) {
                overflow.complete(null);
            }
        });
        CompletableFuture<EventLoop> witnessOn = new CompletableFuture<>();
        CompletableFuture<Void> witnessDone = new CompletableFuture<>();
        reactor.watch(dir, event -> {
            witnessOn.complete(EventLoop.current().orElse(null));
            if (event.kind() == OVERFLOW || event.path().equals(last)) {
                witnessDone.complete(null);
            }
        });
        Files.createFile(dir.resolve("probe"));
        EventLoop held = heldOn.get(5, SECONDS);
        assertTrue(held != null && held != witnessOn.get(5, SECONDS), "the watches share a loop: " + held);

        AtomicBoolean release = new AtomicBoolean();
        CompletableFuture<Void> holding = new CompletableFuture<>();
        held.execute(() -> {
            holding.complete(null);
            long giveUp = System.nanoTime() + SECONDS.toNanos(10);
            while (!release.get() && System.nanoTime() - giveUp < 0) {
                Thread.onSpinWait();
            }
        });
        holding.get(5, SECONDS);
        try {
            for (int i = 0; i < files; i++) {
                Files.createFile(dir.resolve("f" + i));
            }
            witnessDone.get(10, SECONDS);
        } finally {
            release.set(true);
        }

        overflow.get(5, SECONDS);
        assertTrue(created.get() <= files, "more creations than files: " + created.get());
        assertTrue(created.get() < files, "all " + files + " creations were kept: " + created.get());
    }

    @Test
    void aStoppedReactorEndsItsWatchesAndRefusesNewOnes() throws IOException {
        FileWatch watch = reactor.watch(dir, event -> { });
        reactor.close();
        assertTrue(watch.isCancelled());
        assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> reactor.watch(dir, event -> { }));
    }
}
