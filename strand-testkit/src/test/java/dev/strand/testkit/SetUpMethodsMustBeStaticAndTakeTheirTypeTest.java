package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.HttpServer;
import dev.strand.http.Routing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * A misdeclared setup method fails the tests with a configuration error naming it, and what a setup
 * method throws fails them with that exception, rather than a server starting half-configured.
 */
class SetUpMethodsMustBeStaticAndTakeTheirTypeTest {

    @Sample
    @ServerTest
    static class InstanceRoutes {
        @SetUpRoutes
        void routes(Routing routing) {
            routing.get("/", (req, res) -> res.send("never"));
        }

        @Test
        void test(TestClient client) {
            client.get("/");
        }
    }

    @Sample
    @ServerTest
    static class WrongParameter {
        @SetUpServer
        static void server(Routing routing) {
        }

        @Test
        void test(TestClient client) {
            client.get("/");
        }
    }

    static final IllegalStateException THROWN = new IllegalStateException("setup failed");

    @Sample
    @ServerTest
    static class ThrowingSetUp {
        @SetUpServer
        static void server(HttpServer.Builder builder) {
            throw THROWN;
        }

        @Test
        void test(TestClient client) {
            client.get("/");
        }
    }

    @Test
    void anInstanceSetUpMethodFailsNamingIt() {
        Throwable failure = Samples.failure(InstanceRoutes.class);
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertTrue(failure.getMessage().contains("InstanceRoutes.routes"), failure.getMessage());
    }

    @Test
    void aSetUpMethodWithTheWrongParameterFailsNamingIt() {
        Throwable failure = Samples.failure(WrongParameter.class);
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertTrue(failure.getMessage().contains("WrongParameter.server"), failure.getMessage());
    }

    @Test
    void whatASetUpMethodThrowsFailsTheTest() {
        assertSame(THROWN, Samples.failure(ThrowingSetUp.class));
    }
}
