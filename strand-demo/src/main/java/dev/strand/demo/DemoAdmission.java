package dev.strand.demo;

import dev.strand.admission.FixedLimit;
import dev.strand.admission.LimitStats;
import dev.strand.admission.PartitionedLimit;
import dev.strand.admission.QosLevel;
import dev.strand.admission.QosSwitch;
import dev.strand.http.HttpException;
import dev.strand.http.Request;
import dev.strand.http.Response;
import dev.strand.http.RouteOptions;
import dev.strand.http.Routing;
import dev.strand.reactor.Deadline;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The demo's admission control: the database routes are admitted under a limit per tenant (the
 * {@value #TENANT_HEADER} header; {@code anonymous} without it), all following one {@link QosSwitch}
 * that an operator turns at run time:
 *
 * <ul>
 *   <li>{@code GET /admin/qos}: the level and the database limit's figures, as JSON;</li>
 *   <li>{@code POST /admin/qos?level=normal|slow|crawl|paused}: sets the level;</li>
 *   <li>signals: {@code SIGTTOU} one level slower, {@code SIGTTIN} one level faster (as Puma uses
 *       them for fewer or more threads): {@code kill -TTOU <pid>}.</li>
 * </ul>
 *
 * <p>The admin routes answer clients on the loopback interface only (403 otherwise): the demo has
 * no authentication. Thread-safe.
 */
public final class DemoAdmission {

    /** The header that names a request's tenant. */
    public static final String TENANT_HEADER = "X-Tenant";
    /** Tenants past this many share one overflow partition. */
    static final int MAX_TENANTS = 64;
    /** How many queued database requests a tenant may have; the benchmarks' 512 connections fit. */
    static final int QUEUE = 4_096;

    private final QosSwitch qos = QosSwitch.create();
    private final PartitionedLimit database;

    /**
     * Admission with {@code permits} database requests at once per tenant: twice the connection
     * pool is a good figure (a request holds one connection at a time, and while one waits for its
     * next statement another uses the connection).
     *
     * @throws IllegalArgumentException when {@code permits} is less than one
     */
    public DemoAdmission(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1: " + permits);
        }
        database = PartitionedLimit.builder(tenant -> FixedLimit.builder().name("database, tenant " + tenant)
                        .permits(permits).queueLength(QUEUE).queueTimeout(Duration.ofSeconds(5)).qos(qos).build())
                .name("database").maxPartitions(MAX_TENANTS).build();
    }

    /** The switch the database limits follow. */
    public QosSwitch qos() {
        return qos;
    }

    /**
     * The options of a database route: its deadline, its tenant, the database limit, and a wait
     * until {@code tablesReady} (at most the deadline: then a 503).
     */
    RouteOptions databaseRoute(Duration deadline, CompletableFuture<?> tablesReady) {
        RouteOptions.Builder options = RouteOptions.builder()
                .deadline(deadline)
                .partition(req -> req.header(TENANT_HEADER).orElse("anonymous"))
                .limit(database);
        if (!tablesReady.isDone() || tablesReady.isCompletedExceptionally()) {
            options.before((req, res) -> awaitTables(tablesReady));
        }
        return options.build();
    }

    /** Parks the request's fiber until the tables are ready, within its deadline. */
    private static void awaitTables(CompletableFuture<?> tablesReady) throws InterruptedException {
        if (tablesReady.isDone() && !tablesReady.isCompletedExceptionally()) {
            return;
        }
        long nanos = Deadline.current().map(d -> d.remaining().toNanos()).orElse(Long.MAX_VALUE);
        try {
            tablesReady.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new HttpException(503, "the database is still being prepared");
        } catch (ExecutionException e) {
            throw new HttpException(503, "the database could not be prepared");
        }
    }

    /** Declares {@code GET} and {@code POST /admin/qos}. */
    void adminRoutes(Routing routing) {
        routing.get("/admin/qos", this::show).post("/admin/qos", this::set);
    }

    private void show(Request req, Response res) {
        localOnly(req);
        res.json(status());
    }

    private void set(Request req, Response res) {
        localOnly(req);
        String asked = req.query("level").orElseThrow(() -> new HttpException(400,
                "level is required: POST /admin/qos?level=normal|slow|crawl|paused"));
        QosLevel level;
        try {
            level = QosLevel.valueOf(asked.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new HttpException(400, "level must be normal, slow, crawl or paused, not '" + asked + "'");
        }
        qos.level(level);
        res.json(status());
    }

    /** What {@code GET /admin/qos} answers. */
    record Status(String level, LimitStats database, Map<String, LimitStats> tenants) {
    }

    Status status() {
        return new Status(qos.level().name(), database.stats(), database.partitions());
    }

    private static void localOnly(Request req) {
        if (!req.remoteAddress().getAddress().isLoopbackAddress()) {
            throw new HttpException(403, "the admin routes answer local clients only");
        }
    }

    /**
     * Turns the level one step on {@code SIGTTOU} (slower) and {@code SIGTTIN} (faster), printing
     * each change to {@code out}. Returns false, having printed why to {@code out}, where the JVM
     * does not let the demo handle them.
     */
    boolean handleSignals(PrintStream out) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TTOU"), signal -> step(qos.level().slower(), out));
            sun.misc.Signal.handle(new sun.misc.Signal("TTIN"), signal -> step(qos.level().faster(), out));
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            out.println("QoS signals not available here (" + e.getMessage() + "); use POST /admin/qos");
            return false;
        }
    }

    private void step(QosLevel level, PrintStream out) {
        QosLevel old = qos.level(level);
        out.println("QoS level " + old + " -> " + level);
    }
}
