import java.io.IOException;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The JMH section of the report: the microbenchmarks' CSV as a table, put into (or after) the report. */
final class JmhReport {

    private JmhReport() {
    }

    static final String JMH_HEADING = "## Microbenchmarks (JMH)";

    /**
     * Puts the JMH results into the report: in place of an earlier JMH section, else at its end; a
     * report that does not exist yet gets a short header first.
     */
    static void putJmhSection(Sweep sweep) throws IOException {
        StringBuilder section = new StringBuilder();
        appendJmh(sweep, section);
        String text;
        if (Files.exists(sweep.out)) {
            String old = Files.readString(sweep.out);
            int at = old.indexOf(JMH_HEADING);
            if (at >= 0) {
                int next = old.indexOf("\n## ", at + JMH_HEADING.length());
                text = old.substring(0, at) + section + (next < 0 ? "" : old.substring(next + 1));
            } else {
                text = old + (old.endsWith("\n\n") ? "" : old.endsWith("\n") ? "\n" : "\n\n") + section;
            }
        } else {
            text = "# Benchmarks\n\nWritten by `bench/run.sh`; only the JMH microbenchmarks were run.\n\n" + section;
        }
        if (sweep.out.getParent() != null) {
            Files.createDirectories(sweep.out.getParent());
        }
        Files.writeString(sweep.out, text);
        Sweep.log("wrote the JMH results into %s", sweep.out);
    }

    static void appendJmh(Sweep sweep, StringBuilder md) {
        md.append(JMH_HEADING).append("\n\n");
        md.append("Run ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
                        .format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append(" on ").append(Report.machine()).append(", with ").append(Report.javaVersion(sweep)).append(".");
        if (!sweep.jmhCommand.isBlank()) {
            md.append(" Command: `").append(sweep.jmhCommand).append("`.");
        }
        md.append(" Brief runs, not pinned to a core (the hand-off benchmarks need two threads), on a machine that "
                + "may be doing other work (load average before: ").append(ProcStats.loadAverage())
                .append("): for spotting regressions and comparing changes, not for quoting. All are average "
                        + "times per operation; lower is better.\n\n");
        md.append("- `ParserBenchmark`: `Http1Parser`, one reused parser: `browserGet` a browser-like GET with "
                + "eight header fields; `pipelined16` per request, sixteen pipelined plaintext requests in one buffer.\n");
        md.append("- `ResponseWriterBenchmark`: `Http1Connection.encodeHead` on an unstarted connection (`head`), and "
                + "the whole small response `respond` builds from it (`plaintextResponse`, `jsonResponse`: head, "
                + "`Content-Length`, body into one buffer; no queueing or socket write); `dateLine` the per-call "
                + "`Date` check.\n");
        md.append("- `TaskHandOffBenchmark`: `EventLoop.execute` from another thread, one task and the wait for it "
                + "(`executeRoundTrip`, including waking a loop asleep in `select`) or per task in a batch of 1,000 "
                + "(`executeBatch`); per call on the loop itself, `schedule` (runs at once: `scheduleOnLoop`) and "
                + "`execute` (queued for the turn: `executeOnLoop`).\n");
        md.append("- `PoolBenchmark`: Strand's `Pool` against HikariCP 7 over the same stub `DataSource`, per "
                + "acquire-and-return of 100,000 shared by 1,000 or 10,000 virtual threads contending for 8 or 50 "
                + "connections, each held for CPU work (`cpu`) or a 100 µs park like a query (`park`); its "
                + "secondary results `waitP50Micros`, `waitP99Micros`, `waitMaxMicros` are the spread of the "
                + "single waits, in µs.\n\n");
        List<String> lines;
        try {
            lines = Files.readAllLines(sweep.jmhCsv);
        } catch (IOException e) {
            md.append("No results: cannot read ").append(sweep.jmhCsv).append(": ").append(e.getMessage()).append("\n\n");
            return;
        }
        if (lines.size() < 2) {
            md.append("No results in ").append(sweep.jmhCsv).append(".\n\n");
            return;
        }
        List<String> header = csv(lines.getFirst());
        int bench = header.indexOf("Benchmark");
        int mode = header.indexOf("Mode");
        int score = header.indexOf("Score");
        int error = header.indexOf("Score Error (99.9%)");
        int unit = header.indexOf("Unit");
        int samples = header.indexOf("Samples");
        List<Integer> params = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).startsWith("Param: ")) {
                params.add(i);
            }
        }
        md.append("| benchmark | mode | score | ± error (99.9 %) | unit | samples |");
        for (int p : params) {
            md.append(' ').append(header.get(p).substring("Param: ".length())).append(" |");
        }
        md.append("\n|---|---|---|---|---|---|").append("---|".repeat(params.size())).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = csv(line);
            String name = f.get(bench).replaceFirst("^dev\\.strand\\.(http|reactor|pool)\\.", "");
            md.append("| ").append(name).append(" | ").append(f.get(mode)).append(" | ")
                    .append(jmhNum(f.get(score))).append(" | ").append(jmhNum(f.get(error))).append(" | ")
                    .append(f.get(unit)).append(" | ").append(f.get(samples)).append(" |");
            for (int p : params) {
                md.append(' ').append(p < f.size() ? f.get(p) : "").append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    static String jmhNum(String s) {
        try {
            double v = Double.parseDouble(s);
            if (Double.isNaN(v)) {
                return "—";
            }
            return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3f", v);
        } catch (NumberFormatException e) {
            return s;
        }
    }

    static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
