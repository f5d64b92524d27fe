import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The markdown report: setup, one table per shape and repeat, and how the figures are taken. */
final class Report {

    private Report() {
    }

    static String report(Sweep sweep, Instant started, Instant finished) {
        StringBuilder md = new StringBuilder();
        DateTimeFormatter stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");
        md.append("# Benchmarks\n\n");
        md.append("Written by `bench/run.sh` (`bench/Sweep.java`")
                .append(sweep.invocation.isBlank() ? "" : ", arguments `" + sweep.invocation + "`")
                .append(") — every figure below comes from that one run; rerun it rather than editing this file.\n\n");
        md.append("Strand and its peers are measured one after the other in the same sweep, each with the same JVM "
                + "flags, the server pinned to core 0 and the load generator pinned to core 1, so each side has one "
                + "core and the figures are per-core efficiency. Ratios to the best peer of the same repeat matter "
                + "more than the absolute numbers.\n\n");

        md.append("## Setup\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| date | ").append(stamp.format(ZonedDateTime.ofInstant(started, ZoneOffset.UTC)))
                .append(" to ").append(stamp.format(ZonedDateTime.ofInstant(finished, ZoneOffset.UTC))).append(" |\n");
        md.append("| machine | ").append(machine()).append(" |\n");
        md.append("| kernel | ").append(Processes.capture(List.of("uname", "-sr"), 10).output().trim()).append(" |\n");
        md.append("| JDK | ").append(javaVersion(sweep)).append(" |\n");
        md.append("| JVM flags (every server) | `").append(String.join(" ", sweep.jvmFlags)).append("` |\n");
        md.append("| pinning | server `taskset -c 0`; wrk and ab `taskset -c 1` (the sweep itself runs on core 1 too) |\n");
        md.append("| wrk | ").append(toolVersion("wrk")).append(", `-t1 --timeout ").append(Sweep.WRK_TIMEOUT).append("` |\n");
        md.append("| ab | ").append(toolVersion("ab")).append(" |\n");
        md.append("| steps | ").append(sweep.duration).append(" s measured per step, after ").append(sweep.warmup)
                .append(" s warm-up per shape").append(sweep.quick ? " (`--quick`: a smoke run, not for quoting)" : "")
                .append(" |\n");
        md.append("| repeats | ").append(sweep.repeats.size()).append(" |\n");
        md.append("| shapes | ").append(sweep.shapes.describe()).append(" |\n");
        if (sweep.shapes.anyDatabase()) {
            DbReport.appendSetup(md, sweep);
        }
        md.append("| load average before the sweep | ").append(sweep.loadAtStart).append(" (other work on the machine shows here) |\n");
        md.append("| idle connections | ").append(sweep.idleCountReason).append(" |\n\n");

        md.append("| server | version | command (port varies) |\n|---|---|---|\n");
        for (String server : sweep.servers) {
            if (sweep.skipped.containsKey(server)) {
                md.append("| ").append(server).append(" | — | not run: ").append(sweep.skipped.get(server)).append(" |\n");
                continue;
            }
            String command = sweep.repeats.isEmpty() || sweep.repeats.getFirst().runs.get(server) == null ? ""
                    : sweep.repeats.getFirst().runs.get(server).command.replace(sweep.root.toString() + "/", "");
            Optional<String> dbRow = DbReport.commandRow(sweep, server, sweep.root);
            if (!command.isEmpty() || dbRow.isEmpty()) {
                md.append("| ").append(server).append(" | ").append(sweep.versions.getOrDefault(server, "?")).append(" | ")
                        .append(command.isEmpty() ? "not started" : "`" + command + "`").append(" |\n");
            }
            dbRow.ifPresent(md::append);
        }
        md.append('\n');

        if (!sweep.repeats.isEmpty()) {
            if (sweep.shapes.anyHttp()) {
                Verdicts.appendSummary(sweep, md);
            }
            if (sweep.shapes.anyDatabase()) {
                DbReport.appendSummary(md, sweep);
            }
            for (Repeat rep : sweep.repeats) {
                md.append("## Repeat ").append(rep.number).append(" of ").append(sweep.repeats.size()).append("\n\n");
                List<String> failures = new ArrayList<>();
                rep.runs.forEach((server, run) -> {
                    if (run.failure != null) {
                        failures.add("**" + server + "** failed: " + escape(run.failure));
                    }
                    if (run.stopNote != null) {
                        failures.add(server + " " + run.stopNote);
                    }
                    if (run.dbFailure != null) {
                        failures.add("**" + server + "** failed in the database shapes: " + escape(run.dbFailure));
                    }
                });
                if (!failures.isEmpty()) {
                    md.append("- ").append(String.join("\n- ", failures)).append("\n\n");
                }
                int n = 1;
                for (Shape shape : Shape.all(sweep)) {
                    if (sweep.shapes.has(shape.id())) {
                        appendTable(sweep, md, rep, shape, n++);
                    }
                }
            }
        }
        appendMethod(sweep, md);
        return md.toString();
    }


    static String machine() {
        int cpus = Runtime.getRuntime().availableProcessors();
        // --all: this process is pinned to one core, and plain nproc would count only that one.
        Processes.Captured all = Processes.capture(List.of("nproc", "--all"), 10);
        String nproc = all.exit() == 0 ? all.output().trim() : "";
        String model = "unknown CPU";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(model);
        } catch (IOException e) {
            // unknown
        }
        String mem = "";
        try {
            mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format(Locale.ROOT, ", %.1f GiB memory",
                            Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                    .findFirst().orElse("");
        } catch (IOException e) {
            // unknown
        }
        return (nproc.isEmpty() ? cpus : nproc) + " cores (`nproc --all`), " + model + mem;
    }

    static String javaVersion(Sweep sweep) {
        String v = Processes.capture(List.of(sweep.javaCmd, "-version"), 30).output().trim();
        return escape(v.lines().collect(Collectors.joining("; "))) + " (`" + sweep.javaCmd + "`)";
    }

    static String toolVersion(String tool) {
        String pkg = tool.equals("wrk") ? "wrk" : "apache2-utils";
        String deb = Processes.capture(List.of("dpkg-query", "-W", "-f=${Version}", pkg), 10).output().trim();
        String self = tool.equals("wrk") ? Processes.capture(List.of("wrk", "-v"), 10).output()
                : Processes.capture(List.of("ab", "-V"), 10).output();
        String first = self.lines().filter(l -> !l.isBlank()).findFirst().orElse("").trim();
        first = first.replaceAll("\\s*Copyright.*", "").replace("$Revision$", "").replaceAll("[<>]", "").trim();
        return escape(first) + (deb.isEmpty() || deb.contains("no packages") ? "" : " (Debian package " + pkg + " " + deb + ")");
    }

    static void appendTable(Sweep sweep, StringBuilder md, Repeat rep, Shape shape, int n) {
        md.append("### ").append(n).append(". ").append(shape.title()).append("\n\n");
        md.append(shape.description()).append(".\n\n");
        List<String> cols = new ArrayList<>(List.of("server"));
        switch (shape.id()) {
            case "json-latency" -> cols.addAll(List.of("p50 (ms)", "p99 (ms)", "req/s"));
            case "sleep" -> cols.addAll(List.of("req/s", "of ideal"));
            case "memory" -> cols.addAll(List.of("connections held", "RSS before (MiB)", "RSS after (MiB)",
                    "RSS growth (MiB)", "RSS KiB per connection", "live heap before → after (MiB)",
                    "live heap KiB per connection"));
            case "startup" -> cols.add("first response (ms)");
            case "ab" -> cols.addAll(List.of("mean, across concurrent (ms)", "mean per request (ms)", "req/s"));
            default -> cols.add("req/s");
        }
        boolean database = DatabaseShapes.isDatabase(shape.id());
        if (shape.generatorLoaded()) {
            cols.addAll(List.of("server CPU", "others on core 0", "load generator CPU"));
            if (database) {
                cols.addAll(DbReport.columns());
            }
            cols.add("saturated?");
        }
        cols.addAll(List.of("errors / correctness", "÷ best peer"));
        md.append("| ").append(String.join(" | ", cols)).append(" |\n");
        md.append("|").append("---|".repeat(cols.size())).append('\n');

        Optional<Best> best = bestPeer(rep, shape);
        for (var e : rep.runs.entrySet()) {
            String server = e.getKey();
            ServerRun run = e.getValue();
            if (database && !DatabaseShapes.takesPart(server)) {
                continue; // no database endpoints
            }
            Measurement m = run.measurements.get(shape.id());
            List<String> row = new ArrayList<>();
            boolean strand = server.equals("strand");
            row.add(strand ? "**strand**" : server);
            if (m == null) {
                int blanks = cols.size() - 1;
                for (int i = 0; i < blanks - 1; i++) {
                    row.add("—");
                }
                row.add(run.failure != null ? "not measured (server failed)" : "not measured");
                md.append("| ").append(String.join(" | ", row)).append(" |\n");
                continue;
            }
            if (m.notServed) {
                int blanks = cols.size() - 1;
                for (int i = 0; i < blanks - 2; i++) {
                    row.add("—");
                }
                row.add("not served (404)");
                row.add("—");
                md.append("| ").append(String.join(" | ", row)).append(" |\n");
                continue;
            }
            Map<String, Double> v = m.values;
            switch (shape.id()) {
                case "json-latency" -> {
                    row.add(num(v.get("p50"), 3));
                    row.add(num(v.get("p99"), 3));
                    row.add(num(v.get("rps"), 0));
                }
                case "sleep" -> {
                    row.add(num(v.get("rps"), 0));
                    row.add(v.get("ideal%") == null ? "—" : num(v.get("ideal%"), 1) + " %");
                }
                case "memory" -> {
                    row.add(num(v.get("held"), 0));
                    row.add(num(v.get("beforeMiB"), 1));
                    row.add(num(v.get("afterMiB"), 1));
                    row.add(num(v.get("deltaMiB"), 1));
                    row.add(num(v.get("perConnKiB"), 2));
                    row.add(v.get("heapBeforeMiB") == null ? "—"
                            : num(v.get("heapBeforeMiB"), 1) + " → " + num(v.get("heapAfterMiB"), 1));
                    row.add(num(v.get("heapPerConnKiB"), 2));
                }
                case "startup" -> row.add(num(v.get("ms"), 0) + (v.get("minMs") == null ? ""
                        : " (" + num(v.get("minMs"), 0) + "–" + num(v.get("maxMs"), 0) + ")"));
                case "ab" -> {
                    row.add(num(v.get("meanAcross"), 3));
                    row.add(num(v.get("mean"), 3));
                    row.add(num(v.get("rps"), 0));
                }
                default -> row.add(num(v.get("rps"), 0));
            }
            if (shape.generatorLoaded()) {
                row.add(Double.isNaN(m.serverCpu) ? "—" : String.format(Locale.ROOT, "%.0f %%", 100 * m.serverCpu));
                row.add(Double.isNaN(m.otherCpu) ? "—" : String.format(Locale.ROOT, m.noisy() ? "**%.0f %%**" : "%.0f %%",
                        100 * m.otherCpu));
                row.add(Double.isNaN(m.generatorCpu) ? "—" : String.format(Locale.ROOT, "%.0f %%", 100 * m.generatorCpu));
                if (database) {
                    DbReport.addCells(row, m);
                }
                row.add(Double.isNaN(m.generatorCpu) ? "—" : m.saturated() ? "**yes** — lower bound" : "no");
            }
            row.add(m.problems.isEmpty() ? "none" : "**does not count**: " + escape(String.join("; ", m.problems)));
            Double figure = v.get(shape.key());
            if (best.isEmpty() || figure == null || !m.counts(shape.key()) || best.get().value <= 0) {
                row.add("—");
            } else {
                double ratio = figure / best.get().value;
                row.add((strand ? "**" : "") + String.format(Locale.ROOT, "%.2f×", ratio) + (strand ? "**" : ""));
            }
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append('\n');
        Optional<Measurement> s = rep.get("strand", shape.id());
        if (best.isPresent() && best.get().value <= 0 && s.isPresent() && s.get().counts(shape.key())) {
            md.append(String.format(Locale.ROOT, "The best peer's figure (%s, %s %s) is not above zero: no ratio; Strand's is %s %s.\n\n",
                    best.get().server, num(best.get().value, shape.decimals()), shape.unit(),
                    num(s.get().values.get(shape.key()), shape.decimals()), shape.unit()));
        } else if (best.isPresent() && s.isPresent() && s.get().counts(shape.key())) {
            double ratio = s.get().values.get(shape.key()) / best.get().value;
            md.append(String.format(Locale.ROOT, "Strand ÷ best peer (%s, %s %s): **%.2f×** (%s is better).",
                    best.get().server, num(best.get().value, shape.decimals()), shape.unit(), ratio,
                    shape.higherBetter() ? "higher" : "lower"));
            List<String> lowerBounds = new ArrayList<>();
            if (s.get().saturated()) {
                lowerBounds.add("Strand's");
            }
            if (best.get().measurement.saturated()) {
                lowerBounds.add(best.get().server + "'s");
            }
            if (!lowerBounds.isEmpty()) {
                md.append(" The load generator was saturated while measuring ").append(String.join(" and ", lowerBounds))
                        .append(" figure: that figure is a bound (the server could do at least that well), "
                                + "so the ratio is only indicative.");
            }
            md.append("\n\n");
        } else if (s.isPresent() && best.isEmpty() && rep.runs.size() > 1) {
            md.append("No peer figure counts in this repeat: no ratio.\n\n");
        }
        if (database) {
            DbReport.appendRatios(md, rep, shape);
        }
    }

    record Best(String server, double value, Measurement measurement) {
    }

    static Optional<Best> bestPeer(Repeat rep, Shape shape) {
        Best best = null;
        for (var e : rep.runs.entrySet()) {
            if (e.getKey().equals("strand")) {
                continue;
            }
            Measurement m = e.getValue().measurements.get(shape.id());
            if (m == null || !m.counts(shape.key())) {
                continue;
            }
            double v = m.values.get(shape.key());
            if (best == null || (shape.higherBetter() ? v > best.value : v < best.value)) {
                best = new Best(e.getKey(), v, m);
            }
        }
        return Optional.ofNullable(best);
    }

    static void appendMethod(Sweep sweep, StringBuilder md) {
        md.append("## How the figures are taken\n\n");
        md.append("- Each server runs alone: started, checked, warmed up, measured, then stopped (SIGTERM, "
                + "killed after 15 s) before the next one starts.\n");
        md.append("- **Correctness first.** Before any load: `GET /plaintext` must answer 200 with exactly `")
                .append(Sweep.PLAINTEXT_BODY).append("` and `GET /json` exactly `").append(Sweep.JSON_BODY)
                .append("`, each with `Server`, a valid `Date`, `Content-Type` (`text/plain…`, `application/json…`) "
                        + "and a `Content-Length` equal to the body's length; 16 requests pipelined in one write must "
                        + "get 16 such responses in order; `Date` must change across 1.1 s; an HTTP/1.0 request with `Connection: Keep-Alive` (what `ab -k` sends) must get a correct reply that either says keep-alive or closes the connection, else `ab` would hang and is not run. After every step, one "
                        + "fresh request is checked again. A figure counts only if these checks pass and the load "
                        + "generator saw no errors (wrk: socket errors or non-2xx/3xx responses; ab: failed or "
                        + "non-2xx requests); otherwise the table says **does not count** and why. wrk itself does "
                        + "not check bodies: the checks around each step stand in for that.\n");
        md.append("- **Warm-up**: ").append(sweep.warmup).append(" s of each measured wrk shape before the first measured step.\n");
        md.append("- **Load generator CPU** is wrk's (or ab's) user+system time over the step's wall time, read "
                + "from `/proc`; at ≥ ").append(Math.round(Sweep.SATURATED * 100))
                .append(" % of its core it is *saturated*, and the server's figure is a lower bound. "
                        + "**Server CPU** is the server process's share of its core over the same time; **others on "
                        + "core 0** is the rest of core 0's busy time (user, nice, system and steal in `/proc/stat`): "
                        + "other processes or the hypervisor taking the server's core, which makes a figure noisy.\n");
        md.append("- **Memory**: the server's `VmRSS` from `/proc/<pid>/status`, read 1 s after the `ab` step and a "
                + "full GC, then again after opening the idle connections (a window of 256 connecting at a time; each sends one "
                + "`GET /plaintext`, reads the whole reply and then stays open) and waiting ")
                .append(sweep.quick ? "1 s" : "2 s").append(" and another full GC. The connections are held by the sweep's own process "
                        + "(Java NIO). Count: ").append(sweep.idleCountReason).append(". The report also checks that the "
                        + "server had not closed any of them when RSS was read. The heap is sized by `-Xms` but not "
                        + "pre-touched, so heap growth shows in RSS as well as native memory; the full GC "
                        + "(`jcmd <pid> GC.run`) before each reading moves live objects into the old generation, so "
                        + "connection state that would sit in an already-touched young generation still shows. RSS can "
                        + "also shrink (freed native memory), which makes small figures noisy. The table also gives the "
                        + "**live heap** after each of those GCs (`jstat -gc`: used survivor, eden and old space); it "
                        + "misses native memory (direct buffers), which RSS catches. The bar uses RSS, as the issue "
                        + "defines it.\n");
        md.append("- **Time to first response** runs from just before the process is spawned (`taskset -c 0 java …`) "
                + "to the first correct `/plaintext` reply, so it includes JVM start-up.\n");
        if (sweep.shapes.anyDatabase()) {
            DbReport.appendMethod(md, sweep);
        }
        md.append("- The `÷ best peer` column divides each server's figure by the best peer's figure in the same "
                + "table (for latency, memory, start-up and ab lower is better, so there Strand wants ≤ 1.00×).\n");
    }

    static String num(Double v, int decimals) {
        if (v == null || v.isNaN()) {
            return "—";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    static String escape(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
