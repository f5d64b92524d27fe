import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One pass of the whole sweep: a {@link ServerRun} per server, in report order. */
final class Repeat {
    final int number;
    final Map<String, ServerRun> runs = new LinkedHashMap<>();

    Repeat(int number) {
        this.number = number;
    }

    Optional<Measurement> get(String server, String shape) {
        ServerRun r = runs.get(server);
        return r == null ? Optional.empty() : Optional.ofNullable(r.measurements.get(shape));
    }
}
