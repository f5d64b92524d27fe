package dev.strand.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.http.spi.JsonMapper;
import dev.strand.http.spi.MalformedJsonException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code res.json} and {@code req.body().as} go through the server's {@link JsonMapper}; without
 * one (strand-json is not on this module's class path) they say which dependency to add. A body
 * the mapper finds malformed is the client's 400, with the mapper's message.
 */
class JsonGoesThroughTheServersMapperTest {

    /** Knows one type, {@link Name}, written as {"name":"..."}; anything else is malformed. */
    static final class NameMapper implements JsonMapper {
        @Override
        public byte[] write(Object value) {
            return ("{\"name\":\"" + ((Name) value).name() + "\"}").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public <T> T read(byte[] json, Class<T> type) {
            String text = new String(json, StandardCharsets.UTF_8);
            if (!text.startsWith("{\"name\":\"") || !text.endsWith("\"}")) {
                throw new MalformedJsonException("expected {\"name\":\"...\"} at line 1, column 1", null);
            }
            return type.cast(new Name(text.substring(9, text.length() - 2)));
        }
    }

    record Name(String name) {
    }

    private static Routing echo(Routing r) {
        return r.post("/echo", (req, res) -> res.json(new Name(req.body().as(Name.class).name() + "!")))
                .post("/echo-inline", Handler.nonBlocking((req, res) -> res.json(req.body().as(Name.class))))
                .get("/write", (req, res) -> {
                    try {
                        res.json(new Name("x"));
                    } catch (IllegalStateException e) {
                        res.status(500).send(e.getMessage());
                    }
                })
                .post("/read", (req, res) -> {
                    try {
                        req.body().as(Name.class);
                    } catch (IllegalStateException e) {
                        res.status(500).send(e.getMessage());
                    }
                });
    }

    private static RawConnection.Reply post(RawConnection c, String path, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return c.send("POST " + path + " HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n\r\n" + body).read();
    }

    @Test
    void anInstalledMapperReadsBodiesAndWritesResponses() throws Exception {
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0).jsonMapper(new NameMapper())
                .routing(JsonGoesThroughTheServersMapperTest::echo).build().start();
             RawConnection c = new RawConnection(server.port())) {
            for (String path : new String[] {"/echo", "/echo-inline"}) {
                RawConnection.Reply reply = post(c, path, "{\"name\":\"Ada\"}");
                assertEquals(200, reply.status(), path);
                assertEquals("application/json", reply.header("Content-Type"), path);
                assertTrue(reply.text().startsWith("{\"name\":\"Ada"), reply.text());
            }
        }
    }

    @Test
    void aMalformedBodyIsA400SayingWhatIsWrong() throws Exception {
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0).jsonMapper(new NameMapper())
                .routing(JsonGoesThroughTheServersMapperTest::echo).build().start();
             RawConnection c = new RawConnection(server.port())) {
            for (String path : new String[] {"/echo", "/echo-inline"}) {
                RawConnection.Reply reply = post(c, path, "{\"nam");
                assertEquals(400, reply.status(), path);
                assertEquals("Malformed JSON: expected {\"name\":\"...\"} at line 1, column 1", reply.text(), path);
            }
        }
    }

    @Test
    void withoutAMapperBothWaysSayWhichDependencyToAdd() throws Exception {
        try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .routing(JsonGoesThroughTheServersMapperTest::echo).build().start();
             RawConnection c = new RawConnection(server.port())) {
            RawConnection.Reply written = c.send("GET /write HTTP/1.1\r\nHost: a\r\n\r\n").read();
            RawConnection.Reply read = post(c, "/read", "{}");
            for (RawConnection.Reply reply : new RawConnection.Reply[] {written, read}) {
                String message = reply.text();
                java.util.List<String> lines = message.lines().map(String::strip).toList();
                int at = lines.indexOf("<dependency>");
                assertTrue(at >= 0 && lines.size() > at + 4, message);
                assertEquals(java.util.List.of("<groupId>dev.strand</groupId>", "<artifactId>strand-json</artifactId>"),
                        lines.subList(at + 1, at + 3), message);
                assertTrue(lines.get(at + 3).matches("<version>[0-9][^<$]*</version>"), "the version is filled in: " + message);
                assertEquals("</dependency>", lines.get(at + 4), message);
                assertTrue(message.contains("jsonMapper"), message);
            }
        }
    }
}
