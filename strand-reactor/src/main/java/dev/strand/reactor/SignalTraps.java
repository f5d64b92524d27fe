package dev.strand.reactor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.SignalHandler;

/**
 * The JVM-wide table of signal traps behind {@link Reactor#onSignal}: one JVM handler per signal,
 * installed with the first trap and replaced by the handler it displaced when the last trap goes,
 * which hands each signal to every trap's loop.
 *
 * <p>The JVM runs a signal's handler on a new thread of its own; from there each trap's handler is
 * queued on its loop. A trap has at most one run queued: signals that arrive while one is pending
 * are folded into it, as the operating system folds a pending signal, so a storm of signals cannot
 * grow a loop's queue.
 *
 * <p>Locking: {@link #LOCK} guards installing and restoring the JVM's handlers, which may wait for
 * the JVM's own lock on its signal table; it is never taken on a loop's own thread (see
 * {@link OffLoop}). Delivery reads the trap lists without it.
 */
final class SignalTraps {

    private static final System.Logger LOG = System.getLogger(SignalTraps.class.getName());
    private static final String COMPONENT = "Strand signal traps";
    private static final Object LOCK = new Object();
    /** Per signal (by ordinal), its traps in registration order. */
    private static final List<List<Trap>> TRAPS = newTrapLists();
    /** Per signal, the handler Strand's displaced; null while Strand's is not installed. Guarded by LOCK. */
    private static final SignalHandler[] PREVIOUS = new SignalHandler[Signal.values().length];
    /** Strand's handler for every signal: one instance, so that it can be recognised when restoring. */
    private static final SignalHandler DISPATCH = SignalTraps::dispatch;

    private SignalTraps() {
    }

    private static List<List<Trap>> newTrapLists() {
        List<List<Trap>> lists = new ArrayList<>();
        for (int i = 0; i < Signal.values().length; i++) {
            lists.add(new CopyOnWriteArrayList<>());
        }
        return List.copyOf(lists);
    }

    /**
     * Traps {@code signal}: {@code handler} runs on {@code loop} each time it arrives. Not on a loop's
     * own thread (the caller checks).
     *
     * @throws UnsupportedOperationException when the JVM or the platform refuses the signal
     */
    static Registration trap(Signal signal, EventLoop loop, Runnable handler, Registrations owner) {
        Trap trap = new Trap(signal, loop, handler, owner);
        synchronized (LOCK) {
            install(signal);
            TRAPS.get(signal.ordinal()).add(trap);
        }
        return trap;
    }

    /** Installs Strand's handler for {@code signal} unless it is installed. Holds LOCK. */
    private static void install(Signal signal) {
        if (PREVIOUS[signal.ordinal()] != null) {
            return;
        }
        sun.misc.Signal jvmSignal = jvmSignal(signal);
        SignalHandler previous;
        try {
            previous = sun.misc.Signal.handle(jvmSignal, DISPATCH);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOperationException("the JVM refuses to let " + signal.signalName
                    + " be trapped: it uses it itself, or runs with -Xrs (" + e.getMessage() + ")", e);
        }
        if (previous == SignalHandler.SIG_IGN && signal.shutdownSignal()) {
            // The JVM leaves these ignored when the process started so (nohup): ours would never run.
            sun.misc.Signal.handle(jvmSignal, SignalHandler.SIG_IGN);
            throw new UnsupportedOperationException("the JVM will not deliver " + signal.signalName
                    + ": the process was started ignoring it (under nohup?)");
        }
        PREVIOUS[signal.ordinal()] = previous;
    }

    private static sun.misc.Signal jvmSignal(Signal signal) {
        try {
            return new sun.misc.Signal(signal.name());
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOperationException(signal.signalName + " does not exist on this platform", e);
        }
    }

    /** Removes {@code trap}; restores the displaced handler when it was its signal's last. Any thread. */
    private static void remove(Trap trap) {
        TRAPS.get(trap.signal.ordinal()).remove(trap);
        OffLoop.release(COMPONENT, () -> restoreIfUnused(trap.signal));
    }

    /** Puts back the handler Strand's displaced, when no trap for {@code signal} is left. Not on a loop's own thread. */
    private static void restoreIfUnused(Signal signal) {
        synchronized (LOCK) {
            SignalHandler previous = PREVIOUS[signal.ordinal()];
            if (previous == null || !TRAPS.get(signal.ordinal()).isEmpty()) {
                return;
            }
            sun.misc.Signal jvmSignal = jvmSignal(signal);
            SignalHandler current = sun.misc.Signal.handle(jvmSignal, previous);
            PREVIOUS[signal.ordinal()] = null;
            if (current != DISPATCH) {
                // Someone replaced Strand's handler after it was installed: theirs stays.
                sun.misc.Signal.handle(jvmSignal, current);
            }
        }
    }

    /**
     * Strand's JVM handler: hands the signal to every trap's loop. Never throws. On the JVM's signal
     * thread (and in tests, which call it to stand for a signal).
     */
    static void dispatch(sun.misc.Signal jvmSignal) {
        try {
            for (Trap trap : TRAPS.get(Signal.valueOf(jvmSignal.getName()).ordinal())) {
                trap.fire();
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, COMPONENT + ": delivering SIG" + jvmSignal.getName() + " failed", t);
        }
    }

    /** One trap: a handler for a signal, run on a loop. */
    private static final class Trap implements Registration {
        final Signal signal;
        final EventLoop loop;
        final Runnable handler;
        final Registrations owner;
        /** Whether a run is queued on the loop and has not started. */
        final AtomicBoolean pending = new AtomicBoolean();
        final AtomicBoolean cancelled = new AtomicBoolean();

        Trap(Signal signal, EventLoop loop, Runnable handler, Registrations owner) {
            this.signal = signal;
            this.loop = loop;
            this.handler = handler;
            this.owner = owner;
        }

        /** Queues a run on the loop, unless one is queued already. On the JVM's signal thread. */
        void fire() {
            if (cancelled.get() || !pending.compareAndSet(false, true)) {
                return;
            }
            try {
                loop.execute(this::run);
            } catch (RejectedExecutionException e) {
                // The loop has stopped; its reactor is cancelling its traps.
                pending.set(false);
                LOG.log(System.Logger.Level.DEBUG, COMPONENT + ": " + signal.signalName + " not delivered", e);
            }
        }

        /** On the loop; what the handler throws is contained by the loop as a task's failure. */
        private void run() {
            pending.set(false); // a signal arriving from here on queues another run
            if (!cancelled.get()) {
                handler.run();
            }
        }

        @Override
        public void cancel() {
            if (cancelled.compareAndSet(false, true)) {
                owner.removed(this);
                remove(this);
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }

        @Override
        public String toString() {
            return "trap for " + signal.signalName + " on " + loop;
        }
    }
}
