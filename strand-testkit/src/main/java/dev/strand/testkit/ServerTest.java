package dev.strand.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts a Strand {@link dev.strand.http.HttpServer} for the annotated test class, bound to an
 * ephemeral port on {@code 127.0.0.1} (or, {@linkplain Mode#IN_MEMORY in memory}, bound to none),
 * and injects a {@link TestClient} for it (or the {@link dev.strand.http.HttpServer} itself) into
 * test constructors, test methods and lifecycle methods' parameters.
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
 * period, after the last (after each). The kit sets the host, the port and
 * {@link dev.strand.http.ServerConfig.Builder#listen(boolean) listen} after the setup methods ran,
 * as the mode requires.
 *
 * <p>Modes: the class runs once per {@link #modes() mode}, in the order given, each run a
 * container whose display name is its mode ("socket", "in memory") with a server of its own: so
 * {@code @ServerTest(modes = {Mode.SOCKET, Mode.IN_MEMORY})} runs the same tests over sockets and in
 * memory. (The annotation makes the class a JUnit {@link ClassTemplate}; with one mode, that is one
 * run.)
 *
 * <p>Failures: a setup method that is not static or takes the wrong parameter fails the tests with
 * a {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming it, as do no
 * modes or a mode given twice; what a setup
 * method throws, and a server that cannot start, fail the tests with that exception.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ClassTemplate
@ExtendWith(ServerExtension.class)
// The extension is the kit's own, named only here, and instantiated by JUnit (the package is opened to it).
@SuppressWarnings("exports")
public @interface ServerTest {

    /** How long one server lives; default {@link Scope#CLASS}. */
    Scope scope() default Scope.CLASS;

    /** How the client reaches the server, one run of the class per mode; default {@link Mode#SOCKET} alone. */
    Mode[] modes() default {Mode.SOCKET};

    /** How the client reaches the server. */
    enum Mode {
        /**
         * Over sockets: the server listens on an ephemeral port of {@code 127.0.0.1}, and the
         * client connects to it ({@link TestClient#create(int)}).
         */
        SOCKET("socket"),
        /**
         * In memory: the server opens no port at all
         * ({@link dev.strand.http.ServerConfig.Builder#listen(boolean) listen(false)}); the client
         * hands it each connection as a stream in memory ({@link TestClient#inMemory}), which the
         * server's loops drive as they would a socket. Routing, filters, framing, keep-alive and
         * errors are the same; what only a socket has (a port, TLS, the kernel's buffers and
         * resets) is not there.
         */
        IN_MEMORY("in memory");

        private final String displayName;

        Mode(String displayName) {
            this.displayName = displayName;
        }

        /** The display name of a run in this mode: "socket" or "in memory". */
        public String displayName() {
            return displayName;
        }
    }

    /** How long one server lives. */
    enum Scope {
        /** One server for all the tests of the class, stopped after the last of them. */
        CLASS,
        /** A fresh server for each test, stopped after it (before a {@link CheckLeaks} check). */
        METHOD
    }
}
