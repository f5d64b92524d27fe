package dev.strand.bench.helidon;

import dev.strand.bench.common.Args;
import dev.strand.bench.db.DbOptions;
import io.helidon.common.Version;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Helidon SE 4 peer, default configuration: every request is handled on its own virtual
 * thread, so {@code /sleep} simply sleeps. Helidon adds {@code Date} (cached) and
 * {@code Content-Length} itself. With {@code --db}, also TechEmpower's {@code /db}, {@code /queries},
 * {@code /fortunes} and {@code /updates} ({@link JdbcEndpoints}).
 *
 * <p>{@code java -jar helidon-bench.jar [--port N] [--host H] [--db jdbc:postgresql://... [--db-pool N]]}
 */
public final class HelidonBench {

    static final int MAX_SLEEP_MS = 60_000;

    private static final Header SERVER = HeaderValues.createCached(HeaderNames.SERVER, "Helidon");
    private static final Header TEXT = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "text/plain");
    static final Header JSON = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    /** Thread-safe once built; shared by every request. */
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    record Message(String message) {
    }

    private HelidonBench() {
    }

    public static void main(String[] args) {
        Args a = Args.parse("helidon-bench", args, DbOptions.OPTIONS);
        Optional<DbOptions> dbOptions = DbOptions.of("helidon-bench", a);
        JdbcEndpoints db = null;
        if (dbOptions.isPresent()) {
            try {
                db = new JdbcEndpoints(dbOptions.get(), MAPPER, SERVER);
            } catch (RuntimeException e) {
                System.err.println("helidon-bench: cannot use the database " + dbOptions.get().url() + ": " + e.getMessage());
                System.exit(1);
            }
        }
        JdbcEndpoints endpoints = db;
        WebServer server = WebServer.builder()
                .host(a.host())
                .port(a.port())
                .routing(routing -> {
                    routes(routing);
                    if (endpoints != null) {
                        endpoints.routes(routing);
                    }
                })
                .build()
                .start();
        System.out.println("Helidon " + Version.VERSION + " bench listening on port " + server.port()
                + dbOptions.map(o -> " (PostgreSQL " + o.url() + ", HikariCP pool of " + o.poolSize() + ")").orElse(""));
    }

    static void routes(HttpRouting.Builder routing) {
        routing.get("/plaintext", (req, res) -> send(res, Status.OK_200, TEXT, HELLO))
                .get("/json", (req, res) -> send(res, Status.OK_200, JSON,
                        MAPPER.writeValueAsBytes(new Message("Hello, World!"))))
                .get("/sleep", HelidonBench::sleep);
    }

    static void sleep(ServerRequest req, ServerResponse res) throws InterruptedException {
        String value = req.query().first("ms").asOptional().orElse(null);
        int ms = value == null ? -1 : sleepMillis(value);
        if (ms < 0) {
            send(res, Status.BAD_REQUEST_400, TEXT,
                    ("ms must be an integer from 0 to " + MAX_SLEEP_MS).getBytes(StandardCharsets.US_ASCII));
            return;
        }
        Thread.sleep(ms); // parks this request's virtual thread
        send(res, Status.OK_200, TEXT, ("slept " + ms + " ms").getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code value} as 0 to {@link #MAX_SLEEP_MS}, or -1 when it is not such a decimal integer. */
    static int sleepMillis(String value) {
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int ms = Integer.parseInt(value);
        return ms > MAX_SLEEP_MS ? -1 : ms;
    }

    private static void send(ServerResponse res, Status status, Header type, byte[] body) {
        res.status(status).header(type).header(SERVER).send(body); // sets Content-Length
    }
}
