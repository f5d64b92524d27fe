package dev.strand.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NextSpreadsLoopsRoundRobinTest {

    @Test
    void nextCyclesThroughTheLoopsInIndexOrder() {
        try (Reactor reactor = Reactor.builder().loops(3).name("rr").build()) {
            List<EventLoop> loops = reactor.loops();
            assertEquals(3, loops.size());
            for (int i = 0; i < loops.size(); i++) {
                assertEquals(i, loops.get(i).index());
                assertSame(reactor, loops.get(i).reactor());
            }
            List<Integer> picked = IntStream.range(0, 7).mapToObj(i -> reactor.next().index()).toList();
            assertEquals(List.of(0, 1, 2, 0, 1, 2, 0), picked);
        }
    }

    @Test
    void eachLoopHasItsOwnNamedThread() {
        try (Reactor reactor = Reactor.builder().loops(2).name("named").build()) {
            List<Thread> threads = reactor.loops().stream().map(Loops::thread).toList();
            assertEquals(2, new HashSet<>(threads).size(), "loops share a thread");
            for (int i = 0; i < threads.size(); i++) {
                String name = threads.get(i).getName();
                assertTrue(name.startsWith("named-") && name.endsWith("-loop-" + i), name);
                assertEquals(name, reactor.loops().get(i).toString());
                assertTrue(!threads.get(i).isVirtual() && !threads.get(i).isDaemon(), name);
            }
        }
    }

    @Test
    void builderRejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> Reactor.builder().loops(0));
        assertThrows(IllegalArgumentException.class, () -> Reactor.builder().maxPendingTimers(0));
        assertThrows(NullPointerException.class, () -> Reactor.builder().fiberMode(null));
        assertThrows(NullPointerException.class, () -> Reactor.builder().name(null));
    }
}
