package dev.strand.reactor;

import dev.strand.reactor.internal.RateLimitedLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A set of event loops, one per core by default. An instance, never a global: a process may run
 * several reactors, and a server may own one or share one.
 *
 * <p>Thread-safe. The loops start when the reactor is built and stop on {@link #close()}. Blocking
 * work ({@link EventLoop#defer}, {@link EventLoop#system}, {@link Fiber#offload}) runs on the
 * reactor's bounded offload pool of platform threads, which starts with the first such work and is
 * closed with the loops.
 *
 * <p>Failures: no exception or error thrown by work on a loop ends the loop; each is counted
 * ({@link #failures}) and reported, rate-limited (see {@link EventLoop}), and given to the
 * {@link FailureListener} if one was set ({@link Builder#failureListener}). Out-of-memory errors are
 * survived too, unless they persist: under the default {@link OutOfMemoryPolicy#HALT_WHEN_PERSISTENT},
 * {@value OutOfMemoryPolicy#PERSISTENT_COUNT} within 10 s across the reactor's loops and fibers
 * write one line to standard error and halt the JVM with status {@value OutOfMemoryPolicy#HALT_STATUS}.
 *
 * <p>Beyond its loops, a reactor traps signals ({@link #onSignal}), watches files
 * ({@link #watch}) and reports loop turns that run too long ({@link Builder#stallThreshold}).
 *
 * <pre>{@code
 * try (Reactor reactor = Reactor.create()) {
 *     reactor.next().addTimer(Duration.ofSeconds(1), () -> System.out.println("tick"));
 * }
 * }</pre>
 */
public final class Reactor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Reactor.class.getName());
    private static final AtomicInteger REACTORS = new AtomicInteger();

    private final List<EventLoop> loops;
    private final FiberMode fiberMode;
    private final Clock clock;
    /** Null when none was set. */
    private final FailureListener failureListener;
    private final AtomicInteger nextLoop = new AtomicInteger();
    /** The loops' failures, rate-limited across the reactor; summaries of quiet spells run on the first loop. */
    private final RateLimitedLog failureLog;
    private final OutOfMemoryGuard outOfMemoryGuard;
    /** Blocking work's threads; none start before the first offload. */
    private final OffloadPool offloadPool;
    /** Signal traps and file watches, cancelled when the reactor stops. */
    private final Registrations registrations;
    /** Null when the watchdog is off. */
    private final StallWatchdog stallWatchdog;
    /** The simulation this reactor is the loop of; null for a real one. */
    private final Simulation simulation;

    private Reactor(Builder builder) {
        this.simulation = builder.simulation;
        this.fiberMode = resolve(builder.fiberMode);
        this.clock = builder.clock;
        this.failureListener = builder.failureListener;
        // concat(), not +: each new concatenation shape links classes on the way to the first response.
        String reactorName = builder.name.concat("-").concat(String.valueOf(REACTORS.incrementAndGet()));
        this.outOfMemoryGuard = new OutOfMemoryGuard(reactorName, builder.outOfMemoryPolicy);
        this.offloadPool = new OffloadPool(reactorName, builder.offloadThreads, builder.maxPendingOffloads);
        String prefix = reactorName.concat("-loop-");
        List<EventLoop> created = new ArrayList<>(builder.loops);
        for (int i = 0; i < builder.loops; i++) {
            created.add(new EventLoop(this, i, prefix + i, fiberMode, builder.maxPendingTimers));
        }
        this.loops = List.copyOf(created);
        if (simulation != null) {
            offloadPool.runOn(loops.getFirst()); // blocking work stays inside the simulation, as seeded tasks
        }
        this.failureLog = new RateLimitedLog(System.getLogger(EventLoop.class.getName()), loops.getFirst());
        this.registrations = new Registrations(this, reactorName);
        this.stallWatchdog = builder.stallWatchdog
                ? new StallWatchdog(reactorName.concat("-stall-watchdog"), loops, builder.stallThreshold) : null;
        loops.forEach(EventLoop::start);
        if (stallWatchdog != null) {
            stallWatchdog.start();
        }
    }

    /** A reactor with one loop per available processor and {@link FiberMode#AUTO}. */
    public static Reactor create() {
        return builder().build();
    }

    /** A builder for a reactor. */
    public static Builder builder() {
        return new Builder();
    }

    /** The reactor of {@code simulation}: one loop carrying its fibers, on its clock, no watchdog. */
    static Reactor simulated(Simulation simulation, String name) {
        Builder builder = new Builder().loops(1).name(name).fiberMode(FiberMode.LOOP_CARRIER)
                .clock(simulation.clock()).stallWatchdog(false);
        builder.simulation = simulation;
        return builder.build();
    }

    /** The simulation this reactor runs, or null. */
    Simulation simulation() {
        return simulation;
    }

    /** Whether loops can carry fibers in this JVM (the carrier hook works). Any thread. */
    public static boolean carrierHookAvailable() {
        return CarrierHook.available();
    }

    /**
     * Whether a loop asleep until its next timer wakes at the timer's exact deadline (Linux, with
     * {@code java.base/sun.nio.ch} opened and native access enabled). Otherwise loops sleep in whole
     * milliseconds and a timer may run up to a millisecond late; never early either way.
     *
     * <p>The native calls are linked in the background about a second after the first loop in the
     * JVM starts, off the startup path; loops sleep in whole milliseconds until then. Once loops
     * have started, this call waits for that setup, after which each of them has its wake-up ahead
     * of any task handed to it later. Any thread.
     */
    public static boolean exactTimerWakeupsAvailable() {
        return TimerWakeup.available();
    }

    /** The loops, in index order. Any thread. */
    public List<EventLoop> loops() {
        return loops;
    }

    /** The next loop in round-robin order: how new connections are spread. Any thread. */
    public EventLoop next() {
        return loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
    }

    /**
     * How many failures from {@code origin} the loops have caught, reported and survived, summed
     * over the loops (see {@link EventLoop#failures}). Never throws. Any thread.
     */
    public long failures(Failure origin) {
        long sum = 0;
        for (EventLoop loop : loops) {
            sum += loop.failures(origin);
        }
        return sum;
    }

    /**
     * How many stalls the stall watchdog has reported, summed over the loops (see
     * {@link EventLoop#stalls}). Never throws. Any thread.
     */
    public long stalls() {
        long sum = 0;
        for (EventLoop loop : loops) {
            sum += loop.stalls();
        }
        return sum;
    }

    /**
     * Traps {@code signal}: each time the process receives it, {@code handler} runs on one of this
     * reactor's loops (picked now with {@link #next()}, the same for every run). EventMachine's
     * {@code trap}.
     *
     * <p>Several traps for one signal, in this reactor or others, all run, each on its own loop.
     * Signals that arrive while a trap's run is queued and has not started are folded into that run,
     * as the operating system folds pending signals. The first trap for a signal replaces the
     * handler the JVM had for it, and cancelling the last one puts that handler back (unless
     * something else has replaced Strand's meanwhile: then that stays).
     *
     * <p>{@link Signal#TERM}, {@link Signal#INT}, {@link Signal#HUP}: untrapped, the JVM exits on
     * them, running its shutdown hooks. A trap replaces that: the process no longer exits on the
     * signal unless the handler calls {@link System#exit}, which runs the shutdown hooks as usual.
     * {@code System.exit} blocks the calling thread until the hooks have run; called on a loop, it
     * holds that loop, so a hook that stops this reactor waits for the loop until its timeout: call
     * it from another thread ({@code Thread.ofPlatform().start(() -> System.exit(0))}) when hooks
     * stop reactors.
     *
     * <p>Threading: any thread but a loop's own (registering may wait for the JVM's lock on its
     * signal table, which a loop must not; a fiber may call it). The handler runs on its loop, and
     * must not block it; what it throws is contained like any task's ({@link Failure#TASK}: counted
     * and logged), and the trap stays.
     *
     * @return the trap; {@link Registration#cancel()} removes it
     * @throws UnsupportedOperationException when the JVM or the platform refuses the signal, naming
     *                                       it (see {@link Signal})
     * @throws IllegalStateException when called on a loop's own thread
     * @throws java.util.concurrent.RejectedExecutionException when the reactor has stopped
     */
    public Registration onSignal(Signal signal, Runnable handler) {
        return registrations.trap(signal, handler);
    }

    /**
     * Watches {@code path}, a directory or a single file, for entries created, modified and deleted
     * (a rename is a {@link FileEvent.Kind#DELETED} and a {@link FileEvent.Kind#CREATED}: the JDK
     * does not pair them). {@code handler} receives the events on one of this reactor's loops
     * (picked now with {@link #next()}), in order. EventMachine's {@code watch_file}.
     *
     * <p>A directory is watched for its own entries, not recursively. A file is watched through its
     * directory, for events about its name only: replacing it (deleting it, or renaming another
     * file onto it) is reported, and the watch goes on. When the watched directory (or a watched
     * file's directory) goes away, a last {@link FileEvent.Kind#DELETED} for the watched path is
     * delivered and the watch ends ({@link Registration#isCancelled()} turns true). Events that
     * could not all be kept are reported as one {@link FileEvent.Kind#OVERFLOW}.
     *
     * <p>The events come from the JDK's {@link java.nio.file.WatchService}, read by one daemon
     * thread per reactor, started with the first watch (the JDK adds a thread of its own for the
     * service); stopping the reactor ends both. On Linux (inotify) and Windows they come
     * within milliseconds; where the JDK has no native notifications (macOS among them) it polls
     * the watched directories, every 2 s in JDK 25, so changes are seen that much later and
     * changes between two polls may be merged.
     *
     * <p>Threading: any thread but a loop's own (registering waits for the JDK's watch thread,
     * which a loop must not; a fiber may call it). The handler runs on its loop and must not block
     * it; what it throws is contained like any task's ({@link Failure#TASK}: counted and logged),
     * and the watch goes on.
     *
     * @return the watch; {@link FileWatch#cancel()} stops it
     * @throws java.io.UncheckedIOException when {@code path} does not exist (its cause a
     *                                      {@link java.nio.file.NoSuchFileException}) or the
     *                                      operating system refuses the watch (say, its limit of
     *                                      watches is reached)
     * @throws UnsupportedOperationException when {@code path} is not on the default file system
     * @throws IllegalStateException when called on a loop's own thread
     * @throws java.util.concurrent.RejectedExecutionException when the reactor has stopped
     */
    public FileWatch watch(Path path, FileWatchHandler handler) {
        return registrations.watch(path, handler);
    }

    /**
     * The stall watchdog's threshold, or empty when it is off (see
     * {@link Builder#stallThreshold}). Any thread.
     */
    public Optional<Duration> stallThreshold() {
        return Optional.ofNullable(stallWatchdog).map(StallWatchdog::threshold);
    }

    /** The clock every loop of this reactor reads ({@link Builder#clock}). Any thread. */
    public Clock clock() {
        return clock;
    }

    /** The mode in force: {@link FiberMode#LOOP_CARRIER} or {@link FiberMode#JDK_SCHEDULER}. */
    public FiberMode fiberMode() {
        return fiberMode;
    }

    /**
     * Stops every loop and waits up to {@code timeout} for them to finish their turn. Channels still
     * registered are closed. Blocks given to the offload pool ({@link EventLoop#defer},
     * {@link EventLoop#system}, {@link Fiber#offload}) and not done fail at once with an
     * {@link OffloadRejectedException}, running ones are interrupted, and later ones are refused
     * the same way; the errbacks of their deferreds still run on the loops as these stop. Signal
     * traps and file watches are cancelled. Idempotent; any thread but a loop's own.
     *
     * @return whether all loops stopped in time
     */
    public boolean stop(Duration timeout) {
        // First: their errbacks are handed to loops that still run what was handed in before they stop.
        offloadPool.close();
        registrations.cancelAll();
        if (stallWatchdog != null) {
            stallWatchdog.stop();
        }
        loops.forEach(EventLoop::stop);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean all = true;
        try {
            for (EventLoop loop : loops) {
                all &= loop.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return all;
    }

    /** Stops the loops, waiting up to 5 seconds. */
    @Override
    public void close() {
        if (!stop(Duration.ofSeconds(5))) {
            LOG.log(System.Logger.Level.WARNING, "reactor loops did not stop within 5 s");
        }
    }

    /** The listener set with {@link Builder#failureListener}, or null. */
    FailureListener failureListener() {
        return failureListener;
    }

    RateLimitedLog failureLog() {
        return failureLog;
    }

    OutOfMemoryGuard outOfMemoryGuard() {
        return outOfMemoryGuard;
    }

    OffloadPool offloadPool() {
        return offloadPool;
    }

    private static FiberMode resolve(FiberMode requested) {
        return switch (requested) {
            case JDK_SCHEDULER -> FiberMode.JDK_SCHEDULER;
            case LOOP_CARRIER -> {
                if (!CarrierHook.available()) {
                    throw new IllegalStateException("loops cannot carry fibers: " + CarrierHook.failure());
                }
                yield FiberMode.LOOP_CARRIER;
            }
            case AUTO -> {
                if (CarrierHook.available()) {
                    yield FiberMode.LOOP_CARRIER;
                }
                CarrierHook.logFallbackOnce(CarrierHook.failure());
                yield FiberMode.JDK_SCHEDULER;
            }
        };
    }

    /** Builds a {@link Reactor}. Not thread-safe. */
    public static final class Builder {
        private int loops = Runtime.getRuntime().availableProcessors();
        private FiberMode fiberMode = FiberMode.AUTO;
        private String name = "strand";
        private Clock clock = SystemClock.INSTANCE;
        private int maxPendingTimers = 1_000_000;
        private OutOfMemoryPolicy outOfMemoryPolicy = OutOfMemoryPolicy.HALT_WHEN_PERSISTENT;
        private int offloadThreads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        private int maxPendingOffloads = 10_000;
        private Duration stallThreshold = StallWatchdog.DEFAULT_THRESHOLD;
        private boolean stallWatchdog = true;
        private FailureListener failureListener;
        private Simulation simulation;

        private Builder() {
        }

        /** Number of loops; default: available processors. */
        public Builder loops(int loops) {
            if (loops < 1) {
                throw new IllegalArgumentException("loops must be at least 1: " + loops);
            }
            this.loops = loops;
            return this;
        }

        /** Who carries fibers; default {@link FiberMode#AUTO}. */
        public Builder fiberMode(FiberMode mode) {
            this.fiberMode = java.util.Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * The clock the loops read for their timers, turn stamps and deadlines, and the layers on
         * them (TCP connections, HTTP servers) for theirs; default {@link Clock#system()}. A test
         * that owns the clock owns the reactor's time (see {@link Clock} for what it does not change).
         */
        public Builder clock(Clock clock) {
            this.clock = java.util.Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Prefix of the loop threads' names; default {@code strand}. */
        public Builder name(String name) {
            this.name = java.util.Objects.requireNonNull(name, "name");
            return this;
        }

        /** Per loop, timers beyond this many pending are rejected (and logged); default 1,000,000. */
        public Builder maxPendingTimers(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPendingTimers must be at least 1: " + max);
            }
            this.maxPendingTimers = max;
            return this;
        }

        /**
         * What persistent {@link OutOfMemoryError}s do; default
         * {@link OutOfMemoryPolicy#HALT_WHEN_PERSISTENT}: 3 within 10 s across the reactor halt the
         * JVM with status 3. A single one is always survived.
         */
        public Builder outOfMemoryPolicy(OutOfMemoryPolicy policy) {
            this.outOfMemoryPolicy = java.util.Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Platform threads in the offload pool that runs blocking work ({@link EventLoop#defer},
         * {@link EventLoop#system}, {@link Fiber#offload}); default: twice the available
         * processors, at least 4. They start when first needed and end after a minute unused.
         *
         * @throws IllegalArgumentException when {@code threads} is less than 1
         */
        public Builder offloadThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("offloadThreads must be at least 1: " + threads);
            }
            this.offloadThreads = threads;
            return this;
        }

        /**
         * How long one turn of a loop may run before the stall watchdog reports it; default 100 ms.
         * A stall is reported once, however long it lasts, at WARNING through
         * {@code System.Logger} ({@code dev.strand.reactor.StallWatchdog}), with the loop thread's
         * stack and the task or fiber that held the loop (for a fiber, its own stack too; a turn
         * made long by many short ones names the one running when the stall was seen), and
         * counted ({@link EventLoop#stalls()}). A loop asleep waiting for I/O or a timer is never
         * stalled. The watchdog is one daemon thread per reactor that looks every half threshold,
         * so a stall is seen between one and one and a half thresholds after its turn began. The
         * loops' cost: one opaque write per turn, and a loop that carries fibers lists each as it
         * starts and ends (to name the one holding it). Also turns the watchdog on.
         *
         * @throws IllegalArgumentException when {@code threshold} is under 10 ms
         */
        public Builder stallThreshold(Duration threshold) {
            if (threshold.compareTo(StallWatchdog.MIN_THRESHOLD) < 0) {
                throw new IllegalArgumentException("stallThreshold must be at least 10 ms: " + threshold);
            }
            this.stallThreshold = threshold;
            this.stallWatchdog = true;
            return this;
        }

        /**
         * Blocks that may wait for an offload thread while all are busy; beyond them a block is
         * refused at once with an {@link OffloadRejectedException}. Default 10,000.
         *
         * @throws IllegalArgumentException when {@code max} is less than 1
         */
        public Builder maxPendingOffloads(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPendingOffloads must be at least 1: " + max);
            }
            this.maxPendingOffloads = max;
            return this;
        }

        /**
         * Turns the stall watchdog on (with the threshold set last, 100 ms by default) or off; on by
         * default. Off, no watchdog thread runs and {@link EventLoop#stalls()} stays 0.
         */
        public Builder stallWatchdog(boolean enabled) {
            this.stallWatchdog = enabled;
            return this;
        }

        /**
         * Tells {@code listener} of each failure the loops catch, as it is counted (see
         * {@link FailureListener} for its threading); default none. The failures are counted and
         * reported as without it.
         */
        public Builder failureListener(FailureListener listener) {
            this.failureListener = java.util.Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds and starts the loops.
         *
         * @throws IllegalStateException when {@link FiberMode#LOOP_CARRIER} was asked for and the
         *                               hook is unavailable
         */
        public Reactor build() {
            return new Reactor(this);
        }
    }
}
