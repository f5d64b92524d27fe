import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** wrk and ab: their command lines, running them pinned to core 1, and reading their output. */
final class LoadGenerators {

    private LoadGenerators() {
    }

    record WrkResult(Map<String, Double> values, List<String> errors, double generatorCpu, double serverCpu,
                     double otherCpu, String raw) {
    }

    static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([\\d.]+)(\\w+),");

    static WrkResult wrk(Sweep sweep, ServerRun run, String url, int conns, int seconds, boolean pipelined, boolean latency) {
        return wrk(sweep, run, url, conns, seconds, pipelined, latency, 0);
    }

    /** With {@code pauseMillis} > 0, each connection waits that long after each response (paced.lua). */
    static WrkResult wrk(Sweep sweep, ServerRun run, String url, int conns, int seconds, boolean pipelined, boolean latency,
                         int pauseMillis) {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", "1", "wrk", "-t1", "-c" + conns,
                "-d" + seconds + "s", "--timeout", Sweep.WRK_TIMEOUT));
        if (latency) {
            cmd.add("--latency");
        }
        if (pipelined || pauseMillis > 0) {
            cmd.add("-s");
            cmd.add(sweep.root.resolve(pipelined ? "bench/pipeline.lua" : "bench/paced.lua").toString());
        }
        cmd.add(url);
        if (pipelined || pauseMillis > 0) {
            cmd.add("--");
            cmd.add(Integer.toString(pipelined ? Sweep.PIPELINE_DEPTH : pauseMillis));
        }
        ProcStats.CoreSample before = ProcStats.CoreSample.take(run.process.pid());
        Processes.Captured c = Processes.capture(cmd, seconds + 60);
        ProcStats.CoreSample after = ProcStats.CoreSample.take(run.process.pid());
        keep(sweep, run, cmd, c);
        Map<String, Double> values = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        String o = c.output();
        if (c.exit() != 0) {
            errors.add("wrk exited with " + c.exit() + ": " + Sweep.firstLines(o, 3));
        }
        Matcher m = RPS.matcher(o);
        if (m.find()) {
            values.put("rps", Double.parseDouble(m.group(1)));
        } else {
            errors.add("no Requests/sec in wrk's output");
        }
        m = SOCKET_ERRORS.matcher(o);
        if (m.find()) {
            errors.add("socket errors: connect " + m.group(1) + ", read " + m.group(2) + ", write " + m.group(3)
                    + ", timeout " + m.group(4));
        }
        m = NON_2XX.matcher(o);
        if (m.find() && Long.parseLong(m.group(1)) > 0) {
            errors.add(m.group(1) + " non-2xx/3xx responses");
        }
        m = TOTAL.matcher(o);
        if (m.find()) {
            values.put("requests", Double.parseDouble(m.group(1)));
        }
        if (latency) {
            for (String pct : List.of("50", "99")) {
                Matcher l = Pattern.compile("\\n\\s+" + pct + "%\\s+([\\d.]+)(us|ms|s)\\b").matcher(o);
                if (l.find()) {
                    values.put("p" + pct, toMillis(Double.parseDouble(l.group(1)), l.group(2)));
                } else {
                    errors.add("no " + pct + "% latency in wrk's output");
                }
            }
        }
        double wall = c.wallNanos() / 1e9;
        double genCpu = Math.min(1.0, c.childTicks() / (double) sweep.clockTicks / wall);
        return new WrkResult(values, errors, genCpu, before.serverShare(after, wall, sweep.clockTicks),
                before.otherShare(after, wall, sweep.clockTicks), o);
    }

    /** Appends a load run's command and output to the server's load log, next to its own log. */
    static void keep(Sweep sweep, ServerRun run, List<String> cmd, Processes.Captured c) {
        String entry = String.format(Locale.ROOT, "$ %s%n(exit %d, %.2f s wall, %.2f s CPU)%n%s%n",
                String.join(" ", cmd), c.exit(), c.wallNanos() / 1e9, c.childTicks() / (double) sweep.clockTicks, c.output());
        try {
            Files.writeString(sweep.logs.resolve(run.server + "-" + run.port + "-load.txt"), entry,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            Sweep.log("cannot write the load log: %s", e.getMessage());
        }
    }

    static double toMillis(double v, String unit) {
        return switch (unit) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    static void ab(Sweep sweep, ServerRun run, String url) {
        Measurement m = run.add("ab");
        m.problems.addAll(run.plaintextProblems);
        if (!run.abProblems.isEmpty()) {
            m.problems.addAll(run.abProblems);
            m.problems.add("ab not run: it would wait for its 30 s timeout");
            Sweep.log("%s: %-20s %s", run.server, "ab", m.summary());
            return;
        }
        List<String> cmd = List.of("taskset", "-c", "1", "ab", "-k", "-c", Integer.toString(Sweep.AB_CONCURRENCY),
                "-n", Integer.toString(Sweep.AB_REQUESTS), url);
        ProcStats.CoreSample before = ProcStats.CoreSample.take(run.process.pid());
        Processes.Captured c = Processes.capture(cmd, 120);
        ProcStats.CoreSample after = ProcStats.CoreSample.take(run.process.pid());
        keep(sweep, run, cmd, c);
        String o = c.output();
        m.raw = o;
        if (c.exit() != 0) {
            m.problems.add("ab exited with " + c.exit() + ": " + Sweep.lastLines(o, 2));
        }
        Matcher x = Pattern.compile("Time per request:\\s+([\\d.]+) \\[ms\\] \\(mean\\)").matcher(o);
        if (x.find()) {
            m.values.put("mean", Double.parseDouble(x.group(1)));
        } else {
            m.problems.add("no mean time per request in ab's output");
        }
        x = Pattern.compile("Time per request:\\s+([\\d.]+) \\[ms\\] \\(mean, across all concurrent requests\\)").matcher(o);
        if (x.find()) {
            m.values.put("meanAcross", Double.parseDouble(x.group(1)));
        } else {
            m.problems.add("no mean time across concurrent requests in ab's output");
        }
        x = Pattern.compile("Requests per second:\\s+([\\d.]+)").matcher(o);
        if (x.find()) {
            m.values.put("rps", Double.parseDouble(x.group(1)));
        }
        x = Pattern.compile("Complete requests:\\s+(\\d+)").matcher(o);
        if (x.find() && Integer.parseInt(x.group(1)) != Sweep.AB_REQUESTS) {
            m.problems.add("only " + x.group(1) + " of " + Sweep.AB_REQUESTS + " requests completed");
        }
        x = Pattern.compile("Failed requests:\\s+(\\d+)").matcher(o);
        if (x.find() && Integer.parseInt(x.group(1)) > 0) {
            m.problems.add(x.group(1) + " failed requests");
        }
        x = Pattern.compile("Non-2xx responses:\\s+(\\d+)").matcher(o);
        if (x.find() && Integer.parseInt(x.group(1)) > 0) {
            m.problems.add(x.group(1) + " non-2xx responses");
        }
        x = Pattern.compile("Keep-Alive requests:\\s+(\\d+)").matcher(o);
        if (x.find()) {
            m.values.put("keepAlive", Double.parseDouble(x.group(1)));
        }
        double wall = c.wallNanos() / 1e9;
        m.generatorCpu = Math.min(1.0, c.childTicks() / (double) sweep.clockTicks / wall);
        m.serverCpu = before.serverShare(after, wall, sweep.clockTicks);
        m.otherCpu = before.otherShare(after, wall, sweep.clockTicks);
        for (String problem : HttpChecks.checkEndpoint(run.port, "/plaintext", Sweep.PLAINTEXT_BODY, "text/plain")) {
            m.problems.add("after the step: " + problem);
        }
        Sweep.log("%s: %-20s %s", run.server, "ab", m.summary());
    }
}
