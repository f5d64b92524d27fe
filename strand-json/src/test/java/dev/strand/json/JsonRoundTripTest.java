package dev.strand.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.Handler;
import dev.strand.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * JSON over a real socket with the mapper the server finds by itself: a body read as a record and
 * a record written back; the sender's mistakes get a 400 that says what and where.
 */
@Timeout(30)
class JsonRoundTripTest {

    record Item(String sku, int quantity) {
    }

    record Order(String customer, List<Item> items) {
        Order {
            if (items.isEmpty()) {
                throw new IllegalArgumentException("an order needs items");
            }
        }
    }

    record Receipt(String customer, int total) {
    }

    /** Jackson cannot make one: no creator it can use. */
    static final class Unreadable {
        private Unreadable(Object whatever) {
        }
    }

    private static HttpServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r
                        .post("/orders", (req, res) -> {
                            Order order = req.body().as(Order.class);
                            res.status(201).json(new Receipt(order.customer(), order.items().stream().mapToInt(Item::quantity).sum()));
                        })
                        .post("/orders-inline", Handler.nonBlocking((req, res) -> res.json(req.body().as(Order.class))))
                        .post("/unreadable", (req, res) -> res.json(req.body().as(Unreadable.class))))
                .build().start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBodyIsReadAsARecordAndARecordIsWrittenBack() throws Exception {
        HttpResponse<String> fiber = post("/orders", "{\"customer\":\"Ada\",\"items\":[{\"sku\":\"a\",\"quantity\":2},{\"sku\":\"b\",\"quantity\":3}]}");
        assertEquals(201, fiber.statusCode());
        assertEquals("{\"customer\":\"Ada\",\"total\":5}", fiber.body());
        assertEquals("application/json", fiber.headers().firstValue("Content-Type").orElseThrow());

        String order = "{\"customer\":\"Bob\",\"items\":[{\"sku\":\"c\",\"quantity\":1}]}";
        HttpResponse<String> loop = post("/orders-inline", order);
        assertEquals(200, loop.statusCode());
        assertEquals(order, loop.body(), "what was read is written back the same");
    }

    @Test
    void malformedJsonIsA400SayingWhatAndWhere() throws Exception {
        HttpResponse<String> truncated = post("/orders", "{\"customer\":\"Ada\",\n \"items\":[{\"sku\":");
        assertEquals(400, truncated.statusCode());
        String message = truncated.body();
        assertTrue(message.startsWith("Malformed JSON: "), message);
        assertTrue(message.contains("end-of-input"), message);
        assertTrue(message.contains("(line 2, column "), message);
        assertFalse(message.contains("\tat ") || message.contains("Exception"), "no stack trace: " + message);

        HttpResponse<String> notJson = post("/orders-inline", "customer=Ada");
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.body().contains("(line 1, column "), notJson.body());
    }

    @Test
    void wellFormedJsonOfTheWrongShapeIsA400NamingTheField() throws Exception {
        HttpResponse<String> wrongType = post("/orders", "{\"customer\":\"Ada\",\"items\":[{\"sku\":\"a\",\"quantity\":\"many\"}]}");
        assertEquals(400, wrongType.statusCode());
        assertTrue(wrongType.body().contains("at $.items[0].quantity"), wrongType.body());
        assertFalse(wrongType.body().contains("dev.strand"), "class names lose their package: " + wrongType.body());

        HttpResponse<String> refused = post("/orders", "{\"customer\":\"Ada\",\"items\":[]}");
        assertEquals(400, refused.statusCode(), "a value the record's constructor refuses is the sender's mistake");
        assertTrue(refused.body().contains("an order needs items"), refused.body());

        HttpResponse<String> empty = post("/orders", "");
        assertEquals(400, empty.statusCode());
    }

    @Test
    void aTypeJacksonCannotReadIsTheServersFault() throws Exception {
        HttpResponse<String> response = post("/unreadable", "{}");
        assertEquals(500, response.statusCode());
        assertEquals("Internal Server Error", response.body());
    }
}
