package dev.strand.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strand.admission.QosLevel;
import dev.strand.http.HttpServer;
import dev.strand.jdbc.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's QoS level is switched at run time by {@code POST /admin/qos} and by signals, and the
 * database routes follow it: halved at slow, one at a time per tenant at crawl, held at paused until
 * the level comes back.
 */
class QosLevelFollowsTheAdminRouteAndSignalsTest {

    private static final int PERMITS = 4;

    private Database db;
    private DemoAdmission admission;
    private HttpServer server;
    private HttpClient client;

    @BeforeEach
    void start() {
        Backend.H2.seed();
        db = Backend.H2.settings(4).open();
        admission = new DemoAdmission(PERMITS);
        server = DemoApp.server(0, db, admission).start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        admission.qos().level(QosLevel.NORMAL);
        client.close();
        server.close();
        db.close();
    }

    private HttpResponse<String> send(String method, String target) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + target))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
        return client.send(request, BodyHandlers.ofString());
    }

    private int anonymousLimit() {
        return admission.status().tenants().get("anonymous").limit();
    }

    @Test
    void theAdminRouteSetsAndShowsTheLevel() throws Exception {
        assertEquals(200, send("GET", "/db").statusCode()); // the anonymous tenant's limit exists now
        HttpResponse<String> shown = send("GET", "/admin/qos");
        assertEquals(200, shown.statusCode());
        assertTrue(shown.body().contains("\"level\":\"NORMAL\""), shown.body());
        assertEquals(PERMITS, anonymousLimit());

        HttpResponse<String> slow = send("POST", "/admin/qos?level=slow");
        assertEquals(200, slow.statusCode());
        assertTrue(slow.body().contains("\"level\":\"SLOW\""), slow.body());
        assertEquals(PERMITS / 2, anonymousLimit(), "slow halves the limit");

        assertEquals(200, send("POST", "/admin/qos?level=CRAWL").statusCode());
        assertEquals(1, anonymousLimit(), "crawl: one at a time per tenant");

        HttpResponse<String> bad = send("POST", "/admin/qos?level=fast");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("normal, slow, crawl or paused"), bad.body());
        assertEquals(400, send("POST", "/admin/qos").statusCode());
        assertEquals(QosLevel.CRAWL, admission.qos().level(), "a bad request changes nothing");
    }

    @Test
    void pausedHoldsDatabaseRequestsUntilTheLevelComesBack() throws Exception {
        assertEquals(200, send("POST", "/admin/qos?level=paused").statusCode());
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/queries?queries=3")).timeout(Duration.ofSeconds(30)).build(),
                BodyHandlers.ofString());
        await(() -> admission.status().database().queued() == 1, "the request queued");
        assertEquals(1, admission.status().database().queued(), "the request waits in the queue");
        assertTrue(!held.isDone(), "and is not answered");
        assertEquals(200, send("GET", "/plaintext").statusCode(), "other routes are served meanwhile");
        assertEquals(200, send("POST", "/admin/qos?level=normal").statusCode(), "the admin route is not held");
        HttpResponse<String> answered = held.get(10, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode());
        assertEquals(3, HttpAssertions.rows(answered.body()).size());
    }

    @Test
    void signalsStepTheLevel() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "signals are sent with kill(1) on Linux");
        assertTrue(admission.handleSignals(System.out), "the JVM lets the demo handle TTIN and TTOU");
        signal("TTOU");
        awaitLevel(QosLevel.SLOW);
        signal("TTOU");
        awaitLevel(QosLevel.CRAWL);
        signal("TTIN");
        awaitLevel(QosLevel.SLOW);
        signal("TTIN");
        awaitLevel(QosLevel.NORMAL);
    }

    private static void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(ProcessHandle.current().pid())).inheritIO().start();
        assertTrue(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name);
    }

    private void awaitLevel(QosLevel level) {
        await(() -> admission.qos().level() == level, "level " + level);
    }

    /** Returns once {@code condition} holds; fails after 5 s without it. */
    private static void await(java.util.function.BooleanSupplier condition, String what) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "not within 5 s: " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
