package dev.strand.testkit;

import dev.strand.reactor.EventLoop;
import dev.strand.reactor.Failure;
import dev.strand.reactor.Reactor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Runs a test body as a fiber on the loop of a reactor the kit owns, and fails it the moment work
 * on that reactor fails: a task, timer, I/O handler, deferred's callback or other fiber that
 * throws (see {@link Failure}).
 *
 * <pre>{@code
 * Evented.run(loop -> {
 *     Deferred<String> tick = Deferred.create(loop);
 *     loop.addTimer(Duration.ofMillis(10), () -> tick.succeed("tick"));
 *     assertEquals("tick", tick.await(Duration.ofSeconds(5)));
 * });
 * }</pre>
 *
 * <p>The reactor has one loop, is made for the run and closed after it. The body parks where it
 * waits ({@link dev.strand.reactor.Deferred#await(Duration)}, {@link dev.strand.reactor.Fiber#sleep}),
 * leaving the loop to run the events it waits for; every wait should have a timeout. For the same in
 * a JUnit test method, with the loop injected, see {@link EventedTest}.
 *
 * <p>Threading: the calling thread blocks until the body ends, a failure is reported or the run's
 * timeout passes; it must not be a loop's own thread.
 *
 * <p>Failures: when work on the reactor throws, the run fails at once — the waiting caller is woken
 * by the reactor's {@link dev.strand.reactor.FailureListener} as the loop contains the failure, not
 * when the body next looks — with an {@link AssertionError} whose cause is what was thrown (later
 * failures suppressed), and the body's fiber is interrupted. What the body throws is rethrown as
 * it is (a checked exception wrapped in an {@link AssertionError}). A body still running after the
 * timeout fails the run with an {@link AssertionError} carrying the fiber's stack.
 */
public final class Evented {

    /** The timeout of {@link #run(ThrowingConsumer)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** How long a failed run waits for its interrupted fiber to end before going on. */
    private static final Duration FIBER_GRACE = Duration.ofSeconds(1);

    private Evented() {
    }

    /** {@link #run(Duration, ThrowingConsumer)} with {@link #DEFAULT_TIMEOUT}. */
    public static void run(ThrowingConsumer<EventLoop> body) {
        run(DEFAULT_TIMEOUT, body);
    }

    /**
     * Runs {@code body} as a fiber on the one loop of a fresh reactor, which is closed afterwards.
     *
     * @throws AssertionError when work on the reactor failed, or the body outlived {@code timeout}
     */
    public static void run(Duration timeout, ThrowingConsumer<EventLoop> body) {
        Objects.requireNonNull(body, "body");
        try (Session session = Session.open()) {
            session.run(timeout, body);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("the evented body threw " + t, t);
        }
    }

    /**
     * A reactor with one loop whose failures are collected; what {@link #run} and the
     * {@link EventedTest} extension share. Closing checks once more for failures the closing
     * itself caught.
     */
    static final class Session implements AutoCloseable {
        private final List<AssertionError> failures = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> failed = new CompletableFuture<>();
        private final Reactor reactor;
        private boolean closed;
        /** Whether a failure of the reactor has been thrown already: closing does not throw it again. */
        private boolean reported;

        private Session() {
            reactor = Reactor.builder().name("evented-test").loops(1)
                    .failureListener((loop, origin, failure) -> {
                        failures.add(new AssertionError(origin + " on " + loop + " threw " + failure, failure));
                        failed.complete(null);
                    })
                    .build();
        }

        static Session open() {
            return new Session();
        }

        EventLoop loop() {
            return reactor.loops().getFirst();
        }

        Reactor reactor() {
            return reactor;
        }

        /** Runs the body on a fiber of the loop; see {@link Evented#run(Duration, ThrowingConsumer)}. */
        void run(Duration timeout, ThrowingConsumer<EventLoop> body) throws Throwable {
            EventLoop loop = loop();
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread fiber = loop.startFiber(() -> {
                try {
                    body.accept(loop);
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
            try {
                CompletableFuture.anyOf(done, failed).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                AssertionError timedOut = new AssertionError("the evented body did not end within "
                        + timeout.toMillis() + " ms; its fiber's stack is this error's");
                timedOut.setStackTrace(fiber.getStackTrace());
                fiber.interrupt();
                throw timedOut;
            } catch (ExecutionException e) {
                // The body threw (failed never completes exceptionally): handled below with done.
            }
            if (!done.isDone()) {
                fiber.interrupt();
                try {
                    done.get(FIBER_GRACE.toNanos(), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // What the interrupted body did next does not matter: the reactor's failure does.
                }
                throw firstFailure();
            }
            try {
                done.get();
            } catch (ExecutionException e) {
                Throwable thrown = e.getCause();
                failures.forEach(thrown::addSuppressed);
                reported = true;
                throw thrown;
            }
            throwIfFailed();
        }

        /** Fails when the reactor has reported a failure. */
        void throwIfFailed() {
            if (!failures.isEmpty() && !reported) {
                throw firstFailure();
            }
        }

        private AssertionError firstFailure() {
            reported = true;
            AssertionError first = failures.getFirst();
            List<AssertionError> rest = failures.subList(1, failures.size());
            AssertionError error = new AssertionError("work on the evented test's loop failed: " + first.getMessage(),
                    first.getCause());
            rest.forEach(error::addSuppressed);
            return error;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                reactor.close();
                throwIfFailed();
            }
        }
    }
}
