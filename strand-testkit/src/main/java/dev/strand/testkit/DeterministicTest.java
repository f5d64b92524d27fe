package dev.strand.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test whose body runs as a fiber in a {@link dev.strand.reactor.Simulation}: one loop on a
 * virtual clock, its choices seeded. The method may take the {@code Simulation} as a parameter (its
 * {@code reactor()} for servers and clients, {@code loop()}, {@code clock()}). It runs once per
 * seed, each run a test of its own named after its seed; a failure says which seed and how to run
 * only that one again.
 *
 * <pre>{@code
 * @DeterministicTest(seeds = 100)
 * void twoWithdrawalsNeverOverdraw(Simulation sim) {
 *     ... // two connections race; the seeds try 100 interleavings
 * }
 *
 * @DeterministicTest(from = 37)          // replays seed 37 alone, as the failure of seed 37 says
 * }</pre>
 *
 * <p>Seeds: {@link #seeds()} of them from {@link #from()}; the system property {@code strand.seed}
 * (a seed, or several separated by commas) overrides both, to replay a failure from the command line
 * ({@code ./mvnw test -Dtest='MyTest#method' -Dstrand.seed=37}).
 *
 * <p>{@link #twice()}: each seed runs twice, in two simulations, and the test fails unless both runs
 * made the same events in the same order, naming the first that differed: the check that the test
 * itself is deterministic (no wall clock, no hash order of identity hashes, no outside thread). The
 * test instance is the same for both runs, and {@code @BeforeEach} methods run once, before the first.
 *
 * <p>Failures: everything {@link dev.strand.reactor.Simulation#run} reports — the body's own
 * failure, code that escaped the simulation (a timed park, a real socket, an outside thread), a
 * stuck run with its parked fibers' stacks, a run past {@link #timeLimitSeconds()} of virtual time.
 * {@code @BeforeEach} and {@code @AfterEach} methods run on JUnit's thread, outside the simulation.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(DeterministicExtension.class)
@SuppressWarnings("exports")
public @interface DeterministicTest {

    /** How many seeds to run, from {@link #from()}; default 1. */
    int seeds() default 1;

    /** The first seed; default 0. */
    long from() default 0;

    /** Whether each seed runs twice and the two traces must agree; default false. */
    boolean twice() default false;

    /** The virtual time a run may take; default 3,600 s. */
    long timeLimitSeconds() default 3_600;
}
