package dev.strand.http.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.Handler;
import dev.strand.http.Routing;
import dev.strand.testkit.CheckLeaks;
import dev.strand.testkit.ServerTest;
import dev.strand.testkit.ServerTest.Mode;
import dev.strand.testkit.SetUpRoutes;
import dev.strand.testkit.TestClient;
import dev.strand.testkit.TestResponse;
import org.junit.jupiter.api.Test;

@ServerTest(modes = {Mode.SOCKET, Mode.IN_MEMORY})
@CheckLeaks
class HelloWorldTest {

    @SetUpRoutes
    static void routes(Routing r) {
        r.get("/hello", (req, res) -> res.send("Hello"))
                .get("/inline", Handler.nonBlocking((req, res) -> res.send("Inline")))
                .get("/users/{id}", (req, res) -> res.send("user " + req.pathParam("id") + " " + req.query("q").orElse("-")));
    }

    @Test
    void servesHelloOnAFiberAndOnTheLoop(TestClient client) {
        for (String[] c : new String[][] {{"/hello", "Hello"}, {"/inline", "Inline"}, {"/users/42?q=a%20b", "user 42 a b"}}) {
            TestResponse response = client.get(c[0]);
            assertEquals(200, response.status());
            assertEquals(c[1], response.text());
            assertEquals("Strand", response.header("Server").orElseThrow());
            assertTrue(response.header("Date").isPresent());
        }
        assertEquals(404, client.get("/nope").status());
    }
}
