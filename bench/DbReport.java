import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarFile;

/**
 * The database shapes in the report: setup rows, extra columns (PostgreSQL's CPU, the busy share of
 * the core it shares with wrk), Strand's ratios to each database peer, a summary of those ratios,
 * and how the figures were taken.
 */
final class DbReport {

    private DbReport() {
    }

    /** Rows of the setup table. */
    static void appendSetup(StringBuilder md, Sweep sweep) {
        md.append("| database | ").append(Report.escape(sweep.postgresVersion)).append(", `").append(sweep.postgres.url)
                .append("`, seeded by `bench/seed-db.sh` (TechEmpower's `World` and `Fortune`)")
                .append(sweep.databaseProblem == null ? "" : "; **not usable**: " + Report.escape(sweep.databaseProblem))
                .append(" |\n");
        md.append("| database pool | `--db-pool ").append(sweep.dbPool).append("`: the most connections each server keeps to "
                + "PostgreSQL (Vert.x: shared out among its event loops, pipelined up to 256 statements per connection) |\n");
        md.append("| database pinning | during each server's database shapes, PostgreSQL's postmaster and every process "
                + "under it pinned to core ").append(DatabaseShapes.POSTGRES_CORE).append(" (`taskset -a -p -c ")
                .append(DatabaseShapes.POSTGRES_CORE).append("`; new backends inherit it), with wrk, and put back after")
                .append(pinProblems(sweep)).append(" |\n");
    }

    private static String pinProblems(Sweep sweep) {
        List<String> problems = new ArrayList<>();
        for (Repeat rep : sweep.repeats) {
            rep.runs.forEach((server, run) -> run.pinProblems.forEach(p -> problems.add(server + ": " + p)));
        }
        return problems.isEmpty() ? "" : "; **pinning failed**: " + Report.escape(String.join("; ", problems.stream().distinct().toList()));
    }

    /** The database shapes' start line of a server, with the drivers its jar carries. */
    static Optional<String> commandRow(Sweep sweep, String server, Path root) {
        if (sweep.repeats.isEmpty()) {
            return Optional.empty();
        }
        ServerRun run = sweep.repeats.getFirst().runs.get(server);
        if (run == null || run.dbCommand.isEmpty()) {
            return Optional.empty();
        }
        String drivers = drivers(sweep, server);
        return Optional.of("| " + server + " (database shapes) | " + sweep.versions.getOrDefault(server, "?")
                + (drivers.isEmpty() ? "" : "; " + drivers) + " | `"
                + run.dbCommand.replace(root.toString() + "/", "") + "` |\n");
    }

    static String drivers(Sweep sweep, String server) {
        List<String> found = new ArrayList<>();
        try {
            Optional<Path> jar = Processes.jarOf(sweep, server);
            if (jar.isPresent()) {
                try (JarFile jf = new JarFile(jar.get().toFile())) {
                    if (jf.getEntry("org/postgresql/util/DriverInfo.class") != null) {
                        found.add("pgjdbc " + pgjdbcVersion(jar.get()));
                    }
                    for (String[] a : List.of(new String[] {"com.zaxxer", "HikariCP", "HikariCP"},
                            new String[] {"gg.jte", "jte-runtime", "jte-runtime"})) {
                        var e = jf.getEntry("META-INF/maven/" + a[0] + "/" + a[1] + "/pom.properties");
                        if (e != null) {
                            var props = new java.util.Properties();
                            try (InputStream in = jf.getInputStream(e)) {
                                props.load(in);
                            }
                            found.add(a[2] + " " + props.getProperty("version", "?"));
                        }
                    }
                    if (jf.getEntry("io/vertx/pgclient/PgBuilder.class") != null) {
                        found.add("vertx-pg-client (same version as vertx-core)");
                    }
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return String.join(", ", found);
    }

    /** pgjdbc keeps its version in a constant, not in Maven metadata: read it from the jar. */
    static String pgjdbcVersion(Path jar) {
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            return String.valueOf(Class.forName("org.postgresql.util.DriverInfo", true, loader)
                    .getField("DRIVER_VERSION").get(null));
        } catch (ReflectiveOperationException | IOException | LinkageError e) {
            return "(version unknown)";
        }
    }

    static List<String> columns() {
        return List.of("PostgreSQL CPU", "core " + DatabaseShapes.POSTGRES_CORE + " busy (wrk + PostgreSQL + interrupts)");
    }

    static void addCells(List<String> row, Measurement m) {
        row.add(Double.isNaN(m.databaseCpu) ? "—" : String.format(Locale.ROOT, "%.0f %%", 100 * m.databaseCpu));
        row.add(Double.isNaN(m.clientCoreBusy) ? "—" : String.format(Locale.ROOT, m.clientCoreBusy >= Sweep.SATURATED
                ? "**%.0f %%**" : "%.0f %%", 100 * m.clientCoreBusy));
    }

    /** Strand's figure over each database peer's: the ratios the rules quote for these shapes. */
    static void appendRatios(StringBuilder md, Repeat rep, Shape shape) {
        Optional<Measurement> s = rep.get("strand", shape.id());
        if (s.isEmpty() || !s.get().counts(shape.key())) {
            return;
        }
        List<String> parts = new ArrayList<>();
        for (String peer : DatabaseShapes.SERVERS) {
            if (peer.equals("strand") || !rep.runs.containsKey(peer)) {
                continue;
            }
            parts.add("Strand ÷ " + peer + ": " + ratio(rep, shape, peer));
        }
        if (!parts.isEmpty()) {
            md.append(String.join("; ", parts)).append(" (higher is better).\n\n");
        }
    }

    /** Strand ÷ peer on one shape in one repeat, or why there is none. */
    static String ratio(Repeat rep, Shape shape, String peer) {
        Optional<Measurement> s = rep.get("strand", shape.id());
        Optional<Measurement> p = rep.get(peer, shape.id());
        if (s.isEmpty() || !s.get().counts(shape.key())) {
            return "— (Strand's figure " + (s.isEmpty() ? "missing" : "does not count") + ")";
        }
        if (p.isEmpty() || !p.get().counts(shape.key())) {
            return "— (" + peer + "'s figure " + (p.isEmpty() ? "missing" : "does not count") + ")";
        }
        double pv = p.get().values.get(shape.key());
        if (pv <= 0) {
            return "—";
        }
        String r = String.format(Locale.ROOT, "**%.2f×**", s.get().values.get(shape.key()) / pv);
        List<String> notes = new ArrayList<>();
        if (s.get().saturated()) {
            notes.add("Strand's figure a lower bound");
        }
        if (p.get().saturated()) {
            notes.add(peer + "'s figure a lower bound");
        }
        if (s.get().noisy()) {
            notes.add("Strand's core shared");
        }
        if (p.get().noisy()) {
            notes.add(peer + "'s core shared");
        }
        return notes.isEmpty() ? r : r + " (" + String.join("; ", notes) + ")";
    }

    /** Strand ÷ Vert.x and ÷ Helidon on each database shape, per repeat. */
    static void appendSummary(StringBuilder md, Sweep sweep) {
        md.append("## Summary: database shapes\n\n");
        if (!sweep.servers.contains("strand") || sweep.skipped.containsKey("strand")) {
            md.append("Strand was not part of this run: no ratios.\n\n");
            return;
        }
        List<String> peers = DatabaseShapes.SERVERS.stream().filter(p -> !p.equals("strand") && sweep.servers.contains(p)).toList();
        md.append("Strand's requests per second divided by each database peer's, TechEmpower's load shapes on PostgreSQL "
                + "(the rules quote the ratio to Vert.x for database tests). Higher is better. A figure is a lower "
                + "bound where core " + DatabaseShapes.POSTGRES_CORE + ", shared by wrk and PostgreSQL, was saturated; "
                + "\"core shared\" marks a step where other work took ≥ " + Math.round(Sweep.NOISY * 100)
                + " % of the server's core: rerun before quoting it.\n\n");
        md.append("| shape |");
        for (Repeat rep : sweep.repeats) {
            for (String peer : peers) {
                md.append(sweep.repeats.size() > 1 ? " repeat " + rep.number + ": " : " ").append("÷ ").append(peer).append(" |");
            }
        }
        md.append("\n|---|").append("---|".repeat(sweep.repeats.size() * peers.size())).append('\n');
        for (Shape shape : DatabaseShapes.shapes()) {
            if (!sweep.shapes.has(shape.id())) {
                continue;
            }
            md.append("| ").append(shape.title()).append(" |");
            for (Repeat rep : sweep.repeats) {
                for (String peer : peers) {
                    md.append(' ').append(Report.escape(ratio(rep, shape, peer))).append(" |");
                }
            }
            md.append('\n');
        }
        md.append('\n');
    }

    static void appendMethod(StringBuilder md, Sweep sweep) {
        md.append("- **Database shapes** (").append(String.join(", ", DatabaseShapes.IDS)).append("; servers ")
                .append(String.join(", ", DatabaseShapes.SERVERS)).append("): each server is started a second time, with `--db ")
                .append(sweep.postgres.url).append(" --db-pool ").append(sweep.dbPool).append("`")
                .append(sweep.strandPipelined ? " (Strand: `--db " + DatabaseShapes.urlFor(sweep, "strand")
                        + "`, its own pipelined client, strand-pg, as Vert.x uses vertx-pg-client; Helidon uses pgjdbc + HikariCP)"
                        : " (Strand through pgjdbc, as Helidon)")
                .append(", after `VACUUM ANALYZE` of both tables and a `CHECKPOINT` "
                        + "(so that the dead rows of the last server's `/updates` cost no one an autovacuum mid-run) and after "
                        + "PostgreSQL's processes are pinned to core ").append(DatabaseShapes.POSTGRES_CORE).append(" (restored when the server has stopped). "
                        + "Before any load every endpoint must answer 200 with `Server`, `Date`, `Content-Type` and a right "
                        + "`Content-Length`, and: `/db` one `{\"id\":N,\"randomNumber\":M}` in 1..10000; `/queries` and "
                        + "`/updates` an array of exactly N such rows for `queries=").append(DatabaseShapes.QUERIES)
                .append("`, and of 1 row for a missing, empty, non-numeric, 0 or negative count and 500 for 501; every row "
                        + "equal to the database's row as psql reads it just after (so rows are read, not cached, and "
                        + "`/updates` wrote its numbers back); `/fortunes` `text/html` in UTF-8, TechEmpower's page with "
                        + "the 13 rows (the 12 of the table and the added one, id 0) in message order, the `<script>` one "
                        + "escaped. The same checks, one request each, run after every step. A server that does not start "
                        + "with those options, or answers wrongly, is not loaded: the table says why.\n");
        md.append("- Their extra columns: **PostgreSQL CPU** is the CPU of PostgreSQL's processes over the step as a share "
                + "of one core; **core ").append(DatabaseShapes.POSTGRES_CORE).append(" busy** is that core's busy share "
                        + "(wrk, PostgreSQL, the sweep's own idle process and the interrupts that carry loopback traffic). At ≥ ").append(Math.round(Sweep.SATURATED * 100))
                .append(" % the client side (load generator and database together) was saturated and the server's figure is "
                        + "a lower bound, flagged as such.\n");
    }
}
