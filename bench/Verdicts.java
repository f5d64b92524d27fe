import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The bars, each checked against every repeat, and the report's summary of them. */
final class Verdicts {

    private Verdicts() {
    }

    enum Outcome { MET, NOT_MET, UNDECIDED }

    record Verdict(Outcome outcome, String detail) {
    }

    interface BarCheck {
        Verdict check(Repeat rep);
    }

    /** One of the bars, on the shape {@code shape}. */
    record Bar(String shape, String text, BarCheck check) {
    }


    /** Strand against one peer on one shape: met when strand/peer passes {@code factor}. */
    static Verdict against(Sweep sweep, Repeat rep, String shapeId, String peer, double factor) {
        Shape shape = Shape.byId(sweep, shapeId);
        Optional<Measurement> s = rep.get("strand", shapeId);
        Optional<Measurement> p = rep.get(peer, shapeId);
        if (s.isEmpty() || !s.get().counts(shape.key())) {
            return new Verdict(Outcome.UNDECIDED, "Strand's figure " + (s.isEmpty() ? "missing" : "does not count"));
        }
        if (p.isEmpty() || !p.get().counts(shape.key())) {
            return new Verdict(Outcome.UNDECIDED, peer + (p.isEmpty() ? " not in this run" : "'s figure does not count"));
        }
        double sv = s.get().values.get(shape.key());
        double pv = p.get().values.get(shape.key());
        boolean pass;
        String detail;
        if (pv > 0) {
            double ratio = sv / pv;
            pass = shape.higherBetter() ? ratio >= factor : ratio <= factor;
            detail = String.format(Locale.ROOT, "%s vs %s %s %s: %.2f×", Report.num(sv, shape.decimals()), peer,
                    Report.num(pv, shape.decimals()), shape.unit(), ratio);
        } else {
            // No meaningful ratio to a figure at or below zero (RSS can shrink): compare the figures.
            pass = shape.higherBetter() ? sv >= pv : sv <= pv;
            detail = String.format(Locale.ROOT, "%s vs %s %s %s", Report.num(sv, shape.decimals()), peer,
                    Report.num(pv, shape.decimals()), shape.unit());
        }
        // A saturated generator makes a figure a bound in the server's favour.
        if (pass && p.get().saturated()) {
            return new Verdict(Outcome.UNDECIDED, detail + "; " + peer + "'s figure is a lower bound");
        }
        if (!pass && s.get().saturated()) {
            return new Verdict(Outcome.UNDECIDED, detail + "; Strand's figure is a lower bound");
        }
        return new Verdict(pass ? Outcome.MET : Outcome.NOT_MET, detail);
    }

    static List<Bar> bars(Sweep sweep) {
        return List.of(
                new Bar("plaintext-pipelined", "plaintext pipelined ≥ 1.10× Netty", rep -> against(sweep, rep, "plaintext-pipelined", "netty", 1.10)),
                new Bar("json", "json (256 connections) ≥ 1.00× Netty", rep -> against(sweep, rep, "json", "netty", 1.00)),
                new Bar("json-pipelined", "json pipelined ≥ 1.00× Netty", rep -> against(sweep, rep, "json-pipelined", "netty", 1.00)),
                new Bar("json-latency", "json p99 at 10 connections ≤ Netty's", rep -> against(sweep, rep, "json-latency", "netty", 1.00)),
                new Bar("json-latency-paced", "json p99 at 10 paced connections ≤ Netty's", rep -> against(sweep, rep, "json-latency-paced", "netty", 1.00)),
                new Bar("sleep", String.format(Locale.ROOT, "sleep ≥ 90 %% of ideal (%,.0f req/s)", sweep.idealSleepRps()), rep -> {
                    Optional<Measurement> s = rep.get("strand", "sleep");
                    if (s.isEmpty() || !s.get().counts("rps")) {
                        return new Verdict(Outcome.UNDECIDED, "Strand's figure " + (s.isEmpty() ? "missing" : "does not count"));
                    }
                    double pct = s.get().values.get("ideal%");
                    boolean pass = pct >= 90;
                    String d = String.format(Locale.ROOT, "%s req/s = %.1f %% of ideal", Report.num(s.get().values.get("rps"), 0), pct);
                    if (!pass && s.get().saturated()) {
                        return new Verdict(Outcome.UNDECIDED, d + "; Strand's figure is a lower bound");
                    }
                    return new Verdict(pass ? Outcome.MET : Outcome.NOT_MET, d);
                }),
                new Bar("sleep", "sleep ≥ 10× Jetty (platform threads)", rep -> against(sweep, rep, "sleep", "jetty-platform", 10.0)),
                new Bar("memory", "idle-connection memory ≤ Netty's (growth per connection)", rep -> against(sweep, rep, "memory", "netty", 1.00)),
                new Bar("startup", "first response ≤ 300 ms", rep -> {
                    Optional<Measurement> s = rep.get("strand", "startup");
                    if (s.isEmpty() || !s.get().counts("ms")) {
                        return new Verdict(Outcome.UNDECIDED, "Strand's figure " + (s.isEmpty() ? "missing" : "does not count"));
                    }
                    double ms = s.get().values.get("ms");
                    return new Verdict(ms <= 300 ? Outcome.MET : Outcome.NOT_MET, Report.num(ms, 0) + " ms");
                }),
                new Bar("ab", "ab mean time per request (across concurrent requests) < 0.1 ms", rep -> {
                    Optional<Measurement> s = rep.get("strand", "ab");
                    if (s.isEmpty() || !s.get().counts("meanAcross")) {
                        return new Verdict(Outcome.UNDECIDED, "Strand's figure " + (s.isEmpty() ? "missing" : "does not count"));
                    }
                    double ms = s.get().values.get("meanAcross");
                    boolean pass = ms < 0.1;
                    if (!pass && s.get().saturated()) {
                        return new Verdict(Outcome.UNDECIDED, Report.num(ms, 3) + " ms; ab saturated its core, so this is an upper bound");
                    }
                    return new Verdict(pass ? Outcome.MET : Outcome.NOT_MET, Report.num(ms, 3) + " ms");
                }));
    }

    static void appendSummary(Sweep sweep, StringBuilder md) {
        md.append("## Summary: the issue's bars\n\n");
        if (!sweep.servers.contains("strand") || sweep.skipped.containsKey("strand")) {
            md.append("Strand was not part of this run: no bars to check.\n\n");
            return;
        }
        md.append("| bar |");
        for (Repeat rep : sweep.repeats) {
            md.append(" repeat ").append(rep.number).append(" |");
        }
        md.append(" verdict |\n|---|").append("---|".repeat(sweep.repeats.size())).append("---|\n");
        for (Bar bar : bars(sweep)) {
            if (!sweep.shapes.has(bar.shape())) {
                continue;
            }
            md.append("| ").append(bar.text()).append(" |");
            int met = 0;
            int notMet = 0;
            for (Repeat rep : sweep.repeats) {
                Verdict v = bar.check().check(rep);
                String mark = switch (v.outcome()) {
                    case MET -> "met";
                    case NOT_MET -> "**not met**";
                    case UNDECIDED -> "undecided";
                };
                met += v.outcome() == Outcome.MET ? 1 : 0;
                notMet += v.outcome() == Outcome.NOT_MET ? 1 : 0;
                md.append(' ').append(mark).append(": ").append(Report.escape(v.detail())).append(" |");
            }
            int n = sweep.repeats.size();
            String verdict;
            if (met == n) {
                verdict = n == 1 ? "met" : "met in all " + n + " repeats";
            } else if (notMet == n) {
                verdict = n == 1 ? "**not met**" : "**not met** in any of " + n + " repeats";
            } else if (met == 0 && notMet == 0) {
                verdict = "undecided";
            } else {
                verdict = "met in " + met + " of " + n + ", not met in " + notMet;
            }
            md.append(' ').append(verdict).append(" |\n");
        }
        md.append('\n');
        List<String> saturated = new ArrayList<>();
        for (Repeat rep : sweep.repeats) {
            rep.runs.forEach((server, run) -> run.measurements.forEach((shape, m) -> {
                if (m.saturated()) {
                    // Database shapes: wrk's core is PostgreSQL's too, and may be full with wrk far from it.
                    String busy = m.generatorCpu >= Sweep.SATURATED ? String.format(Locale.ROOT, "%.0f %%", 100 * m.generatorCpu)
                            : String.format(Locale.ROOT, "core %d %.0f %% busy with wrk and PostgreSQL",
                                    DatabaseShapes.POSTGRES_CORE, 100 * m.clientCoreBusy);
                    saturated.add(String.format(Locale.ROOT, "%s %s%s (%s)", server, shape,
                            sweep.repeats.size() > 1 ? ", repeat " + rep.number : "", busy));
                }
            }));
        }
        md.append(saturated.isEmpty()
                ? "The load generator's core was never saturated (below " + Math.round(Sweep.SATURATED * 100) + " % CPU in every step).\n\n"
                : "**The load generator's core was saturated** (≥ " + Math.round(Sweep.SATURATED * 100) + " % CPU) in: "
                        + String.join(", ", saturated)
                        + ". There the server's figure is a lower bound: it might do better with a faster client.\n\n");
        List<String> noisy = new ArrayList<>();
        for (Repeat rep : sweep.repeats) {
            rep.runs.forEach((server, run) -> run.measurements.forEach((shape, m) -> {
                if (m.noisy()) {
                    noisy.add(String.format(Locale.ROOT, "%s %s%s (%.0f %%)", server, shape,
                            sweep.repeats.size() > 1 ? ", repeat " + rep.number : "", 100 * m.otherCpu));
                }
            }));
        }
        if (!noisy.isEmpty()) {
            md.append("**Other work shared the server's core** (≥ ").append(Math.round(Sweep.NOISY * 100))
                    .append(" % of core 0 busy outside the server) in: ").append(String.join(", ", noisy))
                    .append(". Those figures understate the server; rerun on a quiet machine before quoting them.\n\n");
        }
        md.append("A bar is *undecided* when a figure it needs is missing or does not count (errors or wrong "
                + "responses), or when a saturated load generator makes the comparison inconclusive.\n\n");
        md.append("Where a bar is not met, `bench/profile.sh --shape sleep|json|json-latency|plaintext` profiles "
                + "Strand under that shape (CPU by category in µs per request, JIT and GC time on the server's core); "
                + "[performance.md](performance.md) keeps the latest profiles and what was tried.\n\n");
    }
}
