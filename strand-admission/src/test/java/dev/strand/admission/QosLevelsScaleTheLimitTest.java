package dev.strand.admission;

import static dev.strand.admission.Admission.NEVER;
import static dev.strand.admission.Admission.cancelAll;
import static dev.strand.admission.Admission.closeAll;
import static dev.strand.admission.Admission.freePermits;
import static dev.strand.admission.Admission.permitOf;
import static dev.strand.admission.Admission.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QosLevelsScaleTheLimitTest {

    @ParameterizedTest(name = "{0} permits: normal {1}, slow {2}, crawl {3}, paused 0")
    @CsvSource({
        "1, 1, 1, 1",
        "2, 2, 1, 1",
        "5, 5, 3, 1",
        "8, 8, 4, 1",
        "9, 9, 5, 1",
    })
    void eachLevelAdmitsItsShareOfTheFigure(int permits, int normal, int slow, int crawl) {
        QosSwitch qos = QosSwitch.create();
        FixedLimit limit = FixedLimit.builder().permits(permits).qos(qos).build();
        assertEquals(QosLevel.NORMAL, qos.level());

        int[] expected = {normal, slow, crawl, 0};
        for (QosLevel level : QosLevel.values()) {
            qos.level(level);
            LimitStats stats = limit.stats();
            assertEquals(level, stats.level());
            assertEquals(expected[level.ordinal()], stats.limit(), level + " figure");
            assertEquals(expected[level.ordinal()], freePermits(limit), level + " admits");
        }
    }

    @Test
    void aLimitWithoutASwitchStaysAtNormal() {
        FixedLimit limit = FixedLimit.builder().permits(4).build();
        assertEquals(QosLevel.NORMAL, limit.stats().level());
        assertEquals(4, freePermits(limit));
    }

    @Test
    void settingALevelReturnsTheOneBefore() {
        QosSwitch qos = QosSwitch.create();
        assertEquals(QosLevel.NORMAL, qos.level(QosLevel.CRAWL));
        assertEquals(QosLevel.CRAWL, qos.level(QosLevel.PAUSED));
        assertEquals(QosLevel.PAUSED, qos.level());
        assertEquals(QosLevel.PAUSED, qos.level(QosLevel.NORMAL));
    }

    @Test
    void oneSwitchGovernsEveryLimitGivenIt() {
        QosSwitch qos = QosSwitch.create();
        FixedLimit a = FixedLimit.builder().name("a").permits(4).queueTimeout(NEVER).qos(qos).build();
        FixedLimit b = FixedLimit.builder().name("b").permits(6).queueTimeout(NEVER).qos(qos).build();
        FixedLimit other = FixedLimit.builder().name("other").permits(6).qos(QosSwitch.create()).build();

        qos.level(QosLevel.SLOW);
        assertEquals(2, a.stats().limit());
        assertEquals(3, b.stats().limit());
        assertEquals(6, other.stats().limit(), "a limit on another switch is not affected");

        qos.level(QosLevel.PAUSED);
        CompletableFuture<Permit> inA = a.acquireAsync(QosClass.STANDARD);
        CompletableFuture<Permit> inB = b.acquireAsync(QosClass.CRITICAL);
        try {
            assertFalse(inA.isDone());
            assertFalse(inB.isDone());
            assertEquals(0, freePermits(a));
            assertEquals(0, freePermits(b));
            assertEquals(6, freePermits(other));

            qos.level(QosLevel.NORMAL);
            assertTrue(inA.isDone(), "queued work in a starts as the level is set");
            assertTrue(inB.isDone(), "and in b");
            permitOf(inA).close();
            permitOf(inB).close();
            assertEquals(4, freePermits(a));
            assertEquals(6, freePermits(b));
        } finally {
            cancelAll(List.of(inA, inB));
        }
    }

    @Test
    void aLevelThatAdmitsMoreStartsQueuedWorkAtOnceOnTheThreadThatSetsIt() {
        QosSwitch qos = QosSwitch.create();
        FixedLimit limit = FixedLimit.builder().permits(6).queueTimeout(NEVER).qos(qos).build();
        qos.level(QosLevel.CRAWL);
        List<Permit> held = take(limit, 1);
        List<CompletableFuture<Permit>> waiting = new ArrayList<>();
        List<Thread> completedOn = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CompletableFuture<Permit> w = limit.acquireAsync(QosClass.STANDARD);
            w.thenRun(() -> completedOn.add(Thread.currentThread()));
            waiting.add(w);
        }
        try {
            assertEquals(4, limit.stats().queued());
            qos.level(QosLevel.SLOW); // 3 of 6: two more start
            assertEquals(List.of(true, true, false, false), waiting.stream().map(CompletableFuture::isDone).toList());
            assertEquals(3, limit.stats().inFlight());
            qos.level(QosLevel.NORMAL); // 6: the other two start
            assertTrue(waiting.stream().allMatch(CompletableFuture::isDone));
            assertEquals(5, limit.stats().inFlight());
            assertEquals(0, limit.stats().queued());
            completedOn.forEach(t -> assertSame(Thread.currentThread(), t));
            assertEquals(4, completedOn.size());
        } finally {
            cancelAll(waiting);
            closeAll(held);
        }
    }

    @Test
    void aLowerLevelLetsWorkAlreadyAdmittedFinish() {
        QosSwitch qos = QosSwitch.create();
        FixedLimit limit = FixedLimit.builder().permits(4).qos(qos).build();
        List<Permit> held = take(limit, 4);
        qos.level(QosLevel.CRAWL);
        assertEquals(4, limit.stats().inFlight(), "nothing admitted is taken back");
        held.removeFirst().close();
        held.removeFirst().close();
        held.removeFirst().close();
        assertEquals(0, freePermits(limit), "still one in flight: crawl admits no more");
        held.removeFirst().close();
        assertEquals(1, freePermits(limit));
    }

    @Test
    void aLevelScalesAnAdaptiveFigureWithoutChangingIt() {
        QosSwitch qos = QosSwitch.create();
        AtomicLong clock = new AtomicLong();
        AimdLimit limit = AimdLimit.builder().initial(10).qos(qos).clock(clock::get).build();
        qos.level(QosLevel.SLOW);
        assertEquals(5, limit.stats().limit());
        qos.level(QosLevel.NORMAL);
        assertEquals(10, limit.stats().limit(), "back to normal restores the figure at once");
    }

    @Test
    void slowerAndFasterStepThroughTheLevelsAndStopAtTheEnds() {
        assertEquals(QosLevel.SLOW, QosLevel.NORMAL.slower());
        assertEquals(QosLevel.CRAWL, QosLevel.SLOW.slower());
        assertEquals(QosLevel.PAUSED, QosLevel.CRAWL.slower());
        assertEquals(QosLevel.PAUSED, QosLevel.PAUSED.slower());

        assertEquals(QosLevel.CRAWL, QosLevel.PAUSED.faster());
        assertEquals(QosLevel.SLOW, QosLevel.CRAWL.faster());
        assertEquals(QosLevel.NORMAL, QosLevel.SLOW.faster());
        assertEquals(QosLevel.NORMAL, QosLevel.NORMAL.faster());
    }
}
