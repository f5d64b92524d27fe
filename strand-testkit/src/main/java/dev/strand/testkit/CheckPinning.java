package dev.strand.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails each test (of the annotated class, or the annotated test) during which a fiber pinned its
 * carrier: a {@link PinningCheck} runs from before the test's {@code @BeforeEach} methods to after
 * its {@code @AfterEach} methods. See {@link PinningCheck} for what pins on JDK 25 and for the
 * fact that it sees every fiber of the JVM.
 *
 * <p>Failures: an {@link AssertionError} naming each pinned fiber and its stack fails the test
 * (added as suppressed to the test's own failure, if it failed anyway).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PinningCheckExtension.class)
// The extension is the kit's own, named only here, and instantiated by JUnit (the package is opened to it).
@SuppressWarnings("exports")
public @interface CheckPinning {
}
