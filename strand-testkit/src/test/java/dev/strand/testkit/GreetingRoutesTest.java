package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.http.Routing;
import org.junit.jupiter.api.Test;

/** The first example of docs/testing.md: routes tested through a real socket, and nothing leaked. */
@ServerTest
@CheckLeaks
class GreetingRoutesTest {

    @SetUpRoutes
    static void routes(Routing routing) {
        routing.get("/greet/{name}", (req, res) -> res.send("Hello " + req.pathParam("name")))
                .post("/echo", (req, res) -> res.status(201).send(req.body().asString()));
    }

    @Test
    void greetsByName(TestClient client) {
        TestResponse response = client.get("/greet/Ada");
        assertEquals(200, response.status());
        assertEquals("Hello Ada", response.text());
    }

    @Test
    void echoesWhatItIsSent(TestClient client) {
        TestResponse response = client.post("/echo", "ping");
        assertEquals(201, response.status());
        assertEquals("ping", response.text());
    }
}
