package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.HttpServer;
import dev.strand.http.Routing;
import org.junit.jupiter.api.Test;

/**
 * A {@code @ServerTest} server binds port 0 on 127.0.0.1 itself, whatever port a {@code @SetUpServer}
 * method asked for, and the injected client talks to that port.
 */
@ServerTest
class ServerTestBindsAnEphemeralPortTest {

    @SetUpRoutes
    static void routes(Routing routing) {
        routing.get("/hello", (req, res) -> res.send("Hello"));
    }

    @SetUpServer
    static void server(HttpServer.Builder builder) {
        builder.port(8080).host("0.0.0.0"); // both overridden by the kit
    }

    @Test
    void theServerListensOnAPortTheSystemPickedAndTheClientUsesIt(HttpServer server, TestClient client) {
        assertTrue(server.isRunning());
        assertNotEquals(8080, server.port());
        assertTrue(server.port() > 0);
        assertEquals("127.0.0.1", server.config().host());
        assertEquals(server.port(), client.port());
        TestResponse response = client.get("/hello");
        assertEquals(200, response.status());
        assertEquals("Hello", response.text());
    }
}
