package dev.strand.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts a Strand {@link dev.strand.http.HttpServer} for the annotated test class, bound to an
 * ephemeral port on {@code 127.0.0.1}, and injects a {@link TestClient} bound to it (or the
 * {@link dev.strand.http.HttpServer} itself) into test constructors, test methods and lifecycle
 * methods' parameters.
 *
 * <pre>{@code
 * @ServerTest
 * class HelloTest {
 *     @SetUpRoutes
 *     static void routes(Routing routing) {
 *         routing.get("/hello", (req, res) -> res.send("Hello"));
 *     }
 *
 *     @Test
 *     void saysHello(TestClient client) {
 *         assertEquals("Hello", client.get("/hello").text());
 *     }
 * }
 * }</pre>
 *
 * <p>The server is configured by the class's static methods annotated {@link SetUpRoutes}
 * (receiving the {@link dev.strand.http.Routing}) and {@link SetUpServer} (receiving the
 * {@link dev.strand.http.HttpServer.Builder}); it binds port 0 itself, so the operating system
 * picks a free port at bind time and nothing can take it in between. It is started before the
 * first test (or, with {@link Scope#METHOD}, before each) and stopped, with its configured grace
 * period, after the last (after each).
 *
 * <p>Failures: a setup method that is not static or takes the wrong parameter fails the tests with
 * a {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming it; what a setup
 * method throws, and a server that cannot start, fail the tests with that exception.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ServerExtension.class)
// The extension is the kit's own, named only here, and instantiated by JUnit (the package is opened to it).
@SuppressWarnings("exports")
public @interface ServerTest {

    /** How long one server lives; default {@link Scope#CLASS}. */
    Scope scope() default Scope.CLASS;

    /** How long one server lives. */
    enum Scope {
        /** One server for all the tests of the class, stopped after the last of them. */
        CLASS,
        /** A fresh server for each test, stopped after it (before a {@link CheckLeaks} check). */
        METHOD
    }
}
