import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One server within one repeat: its process, the checks' findings and a {@link Measurement} per shape. */
final class ServerRun {
    final String server;
    final Map<String, Measurement> measurements = new LinkedHashMap<>();
    final List<String> plaintextProblems = new ArrayList<>();
    final List<String> jsonProblems = new ArrayList<>();
    final List<String> pipelinedPlaintextProblems = new ArrayList<>();
    final List<String> pipelinedJsonProblems = new ArrayList<>();
    final List<String> sleepProblems = new ArrayList<>();
    /** What would make {@code ab -k} (HTTP/1.0 keep-alive) fail or hang. */
    final List<String> abProblems = new ArrayList<>();
    boolean sleepServed;
    Process process;
    int port;
    String command = "";
    String failure;
    String stopNote;
    /** The database shapes' start line (a second start, with --db), or empty when they did not run. */
    String dbCommand = "";
    /** What the database checks found before the load, by shape. */
    final Map<String, List<String>> dbProblems = new LinkedHashMap<>();
    /** Why PostgreSQL could not be pinned off the server's core, if it could not. */
    List<String> pinProblems = List.of();
    String dbFailure;

    ServerRun(String server) {
        this.server = server;
    }

    Measurement add(String shape) {
        Measurement m = new Measurement();
        measurements.put(shape, m);
        return m;
    }
}
