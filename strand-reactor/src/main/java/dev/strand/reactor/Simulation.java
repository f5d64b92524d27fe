package dev.strand.reactor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A reactor of one loop that runs deterministically, for tests: its time is virtual and its
 * choices are seeded, so a run depends only on the code and the seed, and a failure found with one
 * seed replays from it.
 *
 * <ul>
 *   <li><b>Virtual time.</b> The loop's {@link Clock} stands still while anything is runnable; when
 *       nothing is, it jumps to the next timer's deadline. A 30-second timeout is tested in
 *       milliseconds, and every run of a seed reads the same times (the wall clock starts at
 *       2026-01-01T00:00:00Z).</li>
 *   <li><b>Seeded ordering.</b> Where a real loop runs work in arrival order, the simulation picks by
 *       a random generator seeded with {@link #seed()}: the next ready fiber or task (readiness of
 *       in-memory connections included, which is reported through tasks), the order of the tasks
 *       handed in during a turn, and the order of timers due at the same instant. Other seeds try
 *       other interleavings: that is how races are found ({@code for (seed …) Simulation.create(seed)}).</li>
 *   <li><b>A trace.</b> Every event the loop runs is recorded ({@link #trace()}); the same seed gives
 *       the same trace, which is how a test proves itself deterministic (run twice, compare, and
 *       {@link Trace#firstDivergence} names the first difference).</li>
 *   <li><b>Escapes fail at once.</b> Whatever would make a run depend on the real world fails it
 *       with a {@link SimulationException} instead of hanging or flaking: a fiber parked with a
 *       real-time timeout ({@code Thread.sleep}, a timed wait; {@link Fiber#sleep} and a deferred's
 *       timed {@code await} are the loop's own timers and fine), a real socket registered with the
 *       loop (use {@link dev.strand.reactor.spi.MemoryPipe}), work handed to the loop by another
 *       thread while a run is on; a run stuck with nothing runnable and no timer pending (its parked
 *       fibers' stacks are in the message); a run past its limit of virtual time, of real time for
 *       one turn of the loop (code blocking the loop's thread for real), or of real time for the
 *       whole run (a livelock that never lets virtual time pass).</li>
 * </ul>
 *
 * <p>Blocking work offloaded ({@link Fiber#offload}, {@link EventLoop#defer}) runs on the loop
 * itself, as one more seeded task, so it stays inside the simulation. A failure that the loop
 * catches (a task or a callback that threw) fails the run too, unless
 * {@link Builder#failOnLoopFailure} says not to.
 *
 * <pre>{@code
 * try (Simulation sim = Simulation.create(42)) {
 *     long slept = sim.run(() -> {
 *         long start = sim.clock().nanoTime();
 *         Fiber.sleep(Duration.ofSeconds(30));     // no real wait: the clock jumps
 *         return sim.clock().nanoTime() - start;
 *     });
 * }
 * }</pre>
 *
 * <p>Threading: {@link #run} is called from a thread that is not the simulation's loop (a test's
 * thread) and blocks it; one run at a time. The rest: any thread. Needs loops that carry fibers
 * ({@link Reactor#carrierHookAvailable()}): with the JDK's scheduler, fibers would run on its threads,
 * out of the simulation's reach.
 */
public final class Simulation implements AutoCloseable {

    private final long seed;
    private final SplittableRandom random;
    private final VirtualClock clock = new VirtualClock();
    private final Trace.Recorder recorder = new Trace.Recorder();
    private final long timeLimitNanos;
    private final long turnLimitNanos;
    private final long realTimeLimitNanos;
    private final boolean failOnLoopFailure;
    private final Reactor reactor;
    private final EventLoop loop;

    /**
     * One run: its outcome, whether it is on, and the loop's word that it stood still after it. No
     * monitor anywhere the loop's thread could wait on it: a fiber may unmount while holding a
     * monitor (and only this loop's thread can carry it on), so the loop never takes one a fiber
     * takes — the state the loop and its fibers share is theirs alone, the rest is volatile or atomic.
     */
    private static final class Run {
        final CompletableFuture<Object> outcome = new CompletableFuture<>();
        final CountDownLatch stoodStill = new CountDownLatch(1);
        /** The task that starts it: the one hand-in from outside that is not an escape. */
        volatile Runnable start;
        /**
         * {@link #NEW} until its start is queued, {@link #ON} while the loop runs it (the clock moves,
         * escapes are looked for), {@link #ENDED} once its body returned or it failed.
         */
        volatile int state = NEW;

        boolean isOn() {
            return state == ON;
        }
    }

    private static final int NEW = 0;
    private static final int ON = 1;
    private static final int ENDED = 2;

    /** The current run; null between runs. */
    private final AtomicReference<Run> current = new AtomicReference<>();

    // Fibers' names in start order, and their continuations (what the loop runs to resume them).
    // Loop-confined: touched only by the loop's thread and the fibers it carries, one at a time.
    private final Map<Thread, Runnable> continuations = new IdentityHashMap<>();
    private final Map<Runnable, Thread> fibersByContinuation = new IdentityHashMap<>();
    private Thread startingFiber;
    private int fibersStarted;
    /** Fibers already reported for a timed park; on the loop. */
    private final java.util.Set<Thread> reportedEscapes = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    // Correlation (loop-confined): the name each scheduled task or timer inherits from the event that
    // scheduled it, the names fibers took with correlate(), and the name of the event running now.
    private final Map<Object, String> correlations = new IdentityHashMap<>();
    private final Map<Thread, String> fiberCorrelations = new IdentityHashMap<>();
    private String currentCorrelation;

    private Simulation(Builder builder) {
        this.seed = builder.seed;
        this.random = new SplittableRandom(builder.seed);
        this.timeLimitNanos = builder.timeLimit.toNanos();
        this.turnLimitNanos = builder.turnLimit.toNanos();
        this.realTimeLimitNanos = builder.realTimeLimit.toNanos();
        this.failOnLoopFailure = builder.failOnLoopFailure;
        if (!CarrierHook.available()) {
            throw new IllegalStateException("a simulation needs loops that carry fibers, and they cannot here: "
                    + CarrierHook.failure() + " (add --add-opens java.base/java.lang=ALL-UNNAMED, or =dev.strand.reactor)");
        }
        this.reactor = Reactor.simulated(this, builder.name);
        this.loop = reactor.loops().getFirst();
    }

    /** A simulation with {@code seed} and the default limits. */
    public static Simulation create(long seed) {
        return builder().seed(seed).build();
    }

    /** A builder; its seed is 0 until set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The seed: the same seed and code give the same run. Any thread. */
    public long seed() {
        return seed;
    }

    /** The simulated reactor (one loop); give it to servers and clients under test. Any thread. */
    public Reactor reactor() {
        return reactor;
    }

    /** The one loop. Any thread. */
    public EventLoop loop() {
        return loop;
    }

    /** The virtual clock, also {@link #reactor()}'s. Any thread. */
    public Clock clock() {
        return clock;
    }

    /** Virtual time elapsed since the simulation began. Any thread. */
    public Duration elapsed() {
        return Duration.ofNanos(clock.elapsedNanos());
    }

    /** The events so far, across runs. Any thread. */
    public Trace trace() {
        return recorder.snapshot();
    }

    /**
     * Runs {@code body} as a fiber on the loop and returns what it returns, once it has; meanwhile
     * the loop runs everything else in seeded order and moves the virtual clock whenever nothing is
     * runnable. Fibers and timers the body left behind stay (a server it started goes on serving in
     * the next run); between runs the clock stands still.
     *
     * @throws SimulationException when the body throws (its cause), code escapes the simulation, the
     *                             run gets stuck or passes a limit; the message names the seed and
     *                             how to replay it
     * @throws IllegalStateException when called on the loop or while another run is on
     */
    public <T> T run(Callable<? extends T> body) {
        Objects.requireNonNull(body, "body");
        if (loop.inLoop()) {
            throw new IllegalStateException("run blocks its caller: call it from a test's thread, not from the simulation's loop");
        }
        Run run = new Run();
        if (!current.compareAndSet(null, run)) {
            throw new IllegalStateException("one run at a time");
        }
        long realStart = System.nanoTime();
        run.start = () -> loop.startFiber(() -> {
            try {
                Object value = body.call();
                run.state = ENDED; // here, on the loop: not one more step of the clock once the body is done
                run.outcome.complete(value);
            } catch (Throwable t) {
                fail(run, "the body threw " + t, t);
            }
        });
        try {
            // Queued before it is on, so that the loop never finds it on with nothing to run; until it
            // is on, the loop stands still (and says nothing of this run), then it is woken.
            loop.execute(run.start);
            run.state = ON;
            loop.wakeUp();
            while (true) {
                try {
                    @SuppressWarnings("unchecked")
                    T value = (T) run.outcome.get(100, TimeUnit.MILLISECONDS);
                    if (!awaitStandstill(run)) {
                        // Its trace would still be growing: the next read of it would not be this seed's.
                        Throwable where = new Throwable("the loop's thread");
                        where.setStackTrace(loop.thread().getStackTrace());
                        throw failure("the body returned, but the loop did not stand still within "
                                + Duration.ofNanos(turnLimitNanos) + " of real time after it (Builder.turnLimit):"
                                + " the loop's thread is held for real — its stack is the cause;" + parked(loop.carriedFibers()), where);
                    }
                    return value;
                } catch (TimeoutException notYet) {
                    watch(run, realStart);
                } catch (ExecutionException e) {
                    awaitStandstill(run);
                    throw e.getCause() instanceof SimulationException failed ? failed : failure(String.valueOf(e.getCause()), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail(run, "the thread running the simulation was interrupted", e);
                }
            }
        } finally {
            run.state = ENDED;
            current.compareAndSet(run, null);
        }
    }

    /**
     * Waits until the loop stands still after {@code run}, so that the trace read next is the same
     * every time; bounded (a loop held for real, as a turn-limit failure reports, may never).
     */
    private boolean awaitStandstill(Run run) {
        try {
            return run.stoodStill.await(turnLimitNanos, TimeUnit.NANOSECONDS) || reactor.loops().getFirst().isStopping();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs {@code body} under the correlation {@code name}: every event it causes — tasks and timers
     * it schedules, fibers it wakes, what those cause in turn, and the data they {@linkplain #note
     * note} (a {@link dev.strand.reactor.spi.MemoryPipe} notes every write) — is tagged with
     * {@code name} in the trace, so a test can assert on the reactions to one request among many
     * ({@link Trace#correlated}). An event caused by several correlations carries the latest; the
     * calling fiber keeps {@code name} until {@code body} returns, whatever wakes it.
     *
     * <p>On a fiber of this simulation (its body, or one it started).
     *
     * @throws IllegalStateException elsewhere
     */
    public <T> T correlate(String name, Callable<? extends T> body) throws Exception {
        Objects.requireNonNull(name, "name");
        Thread self = Thread.currentThread();
        if (!self.isVirtual() || !loop.inLoop()) {
            throw new IllegalStateException("correlate runs on a fiber of the simulation, not " + self);
        }
        String before = fiberCorrelations.put(self, name);
        currentCorrelation = name;
        try {
            return body.call();
        } finally {
            if (before == null) {
                fiberCorrelations.remove(self);
            } else {
                fiberCorrelations.put(self, before);
            }
            currentCorrelation = before;
        }
    }

    /**
     * Records {@code data} in the trace as an event of its own ({@code note …}), tagged with the
     * correlation of the event running: what an event caused beyond scheduling, such as bytes
     * written. On the simulation's loop (its thread or a fiber); ignored elsewhere.
     */
    public void note(String data) {
        Objects.requireNonNull(data, "data");
        if (loop.inLoop()) {
            recorder.record("note ".concat(data), currentCorrelation);
        }
    }

    /** The simulation whose loop the caller runs on (its thread or one of its fibers); empty elsewhere. Any thread. */
    public static java.util.Optional<Simulation> current() {
        return EventLoop.current().map(l -> l.reactor().simulation());
    }

    /**
     * Fails a run in progress (its {@link #run} throws at once), then stops the loop, waiting up to
     * 5 s; fibers still parked resume off the loop and end. Idempotent; any thread.
     */
    @Override
    public void close() {
        Run run = current.get();
        if (run != null) {
            fail(run, "the simulation was closed during the run", null);
        }
        reactor.close();
    }

    @Override
    public String toString() {
        return "simulation with seed " + seed + " at +" + elapsed();
    }

    /** A run's thread watches for a turn that holds the loop's thread for real, and for a run that never ends. */
    private void watch(Run run, long realStart) {
        if (System.nanoTime() - realStart > realTimeLimitNanos) {
            fail(run, "the run has taken more than " + Duration.ofNanos(realTimeLimitNanos) + " of real time (Builder.realTimeLimit)"
                    + " without its body returning: work that never lets the loop rest, or never lets virtual time pass;"
                    + parked(loop.carriedFibers()), null);
            return;
        }
        long started = loop.turnStarted();
        if (started != StallWatchdog.IDLE && System.nanoTime() - started > turnLimitNanos) {
            Throwable where = new Throwable("the loop's thread");
            where.setStackTrace(loop.thread().getStackTrace());
            fail(run, "one turn of the simulated loop has run for more than " + Duration.ofNanos(turnLimitNanos)
                    + " of real time: something blocks the loop's thread for real (a sleep, a lock, real I/O)"
                    + " — its stack is the cause", where);
        }
    }

    // ---- the loop's side: called by EventLoop on the simulated loop ------------------------------

    /** Whether a run is on. Any thread. */
    boolean running() {
        Run run = current.get();
        return run != null && run.isOn();
    }

    /**
     * The loop is about to stand still between runs: tells a run that has ended that the loop is
     * still. Returns false when a run is on (the loop goes on). On the loop.
     */
    boolean standStill() {
        Run run = current.get();
        if (run != null && run.isOn()) {
            return false;
        }
        if (run != null && run.state == ENDED) {
            run.stoodStill.countDown();
        }
        return true;
    }

    /** The tie-breaker of a timer: seeded, so timers due at one instant run in a seeded order. On the loop. */
    long timerSequence() {
        return random.nextLong();
    }

    /** Takes the next ready fiber or task, picked by the seed; null when none. On the loop. */
    Runnable pick(ArrayDeque<Runnable> ready) {
        int n = ready.size();
        if (n <= 1) {
            return ready.poll();
        }
        for (int skip = random.nextInt(n); skip > 0; skip--) {
            ready.addLast(ready.pollFirst());
        }
        return ready.pollFirst();
    }

    /** Records that the loop runs a timer's {@code task}; a one-shot timer's correlation is dropped once it has run. On the loop. */
    void recordTimer(Runnable task, boolean periodic) {
        record("timer", task, periodic);
    }

    /** Shuffles the tasks handed in this turn (Fisher–Yates, seeded). On the loop. */
    void shuffle(List<Runnable> tasks) {
        for (int i = tasks.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Runnable t = tasks.get(i);
            tasks.set(i, tasks.get(j));
            tasks.set(j, t);
        }
    }

    /** Records that the loop runs {@code task} in {@code phase}. On the loop. */
    void record(String phase, Runnable task) {
        record(phase, task, false);
    }

    /**
     * Records {@code task}'s run, under the correlation it inherited: its fiber's own, else what
     * scheduled it — kept for work that runs again (a periodic timer), else dropped with this run.
     */
    private void record(String phase, Runnable task, boolean runsAgain) {
        String correlation;
        Thread fiber = fibersByContinuation.get(task);
        if (fiber != null && fiberCorrelations.containsKey(fiber)) {
            correlation = fiberCorrelations.get(fiber);
        } else {
            correlation = runsAgain ? correlations.get(task) : correlations.remove(task);
        }
        currentCorrelation = correlation;
        recorder.record(phase.concat(" ").concat(fiber != null ? fiber.getName() : className(task)), correlation);
    }

    /**
     * {@code task} was scheduled on the loop (ready, a timer, end of turn) by the event running: it
     * inherits its correlation. On the loop.
     */
    void scheduled(Object task) {
        if (currentCorrelation == null) {
            correlations.remove(task);
        } else {
            correlations.put(task, currentCorrelation);
        }
    }

    /**
     * Names the fiber about to start, and notes its continuation when the JDK submits it. A fiber
     * started from outside the loop (before a run) goes unnamed: this state is the loop's alone.
     */
    void fiberStarting(Thread fiber) {
        if (loop.inLoop()) {
            fiber.setName("fiber-".concat(String.valueOf(++fibersStarted)));
            startingFiber = fiber;
        }
    }

    /** The loop's scheduler was given {@code continuation}: the first one of a starting fiber is its. On the loop. */
    void submitted(Runnable continuation) {
        if (startingFiber != null && loop.inLoop()) {
            continuations.put(startingFiber, continuation);
            fibersByContinuation.put(continuation, startingFiber);
            startingFiber = null;
        }
    }

    /** A fiber's body has ended: forget its continuation. On the fiber. */
    void fiberEnded(Thread fiber) {
        Runnable continuation = continuations.remove(fiber);
        if (continuation != null) {
            fibersByContinuation.remove(continuation);
            correlations.remove(continuation);
        }
        fiberCorrelations.remove(fiber);
    }

    /** A task's class name, without the address the JVM gives a lambda's hidden class. Any thread. */
    private static String className(Runnable task) {
        String name = task.getClass().getName();
        int hidden = name.indexOf('/'); // a lambda's hidden class: the suffix is an address
        return hidden < 0 ? name : name.substring(0, hidden);
    }

    /**
     * Nothing is runnable on the loop: look for escapes, then move the clock to the next timer.
     * Returns whether the loop should go on at once (the clock moved, or stands at a due timer);
     * false when no run is on or the run has just failed (the loop then sleeps until handed work).
     * On the loop.
     *
     * @param nextDeadline the next timer's deadline, when {@code hasTimer}
     */
    boolean quiescent(Thread[] fibers, boolean hasTimer, long nextDeadline) {
        Run run = current.get();
        if (run == null || !run.isOn()) {
            return false;
        }
        for (Thread fiber : fibers) {
            // Reported once: the fiber stays parked, and the next run must not fail for it again.
            if (fiber.getState() == Thread.State.TIMED_WAITING && reportedEscapes.add(fiber)) {
                Throwable where = new Throwable(fiber.getName() + "'s stack");
                where.setStackTrace(fiber.getStackTrace());
                fail(run, fiber.getName() + " parked with a real-time timeout (Thread.sleep, a timed wait or lock,"
                        + " a socket timeout): real time does not pass in a simulation, so it would wait for"
                        + " nothing; use Fiber.sleep, a loop timer or a deferred's timeout — its stack is the cause", where);
                return false;
            }
        }
        if (!hasTimer) {
            fail(run, "stuck: nothing is runnable, no timer is pending and the body has not returned;"
                    + parked(fibers), null);
            return false;
        }
        long step = nextDeadline - clock.nanoTime();
        if (step > 0) {
            if (nextDeadline - VirtualClock.START_NANOS > timeLimitNanos) {
                fail(run, "the run passed its limit of " + Duration.ofNanos(timeLimitNanos) + " of virtual time"
                        + " (Builder.timeLimit) with its body not returned;" + parked(fibers), null);
                return false;
            }
            recorder.record("clock +" + step + "ns", null);
            currentCorrelation = null;
            clock.advanceTo(nextDeadline);
        }
        return true;
    }

    /** Work was handed to the loop by {@code from}, not by the loop or its fibers. Any thread. */
    void handedIn(Runnable task) {
        Run run = current.get();
        if (run != null && run.isOn() && task != run.start) {
            Throwable where = new Throwable("where it was handed in");
            fail(run, "work (" + className(task) + ") was handed to the simulated loop from " + Thread.currentThread()
                    + ", outside the simulation: a real socket's poller, another reactor or a thread of the test's"
                    + " own would make the run depend on real time; use MemoryPipe connections and keep the"
                    + " work on the simulated loop — the cause shows where", where);
        }
    }

    /** A real channel was about to be registered with the simulated loop. */
    IllegalStateException realChannel(Object channel) {
        String message = "a simulated loop has no real sockets (" + channel + "): connect through a"
                + " dev.strand.reactor.spi.MemoryPipe instead (Tcp.attach, HttpServer.attach)";
        IllegalStateException refusal = new IllegalStateException(message);
        Run run = current.get();
        if (run != null) {
            fail(run, message, refusal);
        }
        return refusal;
    }

    /** The loop caught a failure. Any thread. */
    void loopFailed(Failure origin, Throwable failure) {
        Run run = current.get();
        if (failOnLoopFailure && run != null && run.isOn()) {
            fail(run, "the loop caught a failure of " + origin.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + ": " + failure, failure);
        }
    }

    private String parked(Thread[] fibers) {
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (Thread fiber : fibers) {
            if (!fiber.isAlive()) {
                continue;
            }
            if (shown++ == 20) {
                out.append("\n  … and more");
                break;
            }
            out.append("\n  ").append(fiber.getName()).append(" (").append(fiber.getState()).append(")");
            StackTraceElement[] stack = fiber.getStackTrace();
            for (int i = 0; i < Math.min(stack.length, 12); i++) {
                out.append("\n    at ").append(stack[i]);
            }
        }
        return shown == 0 ? " no fiber is parked" : " the fibers parked:" + out;
    }

    /**
     * Fails {@code run}, once; later failures of it are dropped. Any thread: a failure found late
     * (from an outside thread) ends only the run it was found in, never the next one.
     */
    private void fail(Run run, String what, Throwable cause) {
        if (run.outcome.isDone()) {
            return;
        }
        run.state = ENDED;
        run.outcome.completeExceptionally(failure(what, cause));
    }

    private SimulationException failure(String what, Throwable cause) {
        return new SimulationException(what + "\n[seed " + seed + ", at +" + elapsed() + " of virtual time, "
                + recorder.snapshot() + "; replay: Simulation.create(" + seed + "L)]", cause, seed, recorder.snapshot());
    }

    /** Builds a {@link Simulation}. Not thread-safe. */
    public static final class Builder {
        private long seed;
        private Duration timeLimit = Duration.ofHours(1);
        private Duration turnLimit = Duration.ofSeconds(5);
        private Duration realTimeLimit = Duration.ofMinutes(2);
        private boolean failOnLoopFailure = true;
        private String name = "simulation";

        private Builder() {
        }

        /** The seed of every choice the loop makes; default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * How much virtual time one run may take before it fails (so a server's periodic timers
         * cannot keep a stuck run going for ever); default 1 hour.
         */
        public Builder timeLimit(Duration limit) {
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("timeLimit must be positive: " + limit);
            }
            this.timeLimit = limit;
            return this;
        }

        /** How much real time one turn of the loop may take before the run fails; default 5 s. */
        public Builder turnLimit(Duration limit) {
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("turnLimit must be positive: " + limit);
            }
            this.turnLimit = limit;
            return this;
        }

        /**
         * How much real time one run may take before it fails (a livelock: fibers that keep each
         * other busy without ever letting virtual time pass); default 2 minutes.
         */
        public Builder realTimeLimit(Duration limit) {
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("realTimeLimit must be positive: " + limit);
            }
            this.realTimeLimit = limit;
            return this;
        }

        /**
         * Whether a failure the loop catches and survives (a task or callback that threw; see
         * {@link EventLoop}) fails the run; default true.
         */
        public Builder failOnLoopFailure(boolean fail) {
            this.failOnLoopFailure = fail;
            return this;
        }

        /** Prefix of the loop thread's name; default {@code simulation}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Builds the simulation and starts its loop.
         *
         * @throws IllegalStateException when loops cannot carry fibers in this JVM
         */
        public Simulation build() {
            return new Simulation(this);
        }
    }
}
