import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How one shape is reported: its key figure and which way is better. */
record Shape(String id, String title, String description, String key, String unit, boolean higherBetter,
             boolean generatorLoaded) {

    int decimals() {
        return switch (key) {
            case "rps", "ms" -> 0;
            case "perConnKiB" -> 2;
            default -> 3;
        };
    }

    /** Every shape, in report order: the HTTP ones, then the database ones. */
    static List<Shape> all(Sweep sweep) {
        List<Shape> all = new ArrayList<>(http(sweep));
        all.addAll(DatabaseShapes.shapes());
        return all;
    }

    static List<Shape> http(Sweep sweep) {
        return List.of(
                new Shape("plaintext-pipelined", "Plaintext, pipelined",
                        "`GET /plaintext`, " + Sweep.CONNS + " connections, pipelined " + Sweep.PIPELINE_DEPTH
                                + " deep (`wrk -t1 -c" + Sweep.CONNS + " -s pipeline.lua … -- " + Sweep.PIPELINE_DEPTH + "`)",
                        "rps", "req/s", true, true),
                new Shape("json", "JSON",
                        "`GET /json`, " + Sweep.CONNS + " connections, no pipelining (`wrk -t1 -c" + Sweep.CONNS + "`)",
                        "rps", "req/s", true, true),
                new Shape("json-pipelined", "JSON, pipelined",
                        "`GET /json`, " + Sweep.CONNS + " connections, pipelined " + Sweep.PIPELINE_DEPTH + " deep",
                        "rps", "req/s", true, true),
                new Shape("json-latency", "JSON latency at " + Sweep.LATENCY_CONNS + " connections",
                        "`GET /json`, " + Sweep.LATENCY_CONNS + " connections (`wrk -t1 -c" + Sweep.LATENCY_CONNS
                                + " --latency`); the figure is p99",
                        "p99", "ms", false, true),
                new Shape("json-latency-paced", "JSON latency at " + Sweep.LATENCY_CONNS + " paced connections",
                        "`GET /json`, " + Sweep.LATENCY_CONNS + " connections, each pausing " + Sweep.LATENCY_PAUSE_MS
                                + " ms after each response (`wrk -t1 -c" + Sweep.LATENCY_CONNS + " --latency -s paced.lua … -- "
                                + Sweep.LATENCY_PAUSE_MS + "`): far below capacity, so neither the server nor wrk queues;"
                                + " the figure is p99",
                        "p99", "ms", false, true),
                new Shape("sleep", "Sleep " + sweep.sleepMs + " ms at " + String.format(Locale.ROOT, "%,d", sweep.sleepConns) + " connections",
                        String.format(Locale.ROOT, "`GET /sleep?ms=%d`, %,d connections; ideal is connections ÷ sleep = %,.0f req/s",
                                sweep.sleepMs, sweep.sleepConns, sweep.idealSleepRps()),
                        "rps", "req/s", true, true),
                new Shape("memory", "Idle keep-alive connections: memory",
                        "the server's RSS (VmRSS) before and after opening idle keep-alive connections, each after one "
                                + "`GET /plaintext`; the figure is the growth per connection",
                        "perConnKiB", "KiB/conn", false, false),
                new Shape("startup", "Time to first response",
                        "from starting the server process to the first correct `GET /plaintext` response "
                                + "(polling with a raw socket every 0.2 ms); the median of " + Processes.STARTS + " starts",
                        "ms", "ms", false, false),
                new Shape("ab", "ab: mean time per request",
                        "`ab -k -c " + Sweep.AB_CONCURRENCY + " -n " + Sweep.AB_REQUESTS + "` on `/plaintext`; the figure is "
                                + "\"Time per request (mean, across all concurrent requests)\"",
                        "meanAcross", "ms", false, true));
    }

    static Shape byId(Sweep sweep, String id) {
        return all(sweep).stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }
}
