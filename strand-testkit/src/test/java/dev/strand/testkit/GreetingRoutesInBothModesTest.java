package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.http.Routing;
import dev.strand.testkit.ServerTest.Mode;
import org.junit.jupiter.api.Test;

/** The in-memory example of docs/testing.md: the same tests over a socket, then in memory. */
@ServerTest(modes = {Mode.SOCKET, Mode.IN_MEMORY})
@CheckLeaks
class GreetingRoutesInBothModesTest {

    @SetUpRoutes
    static void routes(Routing routing) {
        routing.get("/greet/{name}", (req, res) -> res.send("Hello " + req.pathParam("name")));
    }

    @Test
    void greetsByName(TestClient client) {
        TestResponse response = client.get("/greet/Ada");
        assertEquals(200, response.status());
        assertEquals("Hello Ada", response.text());
    }
}
