import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** One shape's figures for one server in one repeat, with the CPU shares around them and what went wrong. */
final class Measurement {
    final Map<String, Double> values = new LinkedHashMap<>();
    final List<String> problems = new ArrayList<>();
    double generatorCpu = Double.NaN;
    double serverCpu = Double.NaN;
    /** Core 0's busy time (user, nice, system, steal) not spent by the server: interference. */
    double otherCpu = Double.NaN;
    /** Database shapes: PostgreSQL's processes' CPU, as a share of one core. */
    double databaseCpu = Double.NaN;
    /** Database shapes: the busy share of the core wrk shares with PostgreSQL. */
    double clientCoreBusy = Double.NaN;
    boolean notServed;
    String raw = "";

    /** The client side was the limit: wrk's core, or (database shapes) the core wrk shares with PostgreSQL. */
    boolean saturated() {
        return generatorCpu >= Sweep.SATURATED || clientCoreBusy >= Sweep.SATURATED;
    }

    boolean noisy() {
        return otherCpu >= Sweep.NOISY;
    }

    /** The figure counts: measured, no errors, correct before and after. */
    boolean counts(String key) {
        return !notServed && problems.isEmpty() && values.get(key) != null && !values.get(key).isNaN();
    }

    String summary() {
        String v = values.entrySet().stream()
                .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.3f", e.getValue()))
                .collect(Collectors.joining(" "));
        String cpu = Double.isNaN(generatorCpu) ? "" : String.format(Locale.ROOT, " gen-cpu=%.0f%%%s",
                100 * generatorCpu, saturated() ? " SATURATED" : "");
        return v + cpu + (problems.isEmpty() ? "" : " ERRORS: " + problems);
    }
}
