package dev.strand.reactor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Wakes a loop's selector at a timer's exact deadline rather than at the next whole millisecond.
 *
 * <p>{@link Selector#select(long)} takes milliseconds, so a loop that sleeps until its next timer
 * wakes up to a millisecond late: a 5 % error on a fiber's 20 ms sleep, and the median of such
 * requests on a quiet server half a millisecond behind Netty's. On Linux this adds a {@code timerfd} (armed in nanoseconds) to the epoll set
 * behind the JDK's selector: when it expires, {@code epoll_wait} returns and the selector, which
 * ignores descriptors it does not know, reports no keys. The loop then runs its due timers.
 *
 * <p>It needs the selector's epoll descriptor ({@code --add-opens java.base/sun.nio.ch=...}) and
 * native access ({@code --enable-native-access=...}). Where either is missing, or off Linux, there
 * is no wake-up and the loop keeps its millisecond sleeps: timers are then up to a millisecond late,
 * never early. Confined to its loop.
 *
 * <p>Linking the native calls takes tens of milliseconds of a cold JVM, which a server would pay
 * before its first response. So the first loop to start in a JVM only {@linkplain #offer offers}
 * itself: one background thread links them {@link #SETUP_DELAY} later, off the startup path, and
 * then hands each waiting loop its wake-up. Until then those loops sleep in whole milliseconds.
 * That thread then runs {@link LogWarmUp}, which has the same reason to wait.
 */
final class TimerWakeup {

    private static final System.Logger LOG = System.getLogger(TimerWakeup.class.getName());
    private static final int CLOCK_MONOTONIC = 1;
    private static final int TFD_NONBLOCK = 0x800;
    private static final int TFD_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 0x1;
    /** Edge-triggered: one event per expiry, so the descriptor never needs reading. */
    private static final int EPOLLET = 0x80000000;

    /** How long after the first loop starts the native calls are linked. */
    static final Duration SETUP_DELAY = Duration.ofSeconds(1);
    private static final Object SETUP_LOCK = new Object();
    /** Loops started before the setup finished; each gets its wake-up when it does. */
    private static final List<EventLoop> WAITING = new ArrayList<>();
    private static final CompletableFuture<Boolean> SET_UP = new CompletableFuture<>();
    private static boolean setupStarted;

    /** Looked up once per JVM, on first use. */
    private static final class Native {
        static final Optional<Native> INSTANCE;
        static final String FAILURE;

        static {
            Native found = null;
            String failure = "";
            try {
                found = new Native();
            } catch (Throwable t) { // IllegalCallerException, reflection and linkage errors alike
                failure = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            INSTANCE = Optional.ofNullable(found);
            FAILURE = failure;
        }

        final MethodHandle timerfdCreate;
        final MethodHandle timerfdSettime;
        final MethodHandle epollCtl;
        final MethodHandle close;
        final Field epfd;
        /** struct epoll_event is packed on x86-64 only. */
        final long eventSize;
        final long dataOffset;

        private Native() throws ReflectiveOperationException {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "");
            if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("aarch64"))) {
                throw new UnsupportedOperationException("needs Linux on amd64 or aarch64, not " + os + "/" + arch);
            }
            boolean packed = arch.equals("amd64");
            eventSize = packed ? 12 : 16;
            dataOffset = packed ? 4 : 8;
            Class<?> epollSelector = Class.forName("sun.nio.ch.EPollSelectorImpl");
            epfd = epollSelector.getDeclaredField("epfd");
            epfd.setAccessible(true);
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            var i = ValueLayout.JAVA_INT;
            var p = ValueLayout.ADDRESS;
            timerfdCreate = linker.downcallHandle(libc.find("timerfd_create").orElseThrow(),
                    FunctionDescriptor.of(i, i, i));
            timerfdSettime = linker.downcallHandle(libc.find("timerfd_settime").orElseThrow(),
                    FunctionDescriptor.of(i, i, i, p, p));
            epollCtl = linker.downcallHandle(libc.find("epoll_ctl").orElseThrow(),
                    FunctionDescriptor.of(i, i, i, i, p));
            close = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(i, i));
        }
    }

    private final int fd;
    /** struct itimerspec: it_interval (zero: one-shot), then it_value. */
    private final MemorySegment spec;
    /** The deadline the descriptor is armed for; meaningful while {@link #armed}. */
    private long armedFor;
    private boolean armed;
    private boolean closed;

    /** The loop's clock: deadlines are in its terms; the delay until one is slept in real time. */
    private final Clock clock;

    private TimerWakeup(int fd, Clock clock) {
        this.clock = clock;
        this.fd = fd;
        this.spec = Arena.ofAuto().allocate(32, 8);
    }

    /**
     * The native calls, or empty when they cannot be had. Even loading the class that links them
     * can fail: from a directory on the class path, with the process out of descriptors. That is
     * for good (the JVM remembers a failed resolution), and the loops keep whole-millisecond sleeps.
     */
    private static Optional<Native> linked() {
        try {
            return Native.INSTANCE;
        } catch (LinkageError e) {
            return Optional.empty();
        }
    }

    private static String failure() {
        try {
            return Native.FAILURE;
        } catch (LinkageError e) {
            return "the native calls could not be loaded";
        }
    }

    /**
     * A wake-up added to {@code selector}'s epoll set, or empty when this JVM or platform cannot
     * have one (logged once, at DEBUG, with the reason). Any thread; the result is confined to the
     * selector's loop.
     */
    static Optional<TimerWakeup> open(Selector selector, Clock clock) {
        Optional<Native> linked = linked();
        if (linked.isEmpty()) {
            logUnavailableOnce(failure());
            return Optional.empty();
        }
        Native n = linked.get();
        if (!n.epfd.getDeclaringClass().isInstance(selector)) {
            logUnavailableOnce("the selector is a " + selector.getClass().getName() + ", not epoll");
            return Optional.empty();
        }
        try {
            int epfd = n.epfd.getInt(selector);
            int fd = (int) n.timerfdCreate.invokeExact(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
            if (fd < 0) {
                logUnavailableOnce("timerfd_create failed");
                return Optional.empty();
            }
            MemorySegment event = Arena.ofAuto().allocate(n.eventSize, 8);
            event.set(ValueLayout.JAVA_INT_UNALIGNED, 0, EPOLLIN | EPOLLET);
            // The selector reads the descriptor from the event's data and ignores ones it does not know.
            event.set(ValueLayout.JAVA_INT_UNALIGNED, n.dataOffset, fd);
            int rc = (int) n.epollCtl.invokeExact(epfd, EPOLL_CTL_ADD, fd, event);
            if (rc != 0) {
                int ignored = (int) n.close.invokeExact(fd);
                logUnavailableOnce("epoll_ctl failed");
                return Optional.empty();
            }
            return Optional.of(new TimerWakeup(fd, clock));
        } catch (Throwable t) {
            logUnavailableOnce(t.getClass().getSimpleName() + ": " + t.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Gives {@code loop} its wake-up (through {@link EventLoop#openTimerWakeup}, run on the loop) once
     * the native calls are linked: queued at once when they are, else when the background setup is
     * done. Any thread.
     */
    static void offer(EventLoop loop) {
        synchronized (SETUP_LOCK) {
            if (!SET_UP.isDone()) {
                WAITING.add(loop);
                if (!setupStarted) {
                    setupStarted = true;
                    Thread.ofPlatform().daemon().name("strand-background-setup").start(TimerWakeup::setUp);
                }
                return;
            }
        }
        handOver(loop);
    }

    private static void setUp() {
        try {
            Thread.sleep(SETUP_DELAY); // a deliberate delay, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean linked = linked().isPresent();
        List<EventLoop> loops;
        synchronized (SETUP_LOCK) {
            loops = List.copyOf(WAITING);
            WAITING.clear();
            // Before completing: whoever waits in available() then finds the hand-overs queued.
            loops.forEach(TimerWakeup::handOver);
            SET_UP.complete(linked);
        }
        // The same thread, off the startup path for the same reason, readies the first log record.
        LogWarmUp.runWhenDescriptorsAllow();
    }

    private static void handOver(EventLoop loop) {
        try {
            loop.execute(loop::openTimerWakeup);
        } catch (RejectedExecutionException stopped) {
            // the loop is gone; nothing to wake
        }
    }

    /**
     * Whether loops in this JVM get exact wake-ups. When loops have started, waits for the
     * background setup (at most {@link #SETUP_DELAY} and the linking), after which every loop
     * started so far has its wake-up queued ahead of any task handed in later. Any thread.
     */
    static boolean available() {
        synchronized (SETUP_LOCK) {
            if (!setupStarted) {
                return linked().isPresent();
            }
        }
        return SET_UP.join();
    }

    /**
     * Makes the selector's next blocking select return by {@code deadline} ({@link Clock#nanoTime} of the loop's clock
     * time). Re-arms only when needed: a descriptor already armed for an earlier deadline that has
     * not passed will wake the loop first, and the loop asks again then. On the loop.
     */
    void wakeAt(long deadline) {
        if (closed || (armed && deadline - armedFor >= 0 && armedFor - clock.nanoTime() > 0)) {
            return;
        }
        long delay = Math.max(1, deadline - clock.nanoTime());
        spec.set(ValueLayout.JAVA_LONG, 0, 0);
        spec.set(ValueLayout.JAVA_LONG, 8, 0);
        spec.set(ValueLayout.JAVA_LONG, 16, delay / 1_000_000_000L);
        spec.set(ValueLayout.JAVA_LONG, 24, delay % 1_000_000_000L);
        try {
            int rc = (int) Native.INSTANCE.get().timerfdSettime.invokeExact(fd, 0, spec, MemorySegment.NULL);
            armed = rc == 0; // on failure the millisecond select timeout still wakes the loop
            armedFor = deadline;
        } catch (Throwable t) {
            armed = false;
        }
    }

    /** Releases the descriptor; call after the selector is closed. On the loop. */
    void close() {
        if (!closed) {
            closed = true;
            try {
                int ignored = (int) Native.INSTANCE.get().close.invokeExact(fd);
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.DEBUG, "closing a timerfd", t);
            }
        }
    }

    private static volatile boolean loggedUnavailable;

    private static void logUnavailableOnce(String why) {
        if (!loggedUnavailable) {
            loggedUnavailable = true;
            LOG.log(System.Logger.Level.DEBUG, () -> "Strand reactor: timers wake loops to the millisecond ("
                    + why + "); for exact wake-ups on Linux add --add-opens java.base/sun.nio.ch=ALL-UNNAMED"
                    + " and --enable-native-access=ALL-UNNAMED (or the module names on the module path)");
        }
    }
}
