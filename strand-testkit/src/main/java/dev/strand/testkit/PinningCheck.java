package dev.strand.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.function.Executable;

/**
 * Fails when a fiber pinned its carrier: a virtual thread that parked (slept, waited, blocked on
 * I/O) where it could not unmount, holding its carrier thread — on Strand, a stalled loop. It
 * listens for JFR's {@code jdk.VirtualThreadPinned} events with a threshold of zero, so every
 * pinned park counts, however short.
 *
 * <pre>{@code
 * PinningCheck.assertNoPinning(() -> client.get("/orders"));
 * }</pre>
 *
 * <p>On JDK 25, {@code synchronized} no longer pins (JEP 491); what still does is parking while a
 * native frame is on the fiber's stack (a JNI or foreign upcall), inside a class initializer, or
 * while resolving a class.
 *
 * <p>Threading: one check records every virtual thread of the JVM while it runs, not only those the
 * calling code started, so a test running in parallel with others sees their pinning too. The
 * recording is a JFR {@link RecordingStream}; it starts before {@link #start()} returns and is
 * drained in {@link #assertNoPinning()}, so no event between the two is missed. Starting the
 * first recording in a JVM takes JFR a moment (hundreds of milliseconds on a cold JVM).
 *
 * <p>Failures: {@link #assertNoPinning()} and {@link #assertNoPinning(Executable)} throw an
 * {@link AssertionError} naming each pinned fiber, how long it was pinned, and its stack (the
 * pinning frame is in it).
 */
public final class PinningCheck implements AutoCloseable {

    private static final String EVENT = "jdk.VirtualThreadPinned";
    private static final int FRAMES = 12;

    private final RecordingStream stream;
    private final List<String> pinned = new CopyOnWriteArrayList<>();
    private boolean stopped;

    private PinningCheck() {
        stream = new RecordingStream();
        stream.enable(EVENT).withThreshold(Duration.ZERO).withStackTrace();
        stream.onEvent(EVENT, event -> pinned.add(describe(event)));
        stream.startAsync();
    }

    /** Starts recording. Any thread; close it (or assert) on the same or any other. */
    public static PinningCheck start() {
        return new PinningCheck();
    }

    /**
     * Runs {@code body} on the calling thread, then fails if any fiber pinned its carrier meanwhile.
     * When {@code body} throws, that is rethrown (wrapped in an {@link AssertionError} if checked),
     * with the pinning failure, if any, as suppressed.
     */
    public static void assertNoPinning(Executable body) {
        Objects.requireNonNull(body, "body");
        PinningCheck check = start();
        Throwable thrown = null;
        try {
            body.execute();
        } catch (Throwable t) {
            thrown = t;
        }
        try {
            check.assertNoPinning();
        } catch (AssertionError pinning) {
            if (thrown == null) {
                throw pinning;
            }
            thrown.addSuppressed(pinning);
        }
        if (thrown instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        if (thrown != null) {
            throw new AssertionError("the checked code threw " + thrown, thrown);
        }
    }

    /**
     * Stops recording, takes in every event recorded so far, and fails if any was a pinned fiber.
     * Once only: later calls find what the first found.
     *
     * @throws AssertionError describing each pinned fiber
     */
    public void assertNoPinning() {
        List<String> found = stop();
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + (found.size() == 1 ? " fiber" : " fibers")
                    + " pinned its carrier:\n    " + String.join("\n    ", found));
        }
    }

    /** Stops recording without asserting. Idempotent. */
    @Override
    public void close() {
        stop();
    }

    private synchronized List<String> stop() {
        if (!stopped) {
            stopped = true;
            try {
                stream.stop(); // waits until every recorded event has reached onEvent
            } finally {
                stream.close();
            }
        }
        return new ArrayList<>(pinned);
    }

    private static String describe(RecordedEvent event) {
        RecordedThread thread = event.getThread();
        StringBuilder text = new StringBuilder("fiber ")
                .append(thread == null ? "?" : "\"" + thread.getJavaName() + "\" (#" + thread.getJavaThreadId() + ")")
                .append(" pinned for ").append(event.getDuration().toNanos() / 1000).append(" µs");
        RecordedStackTrace stack = event.getStackTrace();
        if (stack != null) {
            List<RecordedFrame> frames = stack.getFrames();
            for (int i = 0; i < Math.min(FRAMES, frames.size()); i++) {
                RecordedFrame frame = frames.get(i);
                text.append("\n        at ").append(frame.getMethod().getType().getName()).append('.')
                        .append(frame.getMethod().getName()).append(':').append(frame.getLineNumber());
            }
            if (frames.size() > FRAMES || stack.isTruncated()) {
                text.append("\n        ...");
            }
        }
        return text.toString();
    }
}
