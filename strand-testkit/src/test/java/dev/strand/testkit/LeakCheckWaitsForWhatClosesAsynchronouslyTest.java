package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.http.Routing;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The leak check waits for what ends shortly after the test — a thread on its way out, a server's
 * side of a closed connection — and counts a method-scoped server as gone, whichever order the two
 * annotations are declared in; so a clean server test passes it.
 */
class LeakCheckWaitsForWhatClosesAsynchronouslyTest {

    static void routes(Routing routing) {
        routing.get("/", (req, res) -> res.send("up"));
    }

    @Sample
    @CheckLeaks
    static class ThreadEndingLater {
        @Test
        void test() {
            Thread.ofPlatform().name("ending-soon").start(() -> LockSupport.parkNanos(200_000_000L));
        }
    }

    @Sample
    @CheckLeaks
    @ServerTest(scope = ServerTest.Scope.METHOD)
    static class CheckFirstThenMethodServer {
        @SetUpRoutes
        static void setUp(Routing routing) {
            routes(routing);
        }

        @Test
        void test(TestClient client) {
            assertEquals("up", client.get("/").text());
        }
    }

    @Sample
    @ServerTest(scope = ServerTest.Scope.METHOD)
    @CheckLeaks
    static class MethodServerThenCheck {
        @SetUpRoutes
        static void setUp(Routing routing) {
            routes(routing);
        }

        @Test
        void test(TestClient client) {
            assertEquals("up", client.get("/").text());
        }
    }

    @Sample
    @ServerTest
    @CheckLeaks
    static class ClassServer {
        @SetUpRoutes
        static void setUp(Routing routing) {
            routes(routing);
        }

        @Test
        void one(TestClient client) {
            for (int i = 0; i < 20; i++) {
                assertEquals("up", client.get("/").text());
            }
        }

        @Test
        void two(TestClient client) {
            assertEquals("up", client.get("/").text());
        }
    }

    @Test
    void aThreadThatEndsAfterTheTestIsWaitedFor() {
        Samples.assertAllPassed(ThreadEndingLater.class);
    }

    @Test
    void aMethodScopedServerIsStoppedBeforeTheCheckWhenTheCheckIsDeclaredFirst() {
        Samples.assertAllPassed(CheckFirstThenMethodServer.class);
    }

    @Test
    void aMethodScopedServerIsStoppedBeforeTheCheckWhenTheServerIsDeclaredFirst() {
        Samples.assertAllPassed(MethodServerThenCheck.class);
    }

    @Test
    void aClassScopedServersClosedConnectionsAreWaitedFor() {
        Samples.assertAllPassed(ClassServer.class);
    }
}
