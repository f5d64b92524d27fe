package dev.strand.reactor;

/**
 * The child JVM of {@link PersistentOutOfMemoryHaltsTheJvmTest}: a reactor with the default policy
 * whose loop catches {@value OutOfMemoryPolicy#PERSISTENT_COUNT} out-of-memory errors in a row.
 * Main returns at once; the loop's thread keeps the JVM up unless the policy halts it.
 */
public final class PersistentOutOfMemoryMain {

    private PersistentOutOfMemoryMain() {
    }

    public static void main(String[] args) {
        Reactor reactor = Reactor.builder().loops(1).name("oom").build();
        EventLoop loop = reactor.loops().getFirst();
        for (int i = 0; i < OutOfMemoryPolicy.PERSISTENT_COUNT; i++) {
            loop.execute(() -> {
                throw new OutOfMemoryError("simulated");
            });
        }
        System.out.println("thrown");
    }
}
