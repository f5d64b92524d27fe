package dev.strand.reactor;

/**
 * The child JVM of {@link TrappedTermRunsOnALoopAndExitsWithItsCodeTest}: traps the signal named by
 * its argument (default TERM) with a handler that says where it runs and exits with status 42, then
 * prints {@code trapped}. Main returns; the loop's thread keeps the JVM up. When the trap is refused
 * (under {@code -Xrs}, or {@code nohup} for HUP), prints why and exits with status 3.
 */
public final class TrapSignalMain {

    static final int EXIT_STATUS = 42;
    static final int REFUSED_STATUS = 3;

    private TrapSignalMain() {
    }

    public static void main(String[] args) {
        Signal signal = Signal.valueOf(args.length > 0 ? args[0] : "TERM");
        Reactor reactor = Reactor.builder().loops(1).name("trap").build();
        EventLoop loop = reactor.loops().getFirst();
        try {
            reactor.onSignal(signal, () -> {
                System.out.println(signal + " handled on " + Thread.currentThread().getName() + ", on its loop: " + loop.inLoop());
                System.out.flush();
                System.exit(EXIT_STATUS);
            });
        } catch (UnsupportedOperationException e) {
            System.out.println("refused: " + e.getMessage());
            System.out.flush();
            System.exit(REFUSED_STATUS);
        }
        System.out.println("trapped");
        System.out.flush();
    }
}
