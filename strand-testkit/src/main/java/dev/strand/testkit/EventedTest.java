package dev.strand.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test whose body runs as a fiber on the loop of a reactor the kit owns, made for the test (before
 * its {@code @BeforeEach} methods) and closed after it. The test method may take the
 * {@link dev.strand.reactor.EventLoop} it runs on, or its {@link dev.strand.reactor.Reactor}, as
 * parameters.
 *
 * <pre>{@code
 * @EventedTest
 * void aTimerCompletesADeferred(EventLoop loop) {
 *     Deferred<String> tick = Deferred.create(loop);
 *     loop.addTimer(Duration.ofMillis(10), () -> tick.succeed("tick"));
 *     assertEquals("tick", tick.await(Duration.ofSeconds(5)));
 * }
 * }</pre>
 *
 * <p>Only the test method runs on the fiber; {@code @BeforeEach} and {@code @AfterEach} methods run
 * on JUnit's thread, as usual (they may use the loop, never block it).
 *
 * <p>Failures: see {@link Evented}: a task, timer, I/O handler, deferred's callback or fiber of the
 * reactor that throws fails the test at once, with what it threw as the cause, never by the test
 * timing out; so does one that throws in {@code @BeforeEach} or {@code @AfterEach} time, when the
 * test ends. A body still running after {@link #timeoutMillis()} fails with its fiber's stack.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@ExtendWith(EventedExtension.class)
// The extension is the kit's own, named only here, and instantiated by JUnit (the package is opened to it).
@SuppressWarnings("exports")
public @interface EventedTest {

    /** How long the body may run; default 30,000 ms. */
    long timeoutMillis() default 30_000;
}
