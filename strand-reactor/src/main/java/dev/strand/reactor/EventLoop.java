package dev.strand.reactor;

import dev.strand.reactor.spi.IoHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * One event loop: a single platform thread over an NIO {@link Selector}, which is also the carrier
 * of the fibers (virtual threads) it starts.
 *
 * <p>Each turn of the loop runs these phases, in order:
 * <ol>
 *   <li><b>timers</b> — run the timers whose deadline has passed;</li>
 *   <li><b>inbound</b> — run tasks and resumed fibers handed in from other threads;</li>
 *   <li><b>I/O</b> — select (blocking only when nothing is runnable, until the next timer, woken
 *       at its exact deadline where {@link TimerWakeup} works), then dispatch the ready keys to
 *       their {@link IoHandler}s;</li>
 *   <li><b>ready fibers</b> — run fibers and tasks made runnable on this loop, up to a budget;</li>
 *   <li><b>end of turn</b> — run actions deferred with {@link #endOfTurn} (coalesced flushes).</li>
 * </ol>
 *
 * <p>A {@link Simulation}'s loop runs the same phases, but picks the next ready task, the order of
 * hand-ins and of timers due together from a seed, moves its virtual clock instead of sleeping, and
 * stands still between runs; a real loop pays one null check per phase for it.
 *
 * <p>Threading: methods that say "any thread" are safe to call from anywhere; the rest must be
 * called on this loop ({@link #inLoop()}), which includes the fibers this loop carries. Loop-confined
 * state therefore needs no locks, even when touched from a fiber in {@link FiberMode#LOOP_CARRIER}
 * mode.
 *
 * <p>Failures: nothing a task, timer, {@link IoHandler}, end-of-turn action, fiber or
 * {@link Deferred}'s callback throws ends the loop, {@link Error}s included. Each failure is counted ({@link #failures(Failure)}) and reported
 * through the reactor's rate-limited log: the first of a kind and class with its stack trace, then
 * a count per 10 s. Reporting cannot throw either: when the logger fails (say it cannot open the
 * time-zone data because the process is out of descriptors), a plain line goes to standard error.
 * A task that fails is dropped; an I/O handler whose {@code ready} fails has its channel closed.
 * Out of memory is survived the same way, with a message built in advance, until errors persist:
 * see {@link OutOfMemoryPolicy} (by default, 3 within 10 s across the reactor halt the JVM with
 * status 3).
 */
public final class EventLoop implements Executor {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    /** Bound in every fiber this loop carries, so code on the fiber knows it is on this loop. */
    private static final ScopedValue<EventLoop> CARRIER = ScopedValue.newInstance();
    /** Fibers and local tasks run per turn before the loop looks at I/O again. */
    private static final int READY_BUDGET = 4096;
    /** The pause after a failure of the loop's own work, so one that repeats every turn cannot spin a core. */
    private static final long LOOP_FAILURE_PAUSE_NANOS = 1_000_000;

    private final Reactor reactor;
    private final int index;
    private final Selector selector;
    /** Exact wake-ups for timers once set up, where the platform allows; else null: whole-ms sleeps. */
    private TimerWakeup timerWakeup;
    private final Thread thread;
    private final boolean carriesFibers;
    private final ThreadFactory fibers;
    private final int maxPendingTimers;

    private final ConcurrentLinkedQueue<Runnable> inbound = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private ArrayList<Runnable> endOfTurn = new ArrayList<>();
    /** The other list of end-of-turn actions: the two swap each turn, so that running them allocates nothing. */
    private ArrayList<Runnable> endOfTurnRunning = new ArrayList<>();
    // The selector's callbacks, made once: a method reference per select would allocate every turn.
    private final java.util.function.Consumer<SelectionKey> dispatch = this::dispatch;
    private final java.util.function.Consumer<SelectionKey> dispatchAfterSleep = this::dispatchAfterSleep;
    /**
     * Pending timers, in two parts: those added in deadline order (the common case, many fibers
     * sleeping for the same time) queue up in {@code timersInOrder} at O(1); the rest go to the heap.
     * The next timer is the earlier of the two heads.
     */
    private final ArrayDeque<LoopTimer> timersInOrder = new ArrayDeque<>();
    private final PriorityQueue<LoopTimer> timers = new PriorityQueue<>();
    /** True while the loop is in, or about to enter, a blocking select: producers must wake it. */
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Failures caught per {@link Failure}; written by the loop and by its fibers' threads. */
    private final AtomicLongArray failures = new AtomicLongArray(Failure.values().length);
    /** Per {@link Failure}, built once: reporting a failure formats nothing. */
    private final String[] failureMessages = new String[Failure.values().length];
    private final String[] outOfMemoryMessages = new String[Failure.values().length];
    private final String timerRejected;

    /**
     * When the current turn began ({@link System#nanoTime()}), or {@link StallWatchdog#IDLE} while
     * the loop sleeps in select: the stall watchdog's cost on a busy loop, one opaque write a turn.
     */
    private final AtomicLong turnStarted = new AtomicLong(StallWatchdog.IDLE);
    private final AtomicLong stalls = new AtomicLong();
    /** The fibers this loop carries, for the stall watchdog's reports; loop-confined writes. */
    private final CarriedFibers carried = new CarriedFibers();

    private volatile boolean stopping;
    private volatile boolean closed;
    /** The reactor's clock: every timer deadline and turn stamp of this loop is in its terms. */
    private final Clock clock;
    /** Whether {@link #clock} is the system's: then the stall watchdog's real-time stamp is {@link #now}. */
    private final boolean systemClock;
    private long now;
    private long timerSequence;
    /** The simulation this loop runs in, deterministically; null for a real loop (every check of it is one branch). */
    private final Simulation simulation;

    EventLoop(Reactor reactor, int index, String name, FiberMode mode, int maxPendingTimers) {
        this.reactor = reactor;
        this.simulation = reactor.simulation();
        this.clock = reactor.clock();
        this.systemClock = clock == SystemClock.INSTANCE;
        this.now = clock.nanoTime();
        this.index = index;
        this.maxPendingTimers = maxPendingTimers;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for " + name, e);
        }
        // Built with concat(): string concatenation would link more call sites on the way to a
        // server's first response.
        String prefix = name.concat(": ");
        for (Failure origin : Failure.values()) {
            failureMessages[origin.ordinal()] = prefix.concat(origin.what).concat(" failed; ").concat(origin.then);
            outOfMemoryMessages[origin.ordinal()] = prefix.concat("out of memory in ").concat(origin.what)
                    .concat("; ").concat(origin.then);
        }
        this.timerRejected = prefix.concat("timer rejected, ").concat(String.valueOf(maxPendingTimers)).concat(" pending");
        Thread.UncaughtExceptionHandler onCrash = (t, e) -> contain(Failure.FIBER, e);
        this.carriesFibers = mode != FiberMode.JDK_SCHEDULER;
        this.fibers = carriesFibers
                ? CarrierHook.factory(this::resumeFiber, onCrash)
                : Thread.ofVirtual().uncaughtExceptionHandler(onCrash).factory();
        this.thread = new LoopThread(this, name);
    }

    void start() {
        thread.start();
        if (simulation == null) { // a simulated loop never sleeps for its timers
            TimerWakeup.offer(this);
        }
    }

    /** Adds the exact timer wake-up to this loop's selector, once; see {@link TimerWakeup#offer}. On this loop. */
    void openTimerWakeup() {
        if (timerWakeup == null && !closed && !stopping && Thread.currentThread() == thread) {
            timerWakeup = TimerWakeup.open(selector, clock).orElse(null);
        }
    }

    /** The reactor this loop belongs to. Any thread. */
    public Reactor reactor() {
        return reactor;
    }

    /** This loop's position in {@link Reactor#loops()}. Any thread. */
    public int index() {
        return index;
    }

    /** Whether the fibers this loop starts are carried by the loop's own thread. Any thread. */
    public boolean carriesFibers() {
        return carriesFibers;
    }

    /**
     * Whether the caller runs on this loop: its thread, or a fiber it carries. Any thread.
     */
    public boolean inLoop() {
        Thread current = Thread.currentThread();
        return current == thread || (carriesFibers && !closed && current.isVirtual() && CARRIER.isBound() && CARRIER.get() == this);
    }

    /**
     * The loop the caller runs on: its own thread, or a fiber it carries. Empty elsewhere, including
     * on fibers in {@link FiberMode#JDK_SCHEDULER} mode. Any thread.
     */
    public static java.util.Optional<EventLoop> current() {
        Thread current = Thread.currentThread();
        if (current.isVirtual()) {
            return CARRIER.isBound() && !CARRIER.get().closed ? java.util.Optional.of(CARRIER.get()) : java.util.Optional.empty();
        }
        return current instanceof LoopThread loopThread ? java.util.Optional.of(loopThread.loop) : java.util.Optional.empty();
    }

    /**
     * The loop's cached time, its {@link #clock()}'s {@link Clock#nanoTime()} read once per turn. On this loop; from
     * elsewhere it is only approximately current.
     */
    public long now() {
        return now;
    }

    /** The clock this loop reads, its reactor's ({@link Reactor.Builder#clock}). Any thread. */
    public Clock clock() {
        return clock;
    }

    /**
     * Runs {@code task} on this loop: from another thread it is queued and the loop woken; on the
     * loop it runs in this turn's ready phase, after the caller returns. Any thread.
     *
     * @throws RejectedExecutionException when the loop has stopped
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (inLoop()) {
            ready.add(task);
            if (simulation != null) {
                simulation.scheduled(task);
            }
        } else {
            handIn(task);
        }
    }

    /** EventMachine's {@code next_tick}: the same as {@link #execute}. Any thread. */
    public void nextTick(Runnable task) {
        execute(task);
    }

    /**
     * Runs {@code task} now when called on this loop, else queues it (EventMachine's
     * {@code schedule}). Any thread.
     *
     * @throws RejectedExecutionException when called off the loop and the loop has stopped
     */
    public void schedule(Runnable task) {
        if (inLoop()) {
            task.run();
        } else {
            handIn(task);
        }
    }

    /**
     * Runs {@code action} once at the end of this turn, after I/O and ready fibers: the place to
     * coalesce work such as flushing writes. On this loop.
     */
    public void endOfTurn(Runnable action) {
        assertInLoop();
        endOfTurn.add(action);
        if (simulation != null) {
            simulation.scheduled(action);
        }
    }

    /**
     * Starts a fiber (virtual thread) running {@code task}. In {@link FiberMode#LOOP_CARRIER} mode
     * this loop is its carrier: it starts, parks and resumes here. Any thread.
     *
     * @return the started fiber
     */
    public Thread startFiber(Runnable task) {
        Objects.requireNonNull(task, "task");
        Thread fiber = fibers.newThread(carriesFibers ? () -> runCarried(task) : task);
        if (simulation != null) {
            simulation.fiberStarting(fiber);
        }
        fiber.start();
        return fiber;
    }

    /** A carried fiber's body: bound to this loop, and listed while it lives for stall reports. On the fiber. */
    private void runCarried(Runnable task) {
        // Off the loop's thread once the loop has closed (see resumeFiber): then the list is not ours to touch.
        int slot = closed ? -1 : carried.enter(Thread.currentThread());
        try {
            ScopedValue.where(CARRIER, this).run(task);
        } finally {
            if (slot >= 0 && !closed) {
                carried.exit(slot);
            }
            if (simulation != null) {
                simulation.fiberEnded(Thread.currentThread());
            }
        }
    }

    /**
     * Runs {@code task} once after {@code delay}. Any thread.
     *
     * A timer beyond {@link Reactor.Builder#maxPendingTimers} is not scheduled: it comes back
     * done, and the refusal is logged.
     *
     * @throws RejectedExecutionException when the loop has stopped
     */
    public Timer addTimer(Duration delay, Runnable task) {
        return addTimer(delay, Duration.ZERO, task);
    }

    /**
     * Runs {@code task} every {@code period}, the first time after one period. Runs missed while
     * the loop was busy are skipped, not bunched up. Any thread.
     *
     * Bounded like {@link #addTimer}.
     *
     * @throws IllegalArgumentException when the period is not positive
     * @throws RejectedExecutionException when the loop has stopped
     */
    public Timer addPeriodicTimer(Duration period, Runnable task) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return addTimer(period, period, task);
    }

    private Timer addTimer(Duration delay, Duration period, Runnable task) {
        Objects.requireNonNull(task, "task");
        long delayNanos = Math.max(0, delay.toNanos());
        LoopTimer timer = new LoopTimer(task, period.toNanos());
        schedule(() -> {
            if (pendingTimers() >= maxPendingTimers) {
                timers.removeIf(LoopTimer::isDone);
                timersInOrder.removeIf(LoopTimer::isDone);
            }
            if (pendingTimers() >= maxPendingTimers) {
                timer.cancel();
                reactor.failureLog().report("timer rejected", System.Logger.Level.WARNING, timerRejected, null);
                return;
            }
            timer.deadline = clock.nanoTime() + delayNanos;
            timer.sequence = nextTimerSequence();
            queueTimer(timer);
            if (simulation != null) {
                simulation.scheduled(task);
            }
        });
        return timer;
    }

    /**
     * Runs blocking {@code work} on the reactor's offload pool (platform threads, see
     * {@link Reactor.Builder#offloadThreads}) and completes the returned deferred with what it
     * returns or throws, as thrown; its callbacks and errbacks run on this loop. EventMachine's
     * {@code defer}. Any thread; never blocks.
     *
     * <p>When the pool is full ({@link Reactor.Builder#maxPendingOffloads}) or the reactor closed,
     * the deferred fails at once with an {@link OffloadRejectedException}. A deferred failed before
     * the work ran (say by its {@link Deferred#timeout}) does not stop it, but its outcome is then
     * dropped.
     *
     * @throws NullPointerException when {@code work} is null
     */
    public <T> Deferred<T> defer(Callable<? extends T> work) {
        Objects.requireNonNull(work, "work");
        Deferred<T> deferred = Deferred.create(this);
        reactor.offloadPool().submit(work, deferred);
        return deferred;
    }

    /**
     * Runs {@code command} as a child process (no shell: {@code "sh", "-c", "..."} for one) and
     * completes the returned deferred, on this loop, with its exit code and its standard output and
     * error merged (at most {@link ProcessResult#MAX_OUTPUT_BYTES} kept). EventMachine's
     * {@code system}. Any thread; never blocks: the process is started, read and waited for on the
     * reactor's offload pool, where it holds a thread until its output ends and it exits. Its
     * standard input is closed at once.
     *
     * <p>It lives on the loop rather than the reactor because every deferred's callbacks run on one
     * loop: the caller picks it, usually its own.
     *
     * <p>Failures: a process that cannot be started (say the command does not exist) fails the
     * deferred with the {@link java.io.IOException} that {@link ProcessBuilder#start} threw, as is;
     * a full or closed offload pool, with an {@link OffloadRejectedException}. When the deferred
     * completes before the process ends (its {@link Deferred#timeout} ran out, the reactor closed),
     * the process and its descendants are killed. A descendant that outlives the process while
     * holding its output open keeps the read, and the offload thread, until it closes it or is
     * killed that way.
     *
     * @throws IllegalArgumentException when {@code command} is empty
     * @throws NullPointerException     when {@code command} or one of its words is null
     */
    public Deferred<ProcessResult> system(String... command) {
        return Processes.system(this, command);
    }

    /**
     * A deferred that succeeds with {@code process}'s handle, on this loop, when that process exits
     * (at once if it has). EventMachine's {@code watch_process}. Any thread; no thread of this
     * reactor waits for it: the JDK's {@link ProcessHandle#onExit} does.
     *
     * @throws IllegalStateException when {@code process} is the current process
     * @throws NullPointerException  when {@code process} is null
     */
    public Deferred<ProcessHandle> watchProcess(ProcessHandle process) {
        return Deferred.of(process.onExit(), this);
    }

    /**
     * A deferred that succeeds with {@code process}'s exit code, on this loop, when that child
     * process exits (at once if it has). Any thread; no thread of this reactor waits for it: the
     * JDK's {@link Process#onExit} does.
     *
     * @throws NullPointerException when {@code process} is null
     */
    public Deferred<Integer> watchProcess(Process process) {
        return Deferred.of(process.onExit().thenApply(Process::exitValue), this);
    }

    /**
     * Registers {@code channel} with this loop's selector; {@code handler} receives its readiness
     * events. On this loop.
     *
     * @throws UncheckedIOException when the channel is closed or cannot be made non-blocking
     */
    public SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) {
        assertInLoop();
        if (simulation != null) {
            throw simulation.realChannel(channel);
        }
        try {
            channel.configureBlocking(false);
            return channel.register(selector, ops, handler);
        } catch (ClosedChannelException e) {
            throw new UncheckedIOException("channel closed before registration", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the channels registered here carry as handlers, for tests. On this loop. */
    java.util.List<Object> handlers() {
        assertInLoop();
        var handlers = new java.util.ArrayList<Object>();
        for (SelectionKey key : selector.keys()) {
            handlers.add(key.attachment());
        }
        return handlers;
    }

    /**
     * How many failures from {@code origin} this loop has caught, reported and survived since it
     * started. Never throws. Any thread.
     */
    public long failures(Failure origin) {
        return failures.get(origin.ordinal());
    }

    /**
     * Counts and reports a failure that code running on this loop caught and survived, as the loop
     * does for its own tasks: for layers over the loop (such as TCP connection handlers) whose
     * failures must show in {@link #failures(Failure)} and meet the {@link OutOfMemoryPolicy}.
     * Never throws, unless the policy halts the JVM. Any thread.
     */
    public void reportFailure(Failure origin, Throwable failure) {
        contain(java.util.Objects.requireNonNull(origin, "origin"), java.util.Objects.requireNonNull(failure, "failure"));
    }

    /**
     * How many stalls the reactor's stall watchdog has reported on this loop: turns that ran past
     * {@link Reactor.Builder#stallThreshold}, each counted once however long it lasted. Always 0
     * with the watchdog off. Never throws. Any thread.
     */
    public long stalls() {
        return stalls.get();
    }

    /** When the current turn began, or {@link StallWatchdog#IDLE} while asleep in select. Any thread. */
    long turnStarted() {
        return turnStarted.getOpaque();
    }

    /** Counts a stall; by the stall watchdog. */
    void stalled() {
        stalls.incrementAndGet();
    }

    /** The loop's own thread. */
    Thread thread() {
        return thread;
    }

    /** The fibers this loop carries now, give or take those starting or ending. Any thread. */
    Thread[] carriedFibers() {
        return carried.snapshot();
    }

    /** Whether the loop has begun stopping. Any thread. */
    public boolean isStopping() {
        return stopping;
    }

    /** Asks the loop to stop after this turn; channels still registered are closed. Any thread. */
    void stop() {
        stopping = true;
        selector.wakeup();
    }

    boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void assertInLoop() {
        if (!inLoop()) {
            throw new IllegalStateException("must be called on " + thread.getName());
        }
    }

    private void handIn(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException(thread.getName() + " has stopped");
        }
        if (simulation != null) {
            simulation.handedIn(task);
        }
        inbound.add(task);
        if (closed && inbound.remove(task)) {
            throw new RejectedExecutionException(thread.getName() + " has stopped");
        }
        // Wake the selector only when the loop sleeps in it, once: free while the loop is busy.
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            selector.wakeup();
        }
    }

    /** The scheduler of the fibers this loop carries. */
    private void resumeFiber(Runnable continuation) {
        if (simulation != null) {
            simulation.submitted(continuation);
        }
        if (inLoop()) {
            ready.add(continuation);
            if (simulation != null) {
                simulation.scheduled(continuation);
            }
        } else if (closed) {
            // The loop is gone; a parked fiber must still be able to finish somewhere.
            ForkJoinPool.commonPool().execute(continuation);
        } else {
            try {
                handIn(continuation);
            } catch (RejectedExecutionException e) {
                ForkJoinPool.commonPool().execute(continuation);
            }
        }
    }

    private void run() {
        try {
            while (!stopping) {
                try {
                    turn();
                } catch (Throwable t) {
                    // Tasks and handlers are contained where they run; this is the loop's own work
                    // (select, or memory for its queues). Go on, unless the selector is gone.
                    contain(Failure.LOOP, t);
                    if (!selector.isOpen()) {
                        break;
                    }
                    LockSupport.parkNanos(LOOP_FAILURE_PAUSE_NANOS);
                }
            }
        } finally {
            shutDown();
        }
    }

    /** One turn: the phases in order. */
    private void turn() throws IOException {
        if (simulation != null && !simulation.running()) {
            standStill();
            return;
        }
        now = clock.nanoTime();
        turnStarted.setOpaque(systemClock ? now : System.nanoTime()); // stalls are real time
        runTimers();
        runInbound();
        selectAndDispatch();
        runReady();
        runEndOfTurn();
    }

    private void runTimers() {
        LoopTimer timer;
        while ((timer = peekTimer()) != null && timer.deadline - now <= 0) {
            pollTimer(timer);
            if (timer.isDone()) {
                continue;
            }
            if (timer.period == 0) {
                timer.done = true;
            }
            if (simulation != null) {
                simulation.recordTimer(timer.task, timer.period > 0);
            }
            safely(Failure.TIMER, timer.task);
            if (timer.period > 0 && !timer.isDone()) {
                long next = timer.deadline + timer.period;
                if (next - now <= 0) {
                    next = now + timer.period; // skip missed runs
                }
                timer.deadline = next;
                timer.sequence = nextTimerSequence();
                queueTimer(timer);
            }
        }
    }

    /** Timers due at one instant run in this order: arrival, or a seeded one in a simulation. */
    private long nextTimerSequence() {
        return simulation == null ? timerSequence++ : simulation.timerSequence();
    }

    private void runInbound() {
        if (simulation != null) {
            runInboundSimulated();
            return;
        }
        // Bounded by what is queued now, so a flood of hand-ins cannot starve I/O.
        for (int n = inbound.size(); n > 0; n--) {
            Runnable task = inbound.poll();
            if (task == null) {
                break;
            }
            safely(Failure.TASK, task);
        }
    }

    /** The tasks handed in so far, in a seeded order. */
    private void runInboundSimulated() {
        ArrayList<Runnable> tasks = new ArrayList<>();
        Runnable task;
        while ((task = inbound.poll()) != null) {
            tasks.add(task);
        }
        simulation.shuffle(tasks);
        for (Runnable each : tasks) {
            simulation.record("inbound", each);
            safely(Failure.TASK, each);
        }
    }

    private void selectAndDispatch() throws IOException {
        int selected;
        if (!ready.isEmpty() || !inbound.isEmpty() || !endOfTurn.isEmpty() || stopping) {
            selected = selector.selectNow(dispatch);
        } else if (simulation != null) {
            // Never asleep in a turn: the clock moves to the next timer (or the run fails), and between
            // runs the next turn stands still.
            simulationQuiescent();
            selected = selector.selectNow(dispatch);
            now = clock.nanoTime();
        } else {
            // Clear an interrupt a task left on the loop's thread: select would return at once, every turn.
            Thread.interrupted();
            sleeping.set(true);
            if (!inbound.isEmpty()) {
                // Something was handed in between the check above and the flag: do not sleep.
                sleeping.set(false);
                selected = selector.selectNow(dispatch);
            } else {
                turnStarted.setOpaque(StallWatchdog.IDLE); // asleep in select is never a stall
                LoopTimer next = nextTimer();
                long nanos = next == null ? -1 : next.deadline - clock.nanoTime();
                if (next == null) {
                    selected = selector.select(dispatchAfterSleep, 0); // until I/O or a wake-up
                } else if (nanos <= 0) {
                    selected = selector.selectNow(dispatchAfterSleep);
                } else {
                    if (timerWakeup != null) {
                        timerWakeup.wakeAt(next.deadline);
                    }
                    // Whole milliseconds, rounded up: without the exact wake-up, never early.
                    selected = selector.select(dispatchAfterSleep, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
                }
                sleeping.set(false);
            }
            now = clock.nanoTime();
            if (turnStarted.getPlain() == StallWatchdog.IDLE) { // unless a key's dispatch began the count
                turnStarted.setOpaque(systemClock ? now : System.nanoTime()); // awake: the rest of the turn counts
            }
        }
        if (selected < 0) {
            throw new IllegalStateException("unreachable");
        }
    }

    /**
     * Between a simulation's runs the loop runs nothing, so that a run's trace ends where its body
     * did: it sleeps until a run begins (its start is handed in, which wakes it) or the reactor stops.
     */
    private void standStill() throws IOException {
        Thread.interrupted(); // an interrupt left on the loop's thread would make select return at once, every turn
        turnStarted.setOpaque(StallWatchdog.IDLE);
        sleeping.set(true);
        if (simulation.standStill() && !stopping) {
            selector.select(0);
        }
        sleeping.set(false);
    }

    /** Wakes the loop from its sleep in select, at once or at its next. Any thread. */
    void wakeUp() {
        selector.wakeup();
    }

    /** Nothing is runnable in a simulation: move its clock to the next timer, or fail its run; see {@link Simulation}. */
    private void simulationQuiescent() {
        LoopTimer next = nextTimer();
        simulation.quiescent(carried.snapshot(), next != null, next == null ? 0 : next.deadline);
    }

    /** The earliest pending timer, dropping cancelled ones from the top; null when there is none. */
    private LoopTimer nextTimer() {
        LoopTimer next;
        while ((next = peekTimer()) != null && next.isDone()) {
            pollTimer(next);
        }
        return next;
    }

    private int pendingTimers() {
        return timers.size() + timersInOrder.size();
    }

    private void queueTimer(LoopTimer timer) {
        LoopTimer last = timersInOrder.peekLast();
        if (last == null || last.compareTo(timer) <= 0) {
            timersInOrder.addLast(timer);
        } else {
            timers.add(timer);
        }
    }

    /** The earliest pending timer, cancelled or not; null when there is none. */
    private LoopTimer peekTimer() {
        LoopTimer inOrder = timersInOrder.peekFirst();
        LoopTimer heap = timers.peek();
        if (inOrder == null) {
            return heap;
        }
        return heap == null || inOrder.compareTo(heap) <= 0 ? inOrder : heap;
    }

    /** Removes {@code head}, which {@link #peekTimer} just returned. */
    private void pollTimer(LoopTimer head) {
        if (timersInOrder.peekFirst() == head) {
            timersInOrder.pollFirst();
        } else {
            timers.poll();
        }
    }

    private void dispatch(SelectionKey key) {
        IoHandler handler = (IoHandler) key.attachment();
        try {
            if (key.isValid()) {
                handler.ready(key);
            }
        } catch (Throwable t) {
            contain(Failure.IO_HANDLER, t);
            closeKey(key, t);
        }
    }

    /** Dispatches a key ready on waking from sleep: from here the turn counts for the stall watchdog. */
    private void dispatchAfterSleep(SelectionKey key) {
        if (turnStarted.getPlain() == StallWatchdog.IDLE) {
            turnStarted.setOpaque(System.nanoTime());
        }
        dispatch(key);
    }

    private void runReady() {
        for (int budget = READY_BUDGET; budget > 0; budget--) {
            Runnable task = simulation == null ? ready.poll() : simulation.pick(ready);
            if (task == null) {
                return;
            }
            if (simulation != null) {
                simulation.record("ready", task);
            }
            safely(Failure.TASK, task);
        }
    }

    private void runEndOfTurn() {
        if (endOfTurn.isEmpty()) {
            return;
        }
        // Actions may defer more actions; those go to the other list and run next turn.
        ArrayList<Runnable> actions = endOfTurn;
        endOfTurn = endOfTurnRunning;
        endOfTurnRunning = actions;
        try {
            for (int i = 0; i < actions.size(); i++) {
                if (simulation != null) {
                    simulation.record("end of turn", actions.get(i));
                }
                safely(Failure.END_OF_TURN, actions.get(i));
            }
        } finally {
            actions.clear();
        }
    }

    private void safely(Failure origin, Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            contain(origin, t);
        }
    }

    /**
     * Counts and reports a failure the loop survives; out of memory, applies the reactor's
     * {@link OutOfMemoryPolicy}, which may halt the JVM. Otherwise never throws. Any thread: fibers
     * and deferreds' callbacks report here, even after the loop has stopped.
     */
    void contain(Failure origin, Throwable failure) {
        failures.incrementAndGet(origin.ordinal());
        if (failure instanceof OutOfMemoryError) {
            failures.incrementAndGet(Failure.OUT_OF_MEMORY.ordinal());
            reactor.failureLog().report(origin.name(), System.Logger.Level.ERROR,
                    outOfMemoryMessages[origin.ordinal()], failure);
            reactor.outOfMemoryGuard().record();
        } else {
            reactor.failureLog().report(origin.name(), System.Logger.Level.ERROR,
                    failureMessages[origin.ordinal()], failure);
        }
        if (simulation != null) {
            simulation.loopFailed(origin, failure);
        }
        FailureListener listener = reactor.failureListener();
        if (listener != null) {
            try {
                listener.failed(this, origin, failure);
            } catch (Throwable ignored) {
                // Dropped, as FailureListener says: the failure is counted and reported already.
            }
        }
    }

    private void shutDown() {
        try {
            // Let work already handed in run once more (e.g. a channel's close), then close what is left.
            runInbound();
            runReady();
            runEndOfTurn();
            if (selector.isOpen()) {
                for (SelectionKey key : selector.keys()) {
                    if (key.attachment() instanceof LoopSocketImpl socket) {
                        // Not this loop's to close: its waiters go on polling elsewhere.
                        key.cancel();
                        socket.loopStopped();
                    } else {
                        closeKey(key, new ClosedChannelException());
                    }
                }
            }
        } catch (Throwable t) {
            contain(Failure.LOOP, t);
        } finally {
            try {
                selector.close();
                if (timerWakeup != null) {
                    timerWakeup.close();
                }
            } catch (Throwable t) {
                // Nothing left to do with them; what follows must run for stop() to return.
            }
            timers.clear();
            timersInOrder.clear();
            turnStarted.setOpaque(StallWatchdog.IDLE);
            closed = true;
            terminated.countDown();
            // Fibers still parked here resume elsewhere (see resumeFiber); late hand-ins too.
            Runnable task;
            while ((task = ready.poll()) != null) { // woken during the close, e.g. a socket's waiters
                ForkJoinPool.commonPool().execute(task);
            }
            while ((task = inbound.poll()) != null) {
                ForkJoinPool.commonPool().execute(task);
            }
        }
    }

    private void closeKey(SelectionKey key, Throwable cause) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing channel", e);
        }
        if (key.attachment() instanceof IoHandler handler) {
            try {
                handler.closed(cause);
            } catch (Throwable t) {
                contain(Failure.IO_HANDLER, t);
            }
        }
    }

    @Override
    public String toString() {
        return thread.getName();
    }

    /** The loop's own thread, so {@link #current()} can find the loop from it. */
    private static final class LoopThread extends Thread {
        final EventLoop loop;

        LoopThread(EventLoop loop, String name) {
            super(null, null, name, 0, false);
            this.loop = loop;
            setDaemon(false);
        }

        @Override
        public void run() {
            loop.run();
        }
    }

    private static final class LoopTimer implements Timer, Comparable<LoopTimer> {
        final Runnable task;
        final long period;
        long deadline;
        long sequence;
        volatile boolean done;

        LoopTimer(Runnable task, long period) {
            this.task = task;
            this.period = period;
        }

        @Override
        public void cancel() {
            done = true;
        }

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public int compareTo(LoopTimer other) {
            int byDeadline = Long.compare(deadline - other.deadline, 0);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }
}
