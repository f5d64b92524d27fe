package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class HelloWorldTest {

    @Test
    void servesHelloOnAFiberAndOnTheLoop() throws Exception {
        try (HttpServer server = HttpServer.builder().port(0)
                .routing(r -> r.get("/hello", (req, res) -> res.send("Hello"))
                        .get("/inline", Handler.nonBlocking((req, res) -> res.send("Inline")))
                        .get("/users/{id}", (req, res) -> res.send("user " + req.pathParam("id") + " " + req.query("q").orElse("-"))))
                .build().start()) {
            HttpClient client = HttpClient.newHttpClient();
            for (String[] c : new String[][] {{"/hello", "Hello"}, {"/inline", "Inline"}, {"/users/42?q=a%20b", "user 42 a b"}}) {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + c[0])).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                assertEquals(c[1], response.body());
                assertEquals("Strand", response.headers().firstValue("Server").orElseThrow());
                assertTrue(response.headers().firstValue("Date").isPresent());
            }
            HttpResponse<String> missing = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/nope")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
        }
    }
}
