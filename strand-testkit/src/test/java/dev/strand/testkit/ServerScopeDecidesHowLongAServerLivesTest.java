package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.HttpServer;
import dev.strand.http.Routing;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A class-scoped server is one server for every test of the class, stopped after the last; a
 * method-scoped one is a fresh server per test, stopped after it. Either is injected into the test
 * constructor, lifecycle methods and test methods alike.
 */
class ServerScopeDecidesHowLongAServerLivesTest {

    static final List<HttpServer> SEEN = new CopyOnWriteArrayList<>();

    @Sample
    @ServerTest
    static class ClassScoped {
        private final TestClient constructorClient;

        ClassScoped(TestClient client) {
            this.constructorClient = client;
        }

        @SetUpRoutes
        static void routes(Routing routing) {
            routing.get("/", (req, res) -> res.send("up"));
        }

        @Test
        void one(HttpServer server, TestClient client) {
            check(server, client, constructorClient);
        }

        @Test
        void two(HttpServer server, TestClient client) {
            check(server, client, constructorClient);
        }
    }

    @Sample
    @ServerTest(scope = ServerTest.Scope.METHOD)
    static class MethodScoped {
        private final TestClient constructorClient;
        private HttpServer beforeEachServer;

        MethodScoped(TestClient client) {
            this.constructorClient = client;
        }

        @SetUpRoutes
        static void routes(Routing routing) {
            routing.get("/", (req, res) -> res.send("up"));
        }

        @BeforeEach
        void before(HttpServer server) {
            beforeEachServer = server;
        }

        @Test
        void one(HttpServer server, TestClient client) {
            assertSame(beforeEachServer, server);
            check(server, client, constructorClient);
        }

        @Test
        void two(HttpServer server, TestClient client) {
            assertSame(beforeEachServer, server);
            check(server, client, constructorClient);
        }
    }

    private static void check(HttpServer server, TestClient client, TestClient constructorClient) {
        SEEN.add(server);
        assertTrue(server.isRunning());
        assertEquals(server.port(), client.port());
        assertEquals(server.port(), constructorClient.port());
        assertEquals("up", client.get("/").text());
    }

    @Test
    void aClassScopedServerServesEveryTestAndStopsAfterTheClass() {
        SEEN.clear();
        Samples.assertAllPassed(ClassScoped.class);
        assertEquals(2, SEEN.size());
        assertSame(SEEN.get(0), SEEN.get(1));
        assertFalse(SEEN.get(0).isRunning());
    }

    @Test
    void aMethodScopedServerIsFreshForEachTestAndStopsAfterIt() {
        SEEN.clear();
        Samples.assertAllPassed(MethodScoped.class);
        assertEquals(2, SEEN.size());
        assertNotSame(SEEN.get(0), SEEN.get(1));
        assertFalse(SEEN.get(0).isRunning());
        assertFalse(SEEN.get(1).isRunning());
    }
}
