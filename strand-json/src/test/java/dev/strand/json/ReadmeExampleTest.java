package dev.strand.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.Handler;
import dev.strand.http.HttpServer;
import dev.strand.http.RequestContext;
import dev.strand.http.RouteOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's example, as it is written there (but for port 0), answers as it says. */
@Timeout(30)
class ReadmeExampleTest {

    record Order(String item, int quantity) {
    }

    record Saved(String tenant, String item, int quantity) {
    }

    /** What the example's handler calls, several calls below which a pool would wait. */
    static final class Store {
        private final Map<String, Saved> saved = new ConcurrentHashMap<>();

        Saved save(Order order) {
            String tenant = RequestContext.current().flatMap(RequestContext::partition).orElseThrow();
            Saved s = new Saved(tenant, order.item(), order.quantity());
            saved.put(order.item(), s);
            return s;
        }
    }

    @Test
    void theExampleServesPlaintextOrdersAndItsErrors() throws Exception {
        Store store = new Store();
        // --- as in README.md ---
        RouteOptions orders = RouteOptions.builder()
                .deadline(Duration.ofMillis(500))              // bound as the request's Deadline: pools see it
                .partition(req -> req.header("X-Tenant").orElse("public"))
                .build();

        HttpServer server = HttpServer.builder().port(0)
            .routing(r -> r
                .filter((req, res, next) -> {                  // around every handler, in its route's mode
                    res.header("X-Request-Id", UUID.randomUUID().toString());
                    next.proceed();
                })
                .get("/plaintext", Handler.nonBlocking((req, res) -> res.send("Hello")))   // on the loop
                .post("/orders", orders, (req, res) -> {                                   // on a fiber
                    Order order = req.body().as(Order.class);  // malformed JSON: a 400 saying where
                    res.status(201).json(store.save(order));
                })
                .error(NoSuchElementException.class, (req, res, e) -> res.status(404).send(e.getMessage())))
            .build().start();
        // --- end of the example ---
        try (server; HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> hello = client.send(HttpRequest.newBuilder(URI.create(base + "/plaintext")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("Hello", hello.body());
            assertTrue(hello.headers().firstValue("X-Request-Id").isPresent());

            HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(base + "/orders"))
                    .header("X-Tenant", "acme").POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"tea\",\"quantity\":2}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode());
            assertEquals("{\"tenant\":\"acme\",\"item\":\"tea\",\"quantity\":2}", created.body());

            HttpResponse<String> malformed = client.send(HttpRequest.newBuilder(URI.create(base + "/orders"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"item\":")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, malformed.statusCode());
            assertTrue(malformed.body().contains("line 1"), malformed.body());
        }
    }
}
