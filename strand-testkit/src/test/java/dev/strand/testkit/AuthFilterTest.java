package dev.strand.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.http.Routing;
import dev.strand.testkit.ServerTest.Mode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/testing.md's filter example: a filter that refuses requests without credentials, in both modes. */
@ServerTest(modes = {Mode.SOCKET, Mode.IN_MEMORY})
class AuthFilterTest {

    @SetUpRoutes
    static void routes(Routing routing) {
        routing.filter((req, res, next) -> {
            if (req.header("Authorization").isEmpty()) {
                res.status(401).header("WWW-Authenticate", "Bearer").send("who are you?");
                return; // not proceeding: the handler never runs
            }
            next.proceed();
        }).get("/secret", (req, res) -> res.send("42"));
    }

    @Test
    void refusesARequestWithoutCredentials(TestClient client) {
        TestResponse response = client.get("/secret");
        assertEquals(401, response.status());
        assertEquals("Bearer", response.header("WWW-Authenticate").orElseThrow());
    }

    @Test
    void letsARequestWithCredentialsThrough(TestClient client) {
        TestResponse response = client.request("GET", "/secret", Map.of("Authorization", "Bearer t0ken"), new byte[0]);
        assertEquals(200, response.status());
        assertEquals("42", response.text());
    }
}
