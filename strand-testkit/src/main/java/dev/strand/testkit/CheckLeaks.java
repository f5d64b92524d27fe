package dev.strand.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails each test (of the annotated class, or the annotated test) that leaves threads, listening
 * ports or file descriptors behind: a {@link LeakCheck} snapshot is taken before each test, before
 * its {@code @BeforeEach} methods, and compared after it, after its {@code @AfterEach} methods,
 * waiting up to {@link #timeoutMillis()} for what closes asynchronously. See {@link LeakCheck} for
 * what counts.
 *
 * <p>With {@link ServerTest}: a server of {@link ServerTest.Scope#METHOD} is stopped before the
 * comparison, whatever order JUnit runs the two extensions in; a server of the class's scope
 * was started before the snapshot and is not a leak (the connections its clients made are, until
 * they close).
 *
 * <p>Failures: an {@link AssertionError} listing every leak fails the test (added as suppressed to
 * the test's own failure, if it failed anyway).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LeakCheckExtension.class)
// The extension is the kit's own, named only here, and instantiated by JUnit (the package is opened to it).
@SuppressWarnings("exports")
public @interface CheckLeaks {

    /** How long to wait for leaks to go before failing; default 5,000 ms. */
    long timeoutMillis() default 5_000;
}
